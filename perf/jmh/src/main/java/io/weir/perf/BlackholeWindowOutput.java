package io.weir.perf;

import io.weir.window.Accumulator;
import io.weir.window.Pane;
import io.weir.window.Window;
import io.weir.window.WindowOutput;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A {@link WindowOutput} that does no work of its own but reads every result field (so the JIT
 * cannot drop the firing) and hands it to a {@link Blackhole}. Counts firings and late events so
 * a benchmark can check its workload is what it claims to be.
 */
final class BlackholeWindowOutput implements WindowOutput {
  Blackhole blackhole;
  long firings;
  long lateEvents;

  @Override
  public void fire(String key, Window window, Accumulator aggregate, Pane pane, long watermark) {
    firings++;
    blackhole.consume(key);
    blackhole.consume(window);
    blackhole.consume(aggregate.count());
    blackhole.consume(aggregate.sum());
    blackhole.consume(aggregate.min());
    blackhole.consume(aggregate.max());
    blackhole.consume(aggregate.avg());
    blackhole.consume(pane);
    blackhole.consume(watermark);
  }

  @Override
  public void late(Object element, long timestamp, Window latestWindow, long watermark) {
    lateEvents++;
    blackhole.consume(latestWindow);
  }
}
