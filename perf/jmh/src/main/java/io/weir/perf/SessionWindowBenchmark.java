package io.weir.perf;

import io.weir.window.SessionWindowOperator;
import io.weir.window.SessionWindows;
import io.weir.window.WindowOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.infra.Blackhole;

/**
 * (c) {@link SessionWindowOperator} with a 30 s gap; score = events/s.
 *
 * <p>By default the keys are split in 5 groups, one active per minute of event time in turn: a
 * key is busy for a minute, then silent for four, so its session closes after the 30 s gap and
 * fires, as sessions do in a click stream. With {@code -p activeGroups=1} every key is active
 * all the time (at the default rate each key sees an event about every second): sessions never
 * close, and every event merges into its key's open session.
 */
public class SessionWindowBenchmark extends WindowBenchmarkBase {

  @Param("5")
  public int activeGroups;

  @Override
  int activeGroups() {
    return activeGroups;
  }

  @Override
  WindowOperator createOperator(BlackholeWindowOutput output) {
    return new SessionWindowOperator(SessionWindows.withGap(30_000), 0, output);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long session30s(Blackhole blackhole) {
    return replay(blackhole);
  }
}
