package io.weir.window;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Aligned windows kept per window: every element updates the per-key aggregate of each of its
 * windows; state is organised by window, then key, so that the many keys of one window fire
 * together and a purge drops one map. Used for tumbling windows, where a window is its own
 * single slice and {@link SlicedWindowOperator} has nothing to share. Single-threaded.
 */
final class PerWindowOperator implements WindowOperator {
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

  PerWindowOperator(WindowAssigner assigner, long allowedLateness, WindowOutput output) {
    this(assigner, allowedLateness, output, Accumulator.Spec.BASIC, EmitPolicy.ON_TIME_AND_LATE);
  }

  /** @param spec the optional sketches each key window keeps */
  PerWindowOperator(
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
        for (String key : state.keys.keySet()) {
          output.purged(key);
        }
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

  @Override
  public void snapshot(java.util.Set<String> only, java.util.function.BiConsumer<String, byte[]> out) {
    Map<String, java.io.ByteArrayOutputStream> byKey = new HashMap<>();
    Map<String, Integer> counts = new HashMap<>();
    try {
      for (WindowState state : windowsByEnd.values()) {
        if (only != null && only.size() < state.keys.size()) {
          // Few changed keys (an incremental checkpoint): look them up in this window instead of
          // testing every key window of it against the set. Same bytes, same order.
          for (String key : only) {
            KeyPane pane = state.keys.get(key);
            if (pane != null) {
              appendPane(byKey, counts, key, state, pane);
            }
          }
          continue;
        }
        for (Map.Entry<String, KeyPane> e : state.keys.entrySet()) {
          if (only != null && !only.contains(e.getKey())) {
            continue;
          }
          appendPane(byKey, counts, e.getKey(), state, e.getValue());
        }
      }
      for (Map.Entry<String, java.io.ByteArrayOutputStream> e : byKey.entrySet()) {
        java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream(e.getValue().size() + 4);
        new java.io.DataOutputStream(whole).writeInt(counts.get(e.getKey()));
        e.getValue().writeTo(whole);
        out.accept(e.getKey(), whole.toByteArray());
      }
      if (only != null) {
        for (String key : only) {
          if (!byKey.containsKey(key)) {
            out.accept(key, null);
          }
        }
      }
    } catch (java.io.IOException impossible) {
      throw new java.io.UncheckedIOException(impossible);
    }
  }

  private static void appendPane(
      Map<String, java.io.ByteArrayOutputStream> byKey,
      Map<String, Integer> counts,
      String key,
      WindowState state,
      KeyPane pane)
      throws java.io.IOException {
    java.io.ByteArrayOutputStream bytes = byKey.computeIfAbsent(key, k -> new java.io.ByteArrayOutputStream(128));
    counts.merge(key, 1, Integer::sum);
    java.io.DataOutputStream data = new java.io.DataOutputStream(bytes);
    data.writeLong(state.window.start());
    data.writeLong(state.window.end());
    data.writeInt(pane.firings);
    data.writeBoolean(pane.dirty);
    data.writeBoolean(pane.hadLate);
    pane.aggregate.writeTo(data);
    data.flush();
  }

  @Override
  public void restoreKey(String key, byte[] bytes) {
    try (java.io.DataInputStream data = new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
      int n = data.readInt();
      for (int i = 0; i < n; i++) {
        long start = data.readLong();
        long end = data.readLong();
        KeyPane pane = new KeyPane(null);
        pane.firings = data.readInt();
        pane.dirty = data.readBoolean();
        pane.hadLate = data.readBoolean();
        pane.aggregate = Accumulator.readFrom(data);
        if (cleanupTime(end - 1) <= watermark) {
          continue; // purged after the key was last written: it can never emit again
        }
        WindowState state = windowsByEnd.get(end);
        if (state == null) {
          state = new WindowState(new Window(start, end));
          // A window has fired exactly when the watermark has passed its end - 1.
          state.fired = state.window.maxTimestamp() <= watermark;
          windowsByEnd.put(end, state);
        }
        if (state.keys.put(key, pane) == null) {
          activeKeyWindows++;
        }
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("state of key " + key + " is corrupt: " + e.getMessage(), e);
    }
  }

  /** Sets the watermark of a restore, firing nothing; call before {@link #restoreKey}. */
  @Override
  public void restoreWatermark(long restored) {
    watermark = restored;
  }

  @Override
  public long evict(String key) {
    long timer = Long.MAX_VALUE;
    for (WindowState state : windowsByEnd.values()) {
      if (state.keys.remove(key) != null) {
        activeKeyWindows--;
        long maxTimestamp = state.window.maxTimestamp();
        timer = Math.min(timer, maxTimestamp > watermark ? maxTimestamp : cleanupTime(maxTimestamp));
      }
    }
    return timer;
  }

  @Override
  public long estimatedBytes() {
    long bytes = 0;
    for (WindowState state : windowsByEnd.values()) {
      for (KeyPane pane : state.keys.values()) {
        bytes += 64 + pane.aggregate.estimatedBytes();
      }
    }
    return bytes;
  }

  @Override
  public void forEachKey(java.util.function.Consumer<String> action) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (WindowState state : windowsByEnd.values()) {
      for (String key : state.keys.keySet()) {
        if (seen.add(key)) {
          action.accept(key);
        }
      }
    }
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
    Accumulator aggregate;
    int firings;
    /** Changed since its last emission. */
    boolean dirty;
    /** Got an element after the watermark passed its end. */
    boolean hadLate;

    /** @param spec the accumulator's sketches; null for a pane whose accumulator is restored */
    KeyPane(Accumulator.Spec spec) {
      aggregate = spec == null ? null : new Accumulator(spec);
    }
  }
}
