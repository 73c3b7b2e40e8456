package io.weir.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A source that delivers some events twice: with dedup_horizon_ms the results are as without. */
class DedupIT {
  @TempDir Path temp;

  private List<String> replay(String name, List<String> lines, String dedup) throws Exception {
    Path work = temp.resolve(name);
    Files.createDirectories(work);
    Files.write(work.resolve("events.jsonl"), lines);
    Files.writeString(
        work.resolve("weir.yaml"),
        String.join(
            "\n",
            "api: { port: 0 }",
            "metrics: { enabled: false }",
            "watermarks: { delay_ms: 100 }",
            "sources:",
            "  - { id: in, type: file, path: events.jsonl, bounded: true }",
            "pipelines:",
            "  - { id: p, source: in, window: { type: tumbling, size_ms: 1000 }, sinks: [out]" + dedup + " }",
            "sinks:",
            "  - { id: out, type: file, path: out.jsonl }",
            ""));
    try (WeirProcess weir = WeirProcess.start(work, "--config", "weir.yaml")) {
      assertThat(weir.waitFor(60)).as(weir.log()).isZero();
    }
    // Operator partitions write concurrently: compare the results, not their interleaving.
    List<String> results = new ArrayList<>(Files.readAllLines(work.resolve("out.jsonl")));
    java.util.Collections.sort(results);
    return results;
  }

  @Test
  void redeliveredEventsAreCountedOnce() throws Exception {
    List<String> once = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      once.add("{\"id\":\"e" + i + "\",\"key\":\"k" + (i % 3) + "\",\"timestamp\":" + (i * 20) + ",\"value\":" + i + "}");
    }
    List<String> twice = new ArrayList<>();
    for (int i = 0; i < once.size(); i++) {
      twice.add(once.get(i));
      if (i % 7 == 0) {
        twice.add(once.get(i)); // delivered again at once
      }
      if (i >= 5 && i % 11 == 0) {
        twice.add(once.get(i - 5)); // and a little later
      }
    }
    List<String> expected = replay("once", once, "");
    assertThat(replay("twice-without-dedup", twice, "")).isNotEqualTo(expected);
    assertThat(replay("twice-with-dedup", twice, ", dedup_horizon_ms: 10000")).isEqualTo(expected);
  }
}
