package io.weir.pipeline;

/**
 * What one source partition of a pipeline has produced, as last published by the source reader.
 *
 * @param watermark the partition's watermark ({@link Long#MIN_VALUE} before any event, {@link
 *     Long#MAX_VALUE} once ended)
 * @param maxTimestamp largest event time seen ({@link Long#MIN_VALUE} before any event)
 * @param nextOffset offset of the next event to read
 * @param lastEventAtMs wall-clock time of the last event, or 0
 * @param idle true while the partition is marked idle (silent for the idle timeout)
 */
public record PartitionStatus(
    String source,
    int partition,
    long watermark,
    long maxTimestamp,
    long eventsIn,
    long nextOffset,
    long lastEventAtMs,
    boolean idle,
    boolean ended) {

  PartitionStatus withIdle(boolean nowIdle) {
    return new PartitionStatus(
        source, partition, watermark, maxTimestamp, eventsIn, nextOffset, lastEventAtMs, nowIdle, ended);
  }
}
