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
 */
public record StreamEvent(
    String id, String key, long timestamp, double value, int partition, long offset) {

  public StreamEvent {
    Objects.requireNonNull(key, "key");
  }
}
