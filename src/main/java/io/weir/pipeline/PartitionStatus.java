package io.weir.pipeline;

/**
 * What one source partition of a pipeline has produced, as last published by the source reader.
 *
 * @param watermark the partition's watermark ({@link Long#MIN_VALUE} before any event, {@link
 *     Long#MAX_VALUE} once ended)
 * @param maxTimestamp largest event time seen ({@link Long#MIN_VALUE} before any event)
 * @param nextOffset offset of the next event to read
 * @param lastEventAtMs wall-clock time of the last event, or 0
 */
public record PartitionStatus(
    String source,
    int partition,
    long watermark,
    long maxTimestamp,
    long eventsIn,
    long nextOffset,
    long lastEventAtMs,
    boolean ended) {}
