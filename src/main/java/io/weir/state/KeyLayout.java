package io.weir.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The one place state keys are laid out. A key is {@code [source partition: 4 bytes big-endian]
 * [key length: 4 bytes][key: UTF-8][suffix]}, so all the state of one source partition is one
 * contiguous range (it can be scanned, snapshotted and moved alone), and all the state of one
 * key within it is one prefix. The suffix is the caller's (e.g. a window's end, big-endian with
 * the sign bit flipped so that negative times sort first).
 */
public final class KeyLayout {
  private KeyLayout() {}

  /** Suffix tag of a key's deduplication ids. */
  public static final byte DEDUP = 1;

  /** Suffix tag of one window of a key, followed by the window's end ({@link #windowKey}). */
  public static final byte WINDOW = 2;

  /**
   * Partition numbers from here on hold the timer index: one entry per key with state, {@code
   * [TIMER_INDEX + key group][key]} → the watermark (8 bytes) at which the key's state is needed
   * next, so that a restore can leave the state in the store until then.
   */
  public static final int TIMER_INDEX = 0x0001_0000;

  /** Present in a store written with the timer index and per-window entries. */
  public static final byte[] FORMAT_KEY = partitionPrefix(0x7FFF_FFFF);

  /** {@code keyPrefix} followed by {@link #WINDOW} and {@code end}. */
  public static byte[] windowKey(byte[] keyPrefix, long end) {
    return ByteBuffer.allocate(keyPrefix.length + 9)
        .put(keyPrefix)
        .put(WINDOW)
        .putLong(end ^ Long.MIN_VALUE)
        .array();
  }

  /** The timer-index entry of the key whose {@link #keyPrefix} is {@code keyPrefix}. */
  public static byte[] timerIndexKey(byte[] keyPrefix) {
    ByteBuffer key = ByteBuffer.wrap(keyPrefix.clone());
    return key.putInt(0, key.getInt(0) + TIMER_INDEX).array();
  }

  /** The first byte of the suffix of a full key with a suffix ({@link #suffixLength} > 0). */
  public static byte suffixTag(byte[] fullKey) {
    return fullKey[fullKey.length - suffixLength(fullKey)];
  }

  /** Prefix of everything stored for source partition {@code partition}. */
  public static byte[] partitionPrefix(int partition) {
    return ByteBuffer.allocate(4).putInt(partition).array();
  }

  /** Prefix of everything stored for {@code key} in {@code partition}. */
  public static byte[] keyPrefix(int partition, String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + k.length).putInt(partition).putInt(k.length).put(k).array();
  }

  /** The key (UTF-8 text) of a full key built by {@link #keyPrefix} or {@link #timeKey}. */
  public static String key(byte[] fullKey) {
    int length = ByteBuffer.wrap(fullKey, 4, 4).getInt();
    return new String(fullKey, 8, length, StandardCharsets.UTF_8);
  }

  /** Length of the caller's suffix in a full key that starts with a {@link #keyPrefix}. */
  public static int suffixLength(byte[] fullKey) {
    return fullKey.length - 8 - ByteBuffer.wrap(fullKey, 4, 4).getInt();
  }

  /** The full key of a time-ordered entry (a window end) of {@code key}. */
  public static byte[] timeKey(int partition, String key, long time) {
    byte[] prefix = keyPrefix(partition, key);
    return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(time ^ Long.MIN_VALUE).array();
  }

  /** Reads back the time written by {@link #timeKey}. */
  public static long time(byte[] timeKey) {
    return ByteBuffer.wrap(timeKey, timeKey.length - 8, 8).getLong() ^ Long.MIN_VALUE;
  }

  /** The smallest key greater than every key starting with {@code prefix}, or null if none. */
  public static byte[] prefixEnd(byte[] prefix) {
    byte[] end = prefix.clone();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        return java.util.Arrays.copyOf(end, i + 1);
      }
    }
    return null;
  }
}
