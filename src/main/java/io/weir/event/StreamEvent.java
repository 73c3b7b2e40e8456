package io.weir.event;

import java.util.Objects;

/**
 * One input event after parsing: immutable, with its identity {@code (source, partition,
 * offset)} assigned by the source.
 *
 * @param id optional producer id used for deduplication; may be null
 * @param key grouping key (never null)
 * @param timestamp event time, epoch milliseconds
 * @param value the numeric value aggregated by windows ({@code NaN} when the event had none)
 * @param partition source partition (input channel) the event was read from
 * @param offset position in that partition (line number, Kafka offset, sequence number)
 * @param payload the parsed original record (a Jackson tree for JSON and CSV lines) for fields
 *     beyond key, time and value; null for synthetic events. Not part of equality.
 */
public record StreamEvent(
    String id, String key, long timestamp, double value, int partition, long offset, Object payload) {

  public StreamEvent {
    Objects.requireNonNull(key, "key");
  }

  /** An event without a payload. */
  public StreamEvent(String id, String key, long timestamp, double value, int partition, long offset) {
    this(id, key, timestamp, value, partition, offset, null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StreamEvent e
        && Objects.equals(id, e.id)
        && key.equals(e.key)
        && timestamp == e.timestamp
        && Double.compare(value, e.value) == 0
        && partition == e.partition
        && offset == e.offset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, key, timestamp, value, partition, offset);
  }
}
