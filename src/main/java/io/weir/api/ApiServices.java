package io.weir.api;

import io.weir.pipeline.Pipelines;
import io.weir.sink.SinkVerticle;
import java.time.InstantSource;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * What the REST API reads and drives.
 *
 * @param metricsEnabled false when {@code metrics.enabled} is off: no metrics health check then
 * @param metricsPort the bound metrics port, or -1 when not bound
 * @param idleTimeoutMs {@code watermarks.idle_timeout_ms}, for the stall diagnosis; may be null
 */
public record ApiServices(
    String appName,
    String version,
    long startedAtMs,
    InstantSource clock,
    Pipelines pipelines,
    List<SinkVerticle> sinks,
    boolean metricsEnabled,
    IntSupplier metricsPort,
    Long idleTimeoutMs,
    io.weir.checkpoint.CheckpointCoordinator checkpoints,
    java.util.function.Supplier<String> recovery) {

  public ApiServices {
    sinks = List.copyOf(sinks);
  }
}
