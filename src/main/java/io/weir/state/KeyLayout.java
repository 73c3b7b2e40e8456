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
