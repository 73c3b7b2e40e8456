package io.weir.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parsed command line: {@code [validate [--against-checkpoint DIR]] [--config FILE] [--set
 * key.path=value ...]}.
 *
 * @param configFile the config file, {@code conf/stream.yaml} unless {@code --config} named one
 * @param explicitConfig true when {@code --config} was given (then the file must exist)
 * @param againstCheckpoint the checkpoint directory (or one {@code chk-<n>} in it) that {@code
 *     validate} checks the config against, or null; never set without {@code validate}
 */
record CommandLine(
    boolean validate, boolean help, Path configFile, boolean explicitConfig, List<String> sets, Path againstCheckpoint) {

  /** Without {@code --against-checkpoint}. */
  CommandLine(boolean validate, boolean help, Path configFile, boolean explicitConfig, List<String> sets) {
    this(validate, help, configFile, explicitConfig, sets, null);
  }

  static final Path DEFAULT_CONFIG = Path.of("conf", "stream.yaml");

  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar weir.jar [--config FILE] [--set key.path=value ...]",
          "       java -jar weir.jar validate [--config FILE] [--set key.path=value ...] [--against-checkpoint DIR]",
          "",
          "  --config FILE   YAML config overriding the built-in defaults (default: conf/stream.yaml if present)",
          "  --set k.p=v     override one key, e.g. --set api.port=0 --set sources.0.rate_per_sec=500",
          "  validate        check the configuration, print every problem and exit 1, or exit 0",
          "  --against-checkpoint DIR",
          "                  with validate: also tell whether the config can restore the newest checkpoint",
          "                  of DIR (a state.checkpoint_dir, or one chk-<n> in it) and what it would discard;",
          "                  exit 1 when a pipeline cannot restore or DIR does not exist",
          "",
          "Environment variables WEIR_<SECTION>_<KEY> (e.g. WEIR_API_PORT) override the file; --set overrides both.");

  static CommandLine parse(String[] args) {
    boolean validate = false;
    boolean help = false;
    Path config = DEFAULT_CONFIG;
    boolean explicit = false;
    List<String> sets = new ArrayList<>();
    Path against = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "validate" -> validate = true;
        case "-h", "--help", "help" -> help = true;
        case "--config", "-c" -> {
          config = Path.of(value(args, ++i, arg));
          explicit = true;
        }
        case "--set" -> sets.add(value(args, ++i, arg));
        case "--against-checkpoint" -> against = Path.of(value(args, ++i, arg));
        default -> {
          if (arg.startsWith("--config=")) {
            config = Path.of(arg.substring("--config=".length()));
            explicit = true;
          } else if (arg.startsWith("--set=")) {
            sets.add(arg.substring("--set=".length()));
          } else if (arg.startsWith("--against-checkpoint=")) {
            against = Path.of(nonEmpty(arg.substring("--against-checkpoint=".length()), "--against-checkpoint"));
          } else {
            throw new IllegalArgumentException("unknown argument '" + arg + "'");
          }
        }
      }
    }
    if (against != null && !validate) {
      throw new IllegalArgumentException("--against-checkpoint only works with validate: weir validate --config FILE --against-checkpoint DIR");
    }
    return new CommandLine(validate, help, config, explicit, List.copyOf(sets), against);
  }

  private static String value(String[] args, int i, String option) {
    // "--against-checkpoint --config x" is a missing value, not a directory named --config.
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return nonEmpty(args[i], option);
  }

  private static String nonEmpty(String value, String option) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }
}
