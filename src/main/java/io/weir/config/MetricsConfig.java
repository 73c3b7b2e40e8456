package io.weir.config;

/** Prometheus endpoint. {@code port} 0 means any free port. */
public record MetricsConfig(boolean enabled, String host, int port) {}
