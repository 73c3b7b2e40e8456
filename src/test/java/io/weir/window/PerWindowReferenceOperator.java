package io.weir.window;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-window {@link AlignedWindowOperator} as it was before slicing (commit c7c9a21), kept
 * verbatim as the reference of the differential test: every element updates each of its
 * windows' per-key aggregate. Not used by the engine.
 */
final class PerWindowReferenceOperator implements WindowOperator {
  private final WindowAssigner assigner;
  private final long allowedLateness;
  private final WindowOutput output;
  private final Accumulator.Spec spec;
  private final EmitPolicy emit;
  private final TreeMap<Long, WindowState> windowsByEnd = new TreeMap<>();
  private final long[] starts;
  private final long[] ends;
  private long watermark = Long.MIN_VALUE;
  private long activeKeyWindows;

  PerWindowReferenceOperator(WindowAssigner assigner, long allowedLateness, WindowOutput output) {
    this(assigner, allowedLateness, output, Accumulator.Spec.BASIC, EmitPolicy.ON_TIME_AND_LATE);
  }

  /** @param spec the optional sketches each key window keeps */
  PerWindowReferenceOperator(
      WindowAssigner assigner,
      long allowedLateness,
      WindowOutput output,
      Accumulator.Spec spec,
      EmitPolicy emit) {
    if (allowedLateness < 0) {
      throw new IllegalArgumentException("allowed lateness must be >= 0, got " + allowedLateness);
    }
    this.assigner = assigner;
    this.allowedLateness = allowedLateness;
    this.output = output;
    this.spec = spec;
    this.emit = emit;
    this.starts = new long[assigner.maxWindowsPerElement()];
    this.ends = new long[assigner.maxWindowsPerElement()];
  }

  @Override
  public void processElement(
      String key, long timestamp, double value, String distinctItem, Object element) {
    int n = assigner.assign(timestamp, starts, ends);
    boolean added = false;
    for (int i = 0; i < n; i++) {
      long end = ends[i];
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
        pane = new KeyPane(spec);
        state.keys.put(key, pane);
        activeKeyWindows++;
      }
      pane.aggregate.add(timestamp, value, distinctItem);
      pane.dirty = true;
      added = true;
      if (end - 1 <= watermark) {
        // The window has passed the watermark but is within lateness: fire this key at once.
        state.fired = true;
        pane.hadLate = true;
        if (emit == EmitPolicy.ON_TIME_AND_LATE) {
          fire(key, state.window, pane, Pane.Timing.LATE);
        }
      }
    }
    if (!added && WindowOperator.saturatedAdd(timestamp, allowedLateness) <= watermark) {
      output.late(element, timestamp, new Window(starts[0], ends[0]), watermark);
    }
  }

  @Override
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
        if (emit == EmitPolicy.ON_TIME_AND_LATE) {
          for (Map.Entry<String, KeyPane> e : state.keys.entrySet()) {
            fire(e.getKey(), state.window, e.getValue(), Pane.Timing.ON_TIME);
          }
        }
      }
      if (cleanupTime(maxTimestamp) <= watermark) {
        if (emit == EmitPolicy.FINAL_ONLY) {
          for (Map.Entry<String, KeyPane> e : state.keys.entrySet()) {
            KeyPane pane = e.getValue();
            fire(e.getKey(), state.window, pane, pane.hadLate ? Pane.Timing.LATE : Pane.Timing.ON_TIME);
          }
        }
        activeKeyWindows -= state.keys.size();
        it.remove();
      }
    }
  }

  private void fire(String key, Window window, KeyPane pane, Pane.Timing timing) {
    boolean isFinal = cleanupTime(window.maxTimestamp()) <= watermark;
    output.fire(key, window, pane.aggregate, new Pane(pane.firings, timing, isFinal), watermark);
    pane.firings++;
    pane.dirty = false;
  }

  @Override
  public void emitEarly() {
    for (WindowState state : windowsByEnd.values()) {
      if (state.fired) {
        continue;
      }
      for (Map.Entry<String, KeyPane> e : state.keys.entrySet()) {
        if (e.getValue().dirty) {
          fire(e.getKey(), state.window, e.getValue(), Pane.Timing.EARLY);
        }
      }
    }
  }

  private long cleanupTime(long maxTimestamp) {
    return WindowOperator.saturatedAdd(maxTimestamp, allowedLateness);
  }

  @Override
  public long watermark() {
    return watermark;
  }

  @Override
  public long activeKeyWindows() {
    return activeKeyWindows;
  }

  @Override
  public int activeWindows() {
    return windowsByEnd.size();
  }

  @Override
  public String typeName() {
    return assigner.typeName();
  }

  @Override
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
    return KeyWindowView.of(
        key, state.window, pane.aggregate, pane.firings, cleanupTime(state.window.maxTimestamp()));
  }

  private static final class WindowState {
    final Window window;
    final HashMap<String, KeyPane> keys = new HashMap<>();
    boolean fired;

    WindowState(Window window) {
      this.window = window;
    }
  }

  private static final class KeyPane {
    final Accumulator aggregate;
    int firings;
    /** Changed since its last emission. */
    boolean dirty;
    /** Got an element after the watermark passed its end. */
    boolean hadLate;

    KeyPane(Accumulator.Spec spec) {
      aggregate = new Accumulator(spec);
    }
  }

  // The reference only defines what is emitted; checkpoints are tested on the real operators.
  @Override
  public void snapshot(java.util.Set<String> keys, java.util.function.BiConsumer<String, byte[]> out) {
    throw new UnsupportedOperationException("the reference operator is not checkpointed");
  }

  @Override
  public void restoreKey(String key, byte[] state) {
    throw new UnsupportedOperationException("the reference operator is not checkpointed");
  }

  @Override
  public void restoreWatermark(long watermark) {
    throw new UnsupportedOperationException("the reference operator is not checkpointed");
  }

  @Override
  public long evict(String key) {
    throw new UnsupportedOperationException("the reference operator is not checkpointed");
  }

  @Override
  public long nextTimer(String key) {
    throw new UnsupportedOperationException("the reference operator is not checkpointed");
  }

  @Override
  public long estimatedBytes() {
    throw new UnsupportedOperationException("the reference operator is not checkpointed");
  }

  @Override
  public void forEachKey(java.util.function.Consumer<String> action) {
    throw new UnsupportedOperationException("the reference operator is not checkpointed");
  }
}
