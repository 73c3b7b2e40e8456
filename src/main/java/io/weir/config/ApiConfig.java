package io.weir.config;

/**
 * REST API listener. {@code port} 0 means any free port (the chosen one is logged and exposed).
 * {@code token} may be null; it is required when {@code host} is not a loopback address.
 */
public record ApiConfig(String host, int port, String token) {}
