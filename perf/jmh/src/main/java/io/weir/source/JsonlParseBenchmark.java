package io.weir.source;

import io.weir.config.FileSourceConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * (f) One JSONL line of the e2e workload's shape into an event, as the file source parses it
 * (from the read buffer's bytes): lines/s on one thread. In package {@code io.weir.source} to
 * reach the package-private {@link LineParser}. {@code scanner} is the byte scanner (with the
 * Jackson streaming path as its fallback); {@code jackson} forces the Jackson streaming path
 * (a line the scanner hands over: its id has an escape) for comparison.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class JsonlParseBenchmark {
  static final int LINES = 10_000;

  private LineParser parser;
  private byte[][] plain;
  private byte[][] escaped;

  @Setup
  public void setUp() {
    parser =
        new LineParser(
            new FileSourceConfig(
                "f", "x", FileSourceConfig.FileFormat.JSONL, true, "key", "timestamp", "value", "id", 100, null, List.of("x")));
    plain = new byte[LINES][];
    escaped = new byte[LINES][];
    for (int i = 0; i < LINES; i++) {
      String head = "{\"id\":\"e" + i + "\",\"key\":\"k" + (i % 10_000) + "\",\"timestamp\":" + (1_790_000_000_000L + i) + ",\"value\":";
      plain[i] = (head + (i % 1000) + ".25}").getBytes(StandardCharsets.US_ASCII);
      // An escaped slash in the id: the scanner leaves escapes to Jackson.
      escaped[i] = (head.replace("\"id\":\"e", "\"id\":\"e\\/") + (i % 1000) + ".25}").getBytes(StandardCharsets.US_ASCII);
    }
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public void scanner(Blackhole bh) {
    for (int i = 0; i < LINES; i++) {
      bh.consume(parser.parseAscii(plain[i], 0, plain[i].length, 0, i));
    }
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public void jackson(Blackhole bh) {
    for (int i = 0; i < LINES; i++) {
      bh.consume(parser.parseAscii(escaped[i], 0, escaped[i].length, 0, i));
    }
  }
}
