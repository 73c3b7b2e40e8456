package io.weir.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across crashes, with the real fat jar: a bounded replay checkpointing every 200 ms
 * is killed with SIGKILL at random moments, restarted each time, until it completes; its
 * committed output must equal, as a multiset of lines, that of an uninterrupted run, and no
 * reader may ever have seen a line that later disappeared.
 */
class CrashRecoveryIT {
  private static final int FILES = 2;
  private static final int EVENTS_PER_FILE = 100_000;
  private static final List<String> OUTPUTS = List.of("out/tumbling.jsonl", "out/sessions.jsonl", "out/late.jsonl", "out/dlq.jsonl");

  @TempDir static Path temp;
  private static Path input;
  /** The output of an uninterrupted run (RocksDB state, parallelism 2): what every test must get. */
  private static Map<String, Map<String, Integer>> expected;

  @BeforeAll
  static void writeInputAndRunTheReference() throws Exception {
    input = temp.resolve("in");
    Files.createDirectories(input);
    SplittableRandom random = new SplittableRandom(2026);
    long base = 1_790_000_000_000L;
    for (int f = 0; f < FILES; f++) {
      try (BufferedWriter out = Files.newBufferedWriter(input.resolve("part-" + f + ".jsonl"), StandardCharsets.UTF_8)) {
        for (int i = 0; i < EVENTS_PER_FILE; i++) {
          if (i % 9_973 == 17) {
            out.write("{\"broken\": \n");
            continue;
          }
          long ts = base + i * 10L - random.nextInt(1_500);
          out.write(
              "{\"id\":\"e" + f + "-" + i + "\",\"key\":\"k" + random.nextInt(400) + "\",\"timestamp\":" + ts
                  + ",\"value\":" + random.nextInt(1_000) + "}\n");
        }
      }
    }
    Path reference = job("reference", "rocksdb", 2);
    runToCompletion(reference);
    expected = outputs(reference);
    assertThat(expected.get("out/tumbling.jsonl")).hasSizeGreaterThan(1_000);
    assertThat(expected.get("out/tumbling.jsonl").keySet()).anyMatch(l -> l.contains("\"is_update\":true"));
    assertThat(expected.get("out/late.jsonl")).isNotEmpty();
    assertThat(expected.get("out/dlq.jsonl")).isNotEmpty();
  }

  private static Path job(String name, String backend, int parallelism) throws Exception {
    return job(name, backend, parallelism, "");
  }

  private static Path job(String name, String backend, int parallelism, String stateOptions) throws Exception {
    Path work = temp.resolve(name);
    Files.createDirectories(work);
    String yaml =
        String.join(
            "\n",
            "api: { port: 0 }",
            "metrics: { enabled: false }",
            "processing: { parallelism: " + parallelism + ", batch_size: 100, queue_size: 1000, checkpoint_interval: 0.2 }",
            "state: { backend: " + backend + stateOptions + " }",
            "watermarks: { delay_ms: 500 }",
            "sources:",
            "  - { id: events, type: file, path: \"" + input.resolve("*.jsonl") + "\", format: jsonl, bounded: true, dead_letter: dlq }",
            "pipelines:",
            "  - id: tumbling",
            "    source: events",
            "    window: { type: tumbling, size_ms: 10000, allowed_lateness_ms: 500 }",
            "    aggregations: [count, sum, min, max, avg, first, last]",
            "    sinks: [tumbling]",
            "    late_sink: late",
            "  - id: sessions",
            "    source: events",
            "    window: { type: session, gap_ms: 300, allowed_lateness_ms: 500 }",
            "    aggregations: [count, sum, max]",
            "    sinks: [sessions]",
            "sinks:",
            "  - { id: tumbling, type: file, path: out/tumbling.jsonl }",
            "  - { id: sessions, type: file, path: out/sessions.jsonl }",
            "  - { id: late, type: file, path: out/late.jsonl }",
            "  - { id: dlq, type: file, path: out/dlq.jsonl }",
            "");
    Files.writeString(work.resolve("weir.yaml"), yaml);
    return work;
  }

  private static Map<String, Map<String, Integer>> outputs(Path work) throws Exception {
    Map<String, Map<String, Integer>> all = new HashMap<>();
    for (String file : OUTPUTS) {
      Map<String, Integer> lines = new TreeMap<>();
      for (String line : Files.readAllLines(work.resolve(file))) {
        lines.merge(line, 1, Integer::sum);
      }
      all.put(file, lines);
    }
    return all;
  }

  private static void runToCompletion(Path work) throws Exception {
    try (WeirProcess weir = WeirProcess.start(work, "--config", "weir.yaml")) {
      assertThat(weir.waitFor(180)).as(weir.log()).isZero();
    }
  }

  private static int completedCheckpoints(WeirProcess weir) {
    return (int) weir.stderr.stream().filter(l -> l.contains("CheckpointCoordinator - checkpoint") && l.contains("completed in")).count();
  }

