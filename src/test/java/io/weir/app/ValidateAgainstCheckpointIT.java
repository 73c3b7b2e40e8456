package io.weir.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate --against-checkpoint} with the fat jar, against the checkpoint a real bounded
 * replay left behind.
 */
class ValidateAgainstCheckpointIT {
  @TempDir Path work;

  private static final String HEADER =
      String.join(
          "\n",
          "api: { port: 0 }",
          "metrics: { enabled: false }",
          "state: { dir: data/state, checkpoint_dir: data/checkpoints }",
          "sources:",
          "  - { id: history, type: mock, rate_per_sec: 50000, keys: 3, partitions: 3, seed: 9, start_time: 0, max_events: 6000 }",
          "pipelines:",
          "");

  private static final String SINKS =
      String.join("\n", "sinks:", "  - { id: results, type: file, path: out/replay.jsonl }", "");

  private static String pipeline(String id, long sizeMs) {
    return "  - { id: " + id + ", source: history, window: { type: tumbling, size_ms: " + sizeMs + " },"
        + " aggregations: [count], sinks: [results] }\n";
  }

  private Path writeConfig(String name, String yaml) throws Exception {
    Path file = work.resolve(name);
    Files.writeString(file, yaml);
    return file;
  }

  /** The replay of the original config: it ends with a final checkpoint in data/checkpoints. */
  @BeforeEach
  void replay() throws Exception {
    Path config = writeConfig("v1.yaml", HEADER + pipeline("replay", 10) + SINKS);
    try (WeirProcess weir = WeirProcess.start(work, "--config", config.toString())) {
      assertThat(weir.waitFor(60)).as(weir.log()).isZero();
    }
    try (var dirs = Files.list(work.resolve("data/checkpoints"))) {
      assertThat(dirs.map(d -> d.getFileName().toString())).anyMatch(n -> n.startsWith("chk-"));
    }
  }

  private WeirProcess validate(Path config, String dir) throws Exception {
    return WeirProcess.start(work, "validate", "--config", config.toString(), "--against-checkpoint", dir);
  }

  @Test
  void theSameConfigRestoresWithEveryPartitionAtItsEnd() throws Exception {
    Path config = writeConfig("same.yaml", HEADER + pipeline("replay", 10) + SINKS);
    try (WeirProcess weir = validate(config, "data/checkpoints")) {
      assertThat(weir.waitFor(30)).as(String.join("\n", weir.stdout) + weir.log()).isZero();
      List<String> out = weir.stdout;
      assertThat(out.get(0)).isEqualTo("config OK: 1 sources, 1 pipelines, 1 sinks");
      assertThat(out.get(1))
          .matches("checkpoint: chk-\\d+ \\(\\d{4}-\\d\\d-\\d\\dT.*Z\\) in " + Pattern.quote(work.resolve("data/checkpoints").toString()));
      // 6000 events over 3 partitions: each partition's reader stopped after 6000 / 3 = 2000.
      assertThat(out)
          .anyMatch(
              l -> l.startsWith("pipeline replay: restores (state ~")
                  && l.contains("resumes source history at partition 0 offset 2000 (ended), partition 1 offset 2000 (ended), partition 2 offset 2000 (ended)"));
      assertThat(out).contains("pipeline replay: every partition of source history had ended: it produces nothing more (a new state.checkpoint_dir replays from the beginning)");
      assertThat(out).contains("sink results: continues " + work.resolve("out/replay.jsonl") + " at " + Files.size(work.resolve("out/replay.jsonl")) + " committed bytes");
      assertThat(out).anyMatch(l -> l.matches("result: OK, restores chk-\\d+ \\(0 warnings\\)"));
    }
  }

  @Test
  void aChangedWindowSizeCannotRestore() throws Exception {
    Path config = writeConfig("wider.yaml", HEADER + pipeline("replay", 20) + SINKS);
    try (WeirProcess weir = validate(config, "data/checkpoints")) {
      assertThat(weir.waitFor(30)).as(String.join("\n", weir.stdout)).isEqualTo(1);
      assertThat(weir.stdout)
          .anyMatch(l -> l.startsWith("pipeline replay: CANNOT restore: its window changed from ") && l.contains("sizeMs=10,") && l.contains("sizeMs=20,"));
      assertThat(weir.stdout).anyMatch(l -> l.matches("result: CANNOT restore chk-\\d+ \\(1 problem, 0 warnings\\)"));
    }
  }

  @Test
  void anAddedAndARemovedPipelineAreAllowedAndTheDiscardIsNamed() throws Exception {
    Path config = writeConfig("renamed.yaml", HEADER + pipeline("replay-20ms", 20) + SINKS);
    try (WeirProcess weir = validate(config, "data/checkpoints")) {
      assertThat(weir.waitFor(30)).as(String.join("\n", weir.stdout)).isZero();
      assertThat(weir.stdout)
          .contains("pipeline replay-20ms: new, starts from the beginning of source history")
          .anyMatch(l -> l.startsWith("pipeline replay: in the checkpoint but not configured: its state (") && l.endsWith(" bytes) would be discarded"))
          .anyMatch(l -> l.matches("result: OK, restores chk-\\d+ \\(1 warning\\)"));
    }
  }

  @Test
  void oneChkDirectoryCanBeNamedDirectly() throws Exception {
    Path chk;
    try (var dirs = Files.list(work.resolve("data/checkpoints"))) {
      chk = dirs.filter(d -> d.getFileName().toString().startsWith("chk-")).sorted().reduce((a, b) -> b).orElseThrow();
    }
    Path config = writeConfig("same.yaml", HEADER + pipeline("replay", 10) + SINKS);
    try (WeirProcess weir = validate(config, chk.toString())) {
      assertThat(weir.waitFor(30)).as(String.join("\n", weir.stdout)).isZero();
      assertThat(weir.stdout).anyMatch(l -> l.startsWith("checkpoint: " + chk.getFileName() + " ("));
    }
  }

  @Test
  void aMissingDirectoryIsAnErrorAndAnEmptyOneAFreshStart() throws Exception {
    Path config = writeConfig("same.yaml", HEADER + pipeline("replay", 10) + SINKS);
    try (WeirProcess weir = validate(config, "no/such/dir")) {
      assertThat(weir.waitFor(30)).isEqualTo(1);
      assertThat(weir.stdout).contains("checkpoint error: " + work.resolve("no/such/dir") + " does not exist or is not a directory");
    }
    Files.createDirectories(work.resolve("empty"));
    try (WeirProcess weir = validate(config, "empty")) {
      assertThat(weir.waitFor(30)).isZero();
      assertThat(weir.stdout).contains("result: OK, fresh start");
    }
  }

  @Test
  void againstCheckpointWithoutValidateIsAUsageError() throws Exception {
    try (WeirProcess weir = WeirProcess.start(work, "--against-checkpoint", "data/checkpoints")) {
      assertThat(weir.waitFor(30)).isEqualTo(2);
      assertThat(weir.stderr).anyMatch(l -> l.contains("--against-checkpoint only works with validate"));
    }
  }
}
