package io.weir.config;

/** Appends one JSON line per record to {@code path}; parent directories are created. */
public record FileSinkConfig(String id, String path) implements SinkConfig {}
