package io.weir.config;

/** Writes one JSON line per record to standard output (at-least-once). */
public record ConsoleSinkConfig(String id) implements SinkConfig {}