  @Test
  void killedFiveTimesWithSigkillTheCommittedOutputEqualsAnUninterruptedRun() throws Exception {
    Path crashed = job("crashed", "rocksdb", 2);
    SplittableRandom random = new SplittableRandom(7);
    int kills = 0;
    int lazyRestores = 0;
    Map<String, String> seen = new HashMap<>();
    while (kills < 5) {
      WeirProcess weir = WeirProcess.start(crashed, "--config", "weir.yaml");
      // Let this incarnation make progress: one checkpoint of its own, then a random moment.
      boolean exited = false;
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> completedCheckpoints(weir) >= 1 || !weir.process.isAlive());
        Thread.sleep(random.nextInt(400));
      } finally {
        if (weir.process.isAlive()) {
          weir.process.destroyForcibly(); // SIGKILL
          weir.process.waitFor();
          kills++;
        } else {
          exited = true;
        }
      }
      // Both pipelines (RocksDB) restore lazily: keys are read back when needed.
      if (weir.stderr.stream().anyMatch(l -> l.contains("pipeline tumbling operator") && l.contains("lazily"))
          && weir.stderr.stream().anyMatch(l -> l.contains("pipeline sessions operator") && l.contains("lazily"))) {
        lazyRestores++;
      }
      if (exited) {
        assertThat(weir.process.exitValue()).as(weir.log()).isZero();
        break;
      }
      // Whatever a reader saw so far must stay: each output is a prefix of its final content.
      for (String file : OUTPUTS) {
        Path p = crashed.resolve(file);
        seen.put(file, Files.exists(p) ? Files.readString(p) : "");
      }
    }
    assertThat(kills).as("the job finished before it could be killed five times").isEqualTo(5);
    assertThat(lazyRestores).as("restarts that restored both pipelines lazily").isEqualTo(4);
    runToCompletion(crashed);

    Map<String, Map<String, Integer>> actual = outputs(crashed);
    for (String file : OUTPUTS) {
      assertThat(actual.get(file)).as(file).isEqualTo(expected.get(file));
      assertThat(Files.readString(crashed.resolve(file))).as(file + " grew only by appends").startsWith(seen.get(file));
    }

    // A restart after the end reprocesses nothing.
    runToCompletion(crashed);
    assertThat(outputs(crashed)).isEqualTo(actual);
  }

  @Test
  void aStateCacheFarTooSmallSpillsToRocksDbAndChangesNoResult() throws Exception {
    // Every key not changed since the last checkpoint leaves memory; elements and timers read
    // their keys back.
    Path tiny = job("tiny-cache", "rocksdb", 2, ", cache_max_bytes: 1");
    List<String> log = new ArrayList<>();
    try (WeirProcess weir = WeirProcess.start(tiny, "--config", "weir.yaml")) {
      assertThat(weir.waitFor(180)).as(weir.log()).isZero();
      log.addAll(weir.stderr);
    }
    assertThat(log).anyMatch(l -> l.contains("state cache:") && l.contains("keys evicted to the store"));
    assertThat(outputs(tiny)).isEqualTo(expected);
  }

  @Test
  void restoringWithAnotherParallelismGivesTheSameResults() throws Exception {
    Path rescaled = job("rescaled", "memory", 1);
    try (WeirProcess weir = WeirProcess.start(rescaled, "--config", "weir.yaml")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> completedCheckpoints(weir) >= 2 || !weir.process.isAlive());
      assertThat(weir.process.isAlive()).as("the job ended before it could be killed").isTrue();
      weir.process.destroyForcibly();
      weir.process.waitFor();
    }
    // Same job, three operator partitions instead of one (and the memory backend instead of
    // RocksDB, unlike the reference: the results must not depend on either).
    Path config = rescaled.resolve("weir.yaml");
    Files.writeString(config, Files.readString(config).replace("parallelism: 1,", "parallelism: 3,"));
    runToCompletion(rescaled);
    assertThat(outputs(rescaled)).isEqualTo(expected);
  }

  @Test
  void sigtermTakesAFinalCheckpointAndARestartDoesNotReprocess() throws Exception {
    Path work = job("stopped", "rocksdb", 2);
    List<String> log = new ArrayList<>();
    try (WeirProcess weir = WeirProcess.start(work, "--config", "weir.yaml")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> completedCheckpoints(weir) >= 1 || !weir.process.isAlive());
      assertThat(weir.process.isAlive()).isTrue();
      weir.sigterm();
      assertThat(weir.waitFor(60)).as(weir.log()).isZero();
      log.addAll(weir.stderr);
    }
    assertThat(log).anyMatch(l -> l.contains("final checkpoint") && l.contains("published"));
    // Everything processed before the stop is committed: the restart goes on from there.
    long committedBefore = Files.size(work.resolve("out/tumbling.jsonl"));
    runToCompletion(work);
    assertThat(outputs(work)).isEqualTo(expected);
    assertThat(Files.size(work.resolve("out/tumbling.jsonl"))).isGreaterThanOrEqualTo(committedBefore);
  }
}
