package io.weir.perf;

import io.weir.watermark.BoundedOutOfOrdernessWatermarks;
import io.weir.window.WindowOperator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Drives one window operator the way an operator verticle does with a single input channel:
 * for every event, {@code processElement} with the watermark left by the events before it, then
 * the watermark after the event ({@code max timestamp seen - delay - 1}) via {@code
 * advanceWatermark}, which fires and purges windows. The operator, its state and the watermark
 * live for the whole trial; each invocation replays {@link #EVENTS} events a little further in
 * event time, so the score (ops/s) is events per second in steady state.
 *
 * <p>Short by default (3 x 2 s warmup, 5 x 2 s measurement, 1 fork); override on the command
 * line, e.g. {@code -wi 5 -w 5 -i 10 -r 5 -f 3}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public abstract class WindowBenchmarkBase {
  /** Events per invocation; the {@code @OperationsPerInvocation} of every window benchmark. */
  static final int EVENTS = 1_200_000;

  /** Distinct keys. */
  @Param("10000")
  public int keys;

  /** Events per second of event time (how densely the windows fill: events per key per window). */
  @Param("10000")
  public double eventsPerSecond;

  /** Bound of the event-time jitter (events move back by 0..jitterMs). */
  @Param("1000")
  public long jitterMs;

  /** Watermark delay (bounded out-of-orderness); >= jitterMs means no late events. */
  @Param("2000")
  public long delayMs;

  EventStream stream;
  WindowOperator operator;
  BlackholeWindowOutput output;
  BoundedOutOfOrdernessWatermarks watermarks;
  long base;
  long events;

  /** Builds the operator under test; it must send its output to {@code output}. */
  abstract WindowOperator createOperator(BlackholeWindowOutput output);

  /** Key groups active in turn (1 = every key all the time); see {@link EventStream}. */
  int activeGroups() {
    return 1;
  }

  @Setup(Level.Trial)
  public void setUp() {
    stream = new EventStream(EVENTS, keys, eventsPerSecond, jitterMs, activeGroups(), 42L);
    output = new BlackholeWindowOutput();
    operator = createOperator(output);
    watermarks = new BoundedOutOfOrdernessWatermarks(delayMs);
    base = EventStream.EPOCH;
  }

  /** One replay of the stream through the operator; returns the watermark reached. */
  final long replay(Blackhole blackhole) {
    output.blackhole = blackhole;
    long[] timestamps = stream.timestamps;
    int[] keyIndex = stream.keys;
    double[] values = stream.values;
    String[] keyNames = stream.keyNames;
    WindowOperator op = operator;
    BoundedOutOfOrdernessWatermarks wm = watermarks;
    long shift = base;
    for (int i = 0; i < timestamps.length; i++) {
      long t = shift + timestamps[i];
      op.processElement(keyNames[keyIndex[i]], t, values[i], null);
      op.advanceWatermark(wm.onEvent(t));
    }
    base += stream.span();
    events += timestamps.length;
    return op.watermark();
  }

  @TearDown(Level.Trial)
  public void report() {
    // Printed once per fork: shows what the workload did (firings per event, late events, state).
    System.out.printf(
        "%n[%s] events %,d, event time %.1f min, firings %,d (%.4f per event), late %,d, "
            + "active key windows at end %,d in %,d windows%n",
        getClass().getSimpleName().replace("_jmhType", ""),
        events,
        (base - EventStream.EPOCH) / 60_000.0,
        output.firings,
        events == 0 ? 0.0 : (double) output.firings / events,
        output.lateEvents,
        operator.activeKeyWindows(),
        operator.activeWindows());
  }
}
