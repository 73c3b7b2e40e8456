package io.weir.state.rocksdb;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * How values are stored in RocksDB: {@code [write time: 8 bytes big-endian, epoch ms][value]}.
 * Every value carries its write time whether or not a TTL is configured, so a snapshot taken
 * without a TTL can be restored with one (and the other way round).
 */
final class TimestampedValue {
  static final int HEADER = 8;

  private TimestampedValue() {}

  static byte[] encode(long writeTimeMs, byte[] value) {
    return ByteBuffer.allocate(HEADER + value.length).putLong(writeTimeMs).put(value).array();
  }

  static long writeTime(byte[] stored) {
    return ByteBuffer.wrap(stored, 0, HEADER).getLong();
  }

  static byte[] value(byte[] stored) {
    return Arrays.copyOfRange(stored, HEADER, stored.length);
  }

  /** Whether a value written at {@code writeTimeMs} is past its TTL at {@code nowMs}. */
  static boolean expired(byte[] stored, Long ttlMs, long nowMs) {
    return ttlMs != null && nowMs - writeTime(stored) >= ttlMs;
  }
}
