package io.weir.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parsed command line: {@code [validate] [--config FILE] [--set key.path=value ...]}.
 *
 * @param configFile the config file, {@code conf/stream.yaml} unless {@code --config} named one
 * @param explicitConfig true when {@code --config} was given (then the file must exist)
 */
record CommandLine(boolean validate, boolean help, Path configFile, boolean explicitConfig, List<String> sets) {

  static final Path DEFAULT_CONFIG = Path.of("conf", "stream.yaml");

  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar weir.jar [--config FILE] [--set key.path=value ...]",
          "       java -jar weir.jar validate [--config FILE] [--set key.path=value ...]",
          "",
          "  --config FILE   YAML config overriding the built-in defaults (default: conf/stream.yaml if present)",
          "  --set k.p=v     override one key, e.g. --set api.port=0 --set sources.0.rate_per_sec=500",
          "  validate        check the configuration, print every problem and exit 1, or exit 0",
          "",
          "Environment variables WEIR_<SECTION>_<KEY> (e.g. WEIR_API_PORT) override the file; --set overrides both.");

  static CommandLine parse(String[] args) {
    boolean validate = false;
    boolean help = false;
    Path config = DEFAULT_CONFIG;
    boolean explicit = false;
    List<String> sets = new ArrayList<>();
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
        default -> {
          if (arg.startsWith("--config=")) {
            config = Path.of(arg.substring("--config=".length()));
            explicit = true;
          } else if (arg.startsWith("--set=")) {
            sets.add(arg.substring("--set=".length()));
          } else {
            throw new IllegalArgumentException("unknown argument '" + arg + "'");
          }
        }
      }
    }
    return new CommandLine(validate, help, config, explicit, List.copyOf(sets));
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
