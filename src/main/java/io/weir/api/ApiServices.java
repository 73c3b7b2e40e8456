package io.weir.api;

import io.weir.pipeline.Pipelines;
import io.weir.sink.SinkVerticle;
import java.time.InstantSource;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * What the REST API reads and drives.
 *
 * @param metricsPort the bound metrics port, or -1 when metrics are disabled or not yet bound
 */
public record ApiServices(
    String appName,
    String version,
    long startedAtMs,
    InstantSource clock,
    Pipelines pipelines,
    List<SinkVerticle> sinks,
    IntSupplier metricsPort) {

  public ApiServices {
    sinks = List.copyOf(sinks);
  }
}
