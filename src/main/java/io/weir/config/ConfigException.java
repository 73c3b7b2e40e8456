package io.weir.config;

import java.util.List;

/**
 * A configuration that cannot be used. Each problem starts with the offending key path, e.g.
 * {@code pipelines[0].window.size_ms: must be > 0, got -5}.
 */
public final class ConfigException extends RuntimeException {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
