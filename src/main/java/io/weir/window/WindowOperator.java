package io.weir.window;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Event-time window operator for fixed-size windows (tumbling, sliding): Flink's {@code
 * WindowOperator} with {@code EventTimeTrigger}, allowed lateness and a late side output,
 * single-threaded and free of any runtime.
 *
 * <p>Contract, per Flink:
 *
 * <ul>
 *   <li>an element is judged against the watermark left by the elements before it;
 *   <li>it skips each of its windows whose {@code end - 1 + lateness <= watermark}; added to a
 *       window whose {@code end - 1 <= watermark} it fires that key's window at once;
 *   <li>it goes to {@link WindowOutput#late} only when it was added to no window and {@code
 *       timestamp + lateness <= watermark};
 *   <li>a window fires when the watermark reaches {@code end - 1}, windows in end order, every
 *       firing carrying the full aggregate (accumulating panes);
 *   <li>a window's state is dropped when the watermark reaches {@code end - 1 + lateness}.
 * </ul>
 *
 * <p>State is organised by window, then key, so that the many keys of one tumbling window fire
 * together and a purge drops one map.
 */
public final class WindowOperator {
  private final WindowAssigner assigner;
  private final long allowedLateness;
  private final WindowOutput output;
  private final TreeMap<Long, WindowState> windowsByEnd = new TreeMap<>();
  private final long[] starts;
  private long watermark = Long.MIN_VALUE;
  private long activeKeyWindows;

  public WindowOperator(WindowAssigner assigner, long allowedLateness, WindowOutput output) {
    if (allowedLateness < 0) {
      throw new IllegalArgumentException("allowed lateness must be >= 0, got " + allowedLateness);
    }
    this.assigner = assigner;
    this.allowedLateness = allowedLateness;
    this.output = output;
    this.starts = new long[assigner.maxWindowsPerElement()];
  }

  /**
   * Adds one element to its windows.
   *
   * @param element passed back to {@link WindowOutput#late} when the element is dropped
   */
  public void processElement(String key, long timestamp, double value, Object element) {
    int n = assigner.assign(timestamp, starts);
    long size = assigner.size();
    boolean added = false;
    for (int i = 0; i < n; i++) {
      long end = starts[i] + size;
      if (cleanupTime(end - 1) <= watermark) {
        continue;
      }
      WindowState state = windowsByEnd.get(end);
      if (state == null) {
        state = new WindowState(new Window(starts[i], end));
        windowsByEnd.put(end, state);
      }
      KeyPane pane = state.keys.get(key);
      if (pane == null) {
        pane = new KeyPane();
        state.keys.put(key, pane);
        activeKeyWindows++;
      }
      pane.aggregate.add(value);
      added = true;
      if (end - 1 <= watermark) {
        // The window has passed the watermark but is within lateness: fire this key at once.
        state.fired = true;
        fire(key, state.window, pane);
      }
    }
    if (!added && saturatedAdd(timestamp, allowedLateness) <= watermark) {
      long latestStart = starts[0];
      output.late(element, timestamp, new Window(latestStart, latestStart + size), watermark);
    }
  }

  /**
   * Advances event time: fires every window with {@code end - 1 <= watermark} that has not fired,
   * in end order, and purges windows past their lateness. A watermark that does not advance is
   * ignored.
   */
  public void advanceWatermark(long newWatermark) {
    if (newWatermark <= watermark) {
      return;
    }
    watermark = newWatermark;
    Iterator<WindowState> it = windowsByEnd.values().iterator();
    while (it.hasNext()) {
      WindowState state = it.next();
      long maxTimestamp = state.window.maxTimestamp();
      if (maxTimestamp > watermark) {
        break;
      }
      if (!state.fired) {
        state.fired = true;
        for (Map.Entry<String, KeyPane> e : state.keys.entrySet()) {
          fire(e.getKey(), state.window, e.getValue());
        }
      }
      if (cleanupTime(maxTimestamp) <= watermark) {
        activeKeyWindows -= state.keys.size();
        it.remove();
      }
    }
  }

  private void fire(String key, Window window, KeyPane pane) {
    output.fire(key, window, pane.aggregate, pane.firings > 0, watermark);
    pane.firings++;
  }

  private long cleanupTime(long maxTimestamp) {
    return saturatedAdd(maxTimestamp, allowedLateness);
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return (b > 0 && r < a) ? Long.MAX_VALUE : r;
  }

  public long watermark() {
    return watermark;
  }

  /** Number of (key, window) pairs holding state. */
  public long activeKeyWindows() {
    return activeKeyWindows;
  }

  /** Number of distinct windows holding state. */
  public int activeWindows() {
    return windowsByEnd.size();
  }

  public long allowedLateness() {
    return allowedLateness;
  }

  public WindowAssigner assigner() {
    return assigner;
  }

  /**
   * A view of up to {@code limit} key windows, earliest end first, optionally of one key: for
   * inspection, not for the hot path.
   */
  public List<KeyWindowView> view(String keyOrNull, int limit) {
    List<KeyWindowView> out = new ArrayList<>();
    for (WindowState state : windowsByEnd.values()) {
      if (keyOrNull != null) {
        KeyPane pane = state.keys.get(keyOrNull);
        if (pane != null) {
          out.add(viewOf(keyOrNull, state, pane));
        }
      } else {
        for (Map.Entry<String, KeyPane> e : state.keys.entrySet()) {
          if (out.size() >= limit) {
            return out;
          }
          out.add(viewOf(e.getKey(), state, e.getValue()));
        }
      }
      if (out.size() >= limit) {
        return out;
      }
    }
    return out;
  }

  private KeyWindowView viewOf(String key, WindowState state, KeyPane pane) {
    Accumulator a = pane.aggregate;
    return new KeyWindowView(
        key,
        state.window,
        a.count(),
        a.sum(),
        a.min(),
        a.max(),
        pane.firings,
        state.window.maxTimestamp(),
        cleanupTime(state.window.maxTimestamp()));
  }

  /**
   * Read-only snapshot of one key's window.
   *
   * @param firesAt the watermark at which it fires ({@code end - 1})
   * @param purgedAt the watermark at which its state is dropped ({@code end - 1 + lateness})
   */
  public record KeyWindowView(
      String key,
      Window window,
      long count,
      double sum,
      double min,
      double max,
      int firings,
      long firesAt,
      long purgedAt) {}

  private static final class WindowState {
    final Window window;
    final HashMap<String, KeyPane> keys = new HashMap<>();
    boolean fired;

    WindowState(Window window) {
      this.window = window;
    }
  }

  private static final class KeyPane {
    final Accumulator aggregate = new Accumulator();
    int firings;
  }
}
