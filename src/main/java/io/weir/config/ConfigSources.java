package io.weir.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where {@link ConfigLoader} reads the configuration from, besides the built-in defaults.
 *
 * @param configFile the YAML config file, or null for none
 * @param explicitFile whether the user named the file (then a missing file is an error; a default
 *     location that does not exist is skipped)
 * @param env environment variables; those starting with {@code WEIR_} override scalar keys
 * @param sets {@code key.path=value} overrides from {@code --set}, applied in order after the
 *     environment
 */
public record ConfigSources(
    Path configFile, boolean explicitFile, Map<String, String> env, List<String> sets) {

  public ConfigSources {
    if (explicitFile && configFile == null) {
      throw new IllegalArgumentException("explicitFile requires a configFile");
    }
    env = Map.copyOf(env);
    sets = List.copyOf(sets);
  }

  /**
   * Sources for a process: the given file, the process environment and the {@code --set} list.
   *
   * @param fileOrNull the config file, or null for none
   * @param explicit whether the user named the file on the command line
   */
  public static ConfigSources defaults(Path fileOrNull, boolean explicit, List<String> sets) {
    return new ConfigSources(fileOrNull, explicit, System.getenv(), sets);
  }
}
