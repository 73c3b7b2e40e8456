package io.weir.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole, validated configuration of one Weir process. Immutable; built only by {@link
 * ConfigParser}, which guarantees that every reference (pipeline to source, pipeline to sink)
 * resolves and that ids are unique.
 */
public record WeirConfig(
    String appName,
    ApiConfig api,
    MetricsConfig metrics,
    ProcessingConfig processing,
    StateConfig state,
    WatermarkConfig watermarks,
    List<SourceConfig> sources,
    List<PipelineConfig> pipelines,
    List<SinkConfig> sinks) {

  public WeirConfig {
    Objects.requireNonNull(appName, "appName");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(processing, "processing");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(watermarks, "watermarks");
    sources = List.copyOf(sources);
    pipelines = List.copyOf(pipelines);
    sinks = List.copyOf(sinks);
  }

  public Optional<SourceConfig> source(String id) {
    return sources.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  public Optional<SinkConfig> sink(String id) {
    return sinks.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  public Optional<PipelineConfig> pipeline(String id) {
    return pipelines.stream().filter(p -> p.id().equals(id)).findFirst();
  }
}
