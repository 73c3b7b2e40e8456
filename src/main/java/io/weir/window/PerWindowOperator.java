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
  /** Key windows changed (or purged) since the last {@link #flushChanges}, each once. */
  private final ArrayList<KeyPane> changed = new ArrayList<>();
  /** Entries of {@link #changed} purged before they were ever stored: nothing to write. */
  private int purgedUnstored;
  /** Per key in memory: its number of key windows and a lower bound of their earliest end. */
  private final HashMap<String, KeyMeta> keyMeta = new HashMap<>();
  /** Keys restored from a whole-key entry (an older layout): the entry is deleted at the next flush. */
  private final java.util.Set<String> legacyKeys = new java.util.HashSet<>();
  private final java.io.ByteArrayOutputStream encoded = new java.io.ByteArrayOutputStream(128);
  private final java.io.DataOutputStream encoder = new java.io.DataOutputStream(encoded);

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
        pane = new KeyPane(key, state, spec);
        state.keys.put(key, pane);
        activeKeyWindows++;
        added(key, end);
      }
      pane.aggregate.add(timestamp, value, distinctItem);
      pane.dirty = true;
      queue(pane);
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
        purging(state);
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
    queue(pane);
  }

  /** Records that {@code pane} changed: the next {@link #flushChanges} writes (or deletes) it. */
  private void queue(KeyPane pane) {
    if (!pane.queued) {
      pane.queued = true;
      changed.add(pane);
    }
  }

  /** A key window was created (or restored) in memory. */
  private void added(String key, long end) {
    KeyMeta meta = keyMeta.get(key);
    if (meta == null) {
      meta = new KeyMeta();
      meta.minEnd = end;
      keyMeta.put(key, meta);
    } else {
      meta.minEnd = Math.min(meta.minEnd, end);
    }
    meta.panes++;
  }

  /**
   * Window {@code state} is being purged: its key windows are deleted from the store at the next
   * flush, and each key's earliest end moves past it (to the exact next window of the key when
   * it is one of the next two windows, which is the common case; to a lower bound otherwise).
   */
  private void purging(WindowState state) {
    long end = state.window.end();
    Map.Entry<Long, WindowState> e1 = windowsByEnd.higherEntry(end);
    Map.Entry<Long, WindowState> e2 = e1 == null ? null : windowsByEnd.higherEntry(e1.getKey());
    for (KeyPane pane : state.keys.values()) {
      pane.purged = true;
      if (pane.stored) {
        queue(pane);
      } else if (pane.queued) {
        purgedUnstored++;
      }
      KeyMeta meta = keyMeta.get(pane.key);
      if (--meta.panes == 0) {
        keyMeta.remove(pane.key);
      } else if (e1 != null && e1.getValue().keys.containsKey(pane.key)) {
        meta.minEnd = Math.max(meta.minEnd, e1.getKey());
      } else if (e2 != null && e2.getValue().keys.containsKey(pane.key)) {
        meta.minEnd = Math.max(meta.minEnd, e2.getKey());
      } else {
        // Every later window of the key ends after the last one looked at.
        long bound = e2 != null ? e2.getKey() : e1 != null ? e1.getKey() : end;
        meta.minEnd = Math.max(meta.minEnd, bound + 1);
      }
    }
    if (purgedUnstored > 4096 && purgedUnstored > changed.size() / 2) {
      // Key windows that came and went between two writes (long between checkpoints, as with
      // the memory backend): drop them now rather than keep them alive until the next write.
      changed.removeIf(
          pane -> {
            if (pane.purged && !pane.stored) {
              pane.queued = false;
              return true;
            }
            return false;
          });
      purgedUnstored = 0;
    }
  }

  @Override
  public void flushChanges(java.util.Set<String> changedKeys, StateChanges out) {
    for (String key : legacyKeys) {
      out.key(key, null);
    }
    legacyKeys.clear();
    for (KeyPane pane : changed) {
      pane.queued = false;
      if (pane.purged) {
        if (pane.stored) {
          out.window(pane.key, pane.window.window.end(), null);
          pane.stored = false;
        }
      } else {
        out.window(pane.key, pane.window.window.end(), encode(pane));
        pane.stored = true;
      }
    }
    changed.clear();
    purgedUnstored = 0;
  }

  /** One key window: start, firings, flags and the aggregate (its end is in the store key). */
  private byte[] encode(KeyPane pane) {
    try {
      encoded.reset();
      encoder.writeLong(pane.window.window.start());
      encoder.writeInt(pane.firings);
      encoder.writeBoolean(pane.dirty);
      encoder.writeBoolean(pane.hadLate);
      pane.aggregate.writeTo(encoder);
      encoder.flush();
      return encoded.toByteArray();
    } catch (java.io.IOException impossible) {
      throw new java.io.UncheckedIOException(impossible);
    }
  }

  @Override
  public void restoreWindow(String key, long end, byte[] bytes) {
    try (java.io.DataInputStream data = new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
      long start = data.readLong();
      if (cleanupTime(end - 1) <= watermark) {
        // Purged after it was written (a key read back late): delete it from the store.
        KeyPane gone = new KeyPane(key, new WindowState(new Window(start, end)), null);
        gone.stored = true;
        gone.purged = true;
        queue(gone);
        return;
      }
      KeyPane pane = readPane(key, data);
      pane.stored = true;
      attach(pane, start, end);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("state of key " + key + ", window ending at " + end + " is corrupt: " + e.getMessage(), e);
    }
  }

  /** A key window's bookkeeping and aggregate, as {@link #encode} wrote them after its bounds. */
  private static KeyPane readPane(String key, java.io.DataInputStream data) throws java.io.IOException {
    KeyPane pane = new KeyPane(key, null, null);
    pane.firings = data.readInt();
    pane.dirty = data.readBoolean();
    pane.hadLate = data.readBoolean();
    pane.aggregate = Accumulator.readFrom(data);
    return pane;
  }

  /** Puts a restored key window into its window, which is created as it was if missing. */
  private void attach(KeyPane pane, long start, long end) {
    WindowState state = windowsByEnd.get(end);
    if (state == null) {
      state = new WindowState(new Window(start, end));
      // A window has fired exactly when the watermark has passed its end - 1.
      state.fired = state.window.maxTimestamp() <= watermark;
      windowsByEnd.put(end, state);
    }
    pane.window = state;
    if (state.keys.put(pane.key, pane) == null) {
      activeKeyWindows++;
      added(pane.key, end);
    }
  }

  @Override
  public int pendingChanges() {
    return changed.size();
  }

  @Override
  public long nextTimer(String key) {
    KeyMeta meta = keyMeta.get(key);
    if (meta == null) {
      return NO_STATE;
    }
    long maxTimestamp = meta.minEnd - 1;
    if (maxTimestamp > watermark) {
      return maxTimestamp; // its earliest window has not fired yet
    }
    if (watermark >= Long.MAX_VALUE - 2) {
      return Long.MAX_VALUE;
    }
    // Its earliest window has fired and waits for its purge; a later window may fire first.
    long timer = cleanupTime(maxTimestamp);
    Long unfired = windowsByEnd.ceilingKey(watermark + 2);
    if (unfired != null) {
      timer = Math.min(timer, unfired - 1);
    }
    return Math.max(timer, watermark + 1);
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
        KeyPane pane = readPane(key, data);
        if (cleanupTime(end - 1) <= watermark) {
          continue; // purged after the key was last written: it can never emit again
        }
        attach(pane, start, end);
        // Written as one entry per key window from now on.
        queue(pane);
      }
      legacyKeys.add(key);
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
    keyMeta.remove(key);
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
  public Map<String, Long> evictAll(java.util.Set<String> keys) {
    // Each key's timer from its earliest-end bound (a lower bound, as the timer index holds):
    // no per-window bookkeeping while dropping millions of key windows.
    Map<String, Long> timers = new HashMap<>();
    for (String key : keys) {
      long timer = nextTimer(key);
      timers.put(key, timer == NO_STATE ? Long.MAX_VALUE : timer);
    }
    java.util.Set<String> staying = new java.util.HashSet<>(keyMeta.keySet());
    staying.removeAll(keys);
    Iterator<WindowState> it = windowsByEnd.values().iterator();
    while (it.hasNext()) {
      WindowState state = it.next();
      int before = state.keys.size();
      // The cheapest of three ways, by the number of lookups: remove the evicted keys; or copy
      // the few keys that stay (a table emptied by removals would keep its size); or filter.
      if (keys.size() <= Math.min(before / 4, staying.size())) {
        for (String key : keys) {
          state.keys.remove(key);
        }
      } else if (staying.size() < before) {
        HashMap<String, KeyPane> kept = new HashMap<>();
        for (String key : staying) {
          KeyPane pane = state.keys.get(key);
          if (pane != null) {
            kept.put(key, pane);
          }
        }
        state.keys = kept;
      } else {
        HashMap<String, KeyPane> kept = new HashMap<>();
        for (Map.Entry<String, KeyPane> e : state.keys.entrySet()) {
          if (!keys.contains(e.getKey())) {
            kept.put(e.getKey(), e.getValue());
          }
        }
        state.keys = kept;
      }
      activeKeyWindows -= before - state.keys.size();
      if (state.keys.isEmpty()) {
        // Recreated as it was (fired exactly when the watermark passed its end) if a key comes back.
        it.remove();
      }
    }
    for (String key : keys) {
      keyMeta.remove(key);
    }
    return timers;
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
    keyMeta.keySet().forEach(action);
  }

  private static final class WindowState {
    final Window window;
    HashMap<String, KeyPane> keys = new HashMap<>();
    boolean fired;

    WindowState(Window window) {
      this.window = window;
    }
  }

  private static final class KeyPane {
    final String key;
    WindowState window;
    Accumulator aggregate;
    int firings;
    /** Changed since its last emission. */
    boolean dirty;
    /** Got an element after the watermark passed its end. */
    boolean hadLate;
    /** In {@link #changed}. */
    boolean queued;
    /** Has an entry in the store (as of the last flush). */
    boolean stored;
    /** Its window was purged: its entry is to be deleted. */
    boolean purged;

    /** @param spec the accumulator's sketches; null for a pane whose accumulator is restored */
    KeyPane(String key, WindowState window, Accumulator.Spec spec) {
      this.key = key;
      this.window = window;
      aggregate = spec == null ? null : new Accumulator(spec);
    }
  }

  private static final class KeyMeta {
    int panes;
    long minEnd;
  }
}
