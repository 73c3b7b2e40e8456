package io.weir.config;

/**
 * Data-path tuning.
 *
 * @param parallelism operator partitions per pipeline (keyBy fan-out)
 * @param queueSize events in flight between a pipeline's source and its operators before the
 *     source pauses
 * @param batchSize events per batch a source emits at most
 * @param checkpointIntervalSeconds seconds between checkpoints
 * @param shutdownTimeoutMs how long a graceful shutdown may take before the process halts
 */
public record ProcessingConfig(
    int parallelism,
    int queueSize,
    int batchSize,
    double checkpointIntervalSeconds,
    long shutdownTimeoutMs) {}
