package io.weir.pipeline;

import java.util.List;

/**
 * A point-in-time view of a pipeline's counters, assembled from its source reader and
 * operators.
 *
 * @param watermark the pipeline's watermark: the minimum over its operators
 * @param eventsPerSecond processed events per second over the last sampling period (1 s)
 */
public record PipelineStats(
    String pipeline,
    PipelineState state,
    long eventsIn,
    long eventsProcessed,
    long lateEvents,
    long resultsEmitted,
    long activeKeyWindows,
    long watermark,
    long eventsInFlight,
    long sinkBatchesInFlight,
    double backpressureSeconds,
    double eventsPerSecond,
    long sinkErrors,
    List<PartitionStatus> partitions,
    List<OperatorStatus> operators) {}
