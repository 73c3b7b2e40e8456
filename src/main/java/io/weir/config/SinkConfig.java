package io.weir.config;

/** One configured sink. */
public sealed interface SinkConfig permits ConsoleSinkConfig, FileSinkConfig {
  String id();
}
