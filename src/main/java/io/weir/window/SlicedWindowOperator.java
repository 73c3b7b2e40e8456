package io.weir.window;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/**
 * Aligned, fixed-size windows (sliding; tumbling works too), kept as slices
 * (panes) of {@code gcd(size, slide)} (DESIGN.md §5): an element is stored once, in the slice of
 * its key that contains its timestamp, and a window's aggregate is computed from the slices it
 * covers when it is emitted. Single-threaded.
 *
 * <p>Why this gives exactly the per-window results:
 *
 * <ul>
 *   <li>Every window boundary is a slice boundary, so a window holds whole slices, and the
 *       windows containing an element are exactly the windows containing its slice.
 *   <li>Lateness is monotone: a window that is past {@code end - 1 + lateness} stays so. An
 *       element is judged per window as before; it is stored in its slice if it was added to at
 *       least one window. A window it skipped is already purged and never emits again, so the
 *       slice may hold it; and every element in the slices of a window that still holds state
 *       was added to that window (when it arrived the watermark was lower, so the window was
 *       not late then either). Hence a live window exists for a key iff one of its slices has
 *       an element of the key, and its contents are the union of those slices.
 *   <li>Aggregates are not merged from partial aggregates: floating-point sums depend on the
 *       order of addition, and a window's sum is defined as its values added in arrival order
 *       (so are the HLL and KLL sketches). Each key slice keeps its elements with their arrival
 *       number, and an emission replays the window's slices into a fresh {@link Accumulator}
 *       merged by arrival number: the same additions in the same order as a per-window
 *       aggregate. A window that has passed {@code end - 1} keeps that aggregate (per key) while
 *       it can re-fire, and the late elements that reach it are added to it directly.
 * </ul>
 *
 * <p>Tumbling windows are the case of one slice per window: a key's slice then keeps the
 * window's running aggregate and nothing is replayed. ({@link AlignedWindowOperator} still
 * uses {@link PerWindowOperator} for them: it measured faster, having one object fewer on the
 * path of an element.)
 *
 * <p>Cost (sliding): an element costs one hash lookup and an append; each emission replays its
 * window's elements (an element is replayed once per window that emits it, in a tight loop
 * over one array). Memory: about 24 bytes per element while its slice is live (32 with a
 * distinct field), instead of one aggregate per key and window; early panes
 * ({@link #emitEarly()}) and {@link #view} replay too.
 *
 * <p>Slices are purged when the latest window containing them is past {@code end - 1 +
 * lateness}: no window that needs them can fire or re-fire any more.
 */
final class SlicedWindowOperator implements WindowOperator {
  /** Up to this many slices per window, the replay merges runs with a linear scan. */
  private static final int LINEAR_MERGE_SLICES = 16;

  private final WindowAssigner assigner;
  private final long allowedLateness;
  private final WindowOutput output;
  private final Accumulator.Spec spec;
  private final EmitPolicy emit;
  private final long sliceSize;
  private final long offset;
  /**
   * A slice is a whole window (tumbling): its elements are exactly the window's, in arrival
   * order, so it keeps a running aggregate instead of its elements.
   */
  private final boolean tumbling;
  /** Windows holding state, by end (what used to hold the per-window aggregates). */
  private final TreeMap<Long, WindowState> windowsByEnd = new TreeMap<>();
  /** Live slices by start: which keys have elements in them. */
  private final TreeMap<Long, Slice> slices = new TreeMap<>();
  private final HashMap<String, KeyState> keys = new HashMap<>();
  private final long[] starts;
  private final long[] ends;
  private long watermark = Long.MIN_VALUE;
  /** Arrival number of the last element (the first is 1). */
  private long sequence;
  /** Stamp of the current pass over a window's keys (dedups keys over its slices). */
  private long visit;
  private long activeKeyWindows;
  /** The slices of the last two elements: elements mostly arrive in time order. */
  private Slice lastSlice;

  private Slice previousSlice;

  SlicedWindowOperator(WindowAssigner assigner, long allowedLateness, WindowOutput output) {
    this(assigner, allowedLateness, output, Accumulator.Spec.BASIC, EmitPolicy.ON_TIME_AND_LATE);
  }

  /** @param spec the optional sketches each key window keeps */
  SlicedWindowOperator(
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
    this.sliceSize = gcd(assigner.size(), assigner.slide());
    this.offset = assigner.offset();
    this.tumbling = sliceSize == assigner.size();
    this.starts = new long[assigner.maxWindowsPerElement()];
    this.ends = new long[assigner.maxWindowsPerElement()];
  }

  @Override
  public void processElement(
      String key, long timestamp, double value, String distinctItem, Object element) {
    int n = assigner.assign(timestamp, starts, ends);
    // Windows come latest first: the element is added to some window iff the latest is live.
    if (cleanupTime(ends[0] - 1) <= watermark) {
      if (WindowOperator.saturatedAdd(timestamp, allowedLateness) <= watermark) {
        output.late(element, timestamp, new Window(starts[0], ends[0]), watermark);
      }
      return;
    }
    long sliceStart = WindowAssigner.windowStart(timestamp, offset, sliceSize);
    Slice slice = slice(sliceStart, n);
    KeyState state = keys.get(key);
    if (state == null) {
      state = new KeyState(key);
      keys.put(key, state);
    }
    SliceLog log = state.log(sliceStart);
    if (log == null) {
      log = new SliceLog(sliceStart, spec, tumbling);
      countNewKeyWindows(state, state.insert(log), slice, n);
      slice.keys.add(state);
    }
    log.append(++sequence, timestamp, value, distinctItem);
    if (ends[n - 1] - 1 <= watermark) {
      addToFiredWindows(state, slice, timestamp, value, distinctItem, n);
    }
  }

  /**
   * The element's windows that have passed {@code end - 1} but are within lateness: each fires
   * this key again at once (latest window first, as the per-window operator did).
   */
  private void addToFiredWindows(
      KeyState state, Slice slice, long timestamp, double value, String distinctItem, int n) {
    for (int i = 0; i < n; i++) {
      long end = ends[i];
      if (end - 1 > watermark || cleanupTime(end - 1) <= watermark) {
        continue;
      }
      WindowState window = slice.windows[i];
      window.fired = true;
      KeyWindow kw = window.keyWindow(state);
      kw.hadLate = true;
      if (kw.aggregate != null) {
        kw.aggregate.add(timestamp, value, distinctItem);
      }
      if (emit == EmitPolicy.ON_TIME_AND_LATE) {
        // The element is already in its slice, so a replay includes it.
        Accumulator aggregate = kw.aggregate != null ? kw.aggregate : replay(state, window.window);
        fire(window, state, kw, aggregate, Pane.Timing.LATE);
      }
    }
  }

  /** The slice starting at {@code sliceStart}; a new one registers the element's live windows. */
  private Slice slice(long sliceStart, int n) {
    Slice slice = lastSlice;
    if (slice != null && slice.start == sliceStart) {
      return slice;
    }
    // Near a slice boundary, disordered elements alternate between two slices.
    Slice previous = previousSlice;
    previousSlice = slice;
    if (previous != null && previous.start == sliceStart) {
      slice = previous;
    } else {
      slice = slices.get(sliceStart);
      if (slice == null) {
        // ends[0] is the latest window containing the slice: it decides when the slice goes.
        slice = new Slice(sliceStart, cleanupTime(ends[0] - 1), n);
        slices.put(sliceStart, slice);
        for (int i = 0; i < n; i++) {
          if (cleanupTime(ends[i] - 1) > watermark) {
            WindowState window = windowsByEnd.get(ends[i]);
            if (window == null) {
              window = new WindowState(new Window(starts[i], ends[i]));
              windowsByEnd.put(ends[i], window);
            }
            slice.windows[i] = window;
          }
        }
      }
    }
    lastSlice = slice;
    return slice;
  }

  /**
   * A key got its first element in a slice: it now has state in each live window of the slice
   * in which it had no other slice.
   */
  private void countNewKeyWindows(KeyState state, int index, Slice slice, int n) {
    boolean hasBefore = index > 0;
    long before = hasBefore ? state.logs[index - 1].start : 0;
    boolean hasAfter = index + 1 < state.count;
    long after = hasAfter ? state.logs[index + 1].start : 0;
    for (int i = 0; i < n; i++) {
      if (cleanupTime(ends[i] - 1) <= watermark
          // windows cut at Long.MAX_VALUE share one state (the first registered): count it once
          || (i > 0 && ends[i] == ends[i - 1])
          || (hasBefore && before >= starts[i])
          || (hasAfter && after < ends[i])) {
        continue;
      }
      slice.windows[i].keyCount++;
      activeKeyWindows++;
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
      WindowState window = it.next();
      long maxTimestamp = window.window.maxTimestamp();
      if (maxTimestamp > watermark) {
        break;
      }
      boolean purge = cleanupTime(maxTimestamp) <= watermark;
      if (!window.fired) {
        window.fired = true;
        if (emit == EmitPolicy.ON_TIME_AND_LATE) {
          fireOnTime(window);
        }
      }
      if (purge) {
        if (emit == EmitPolicy.FINAL_ONLY) {
          fireFinal(window);
        }
        activeKeyWindows -= window.keyCount;
        if (window.keyWindows != null) {
          for (KeyState state : window.keyWindows.keySet()) {
            output.purged(state.key);
          }
        }
        // Live slices may still point at the state: let its kept aggregates go now.
        window.keyWindows = null;
        it.remove();
      }
    }
    purgeSlices();
  }

  private void fireOnTime(WindowState window) {
    long stamp = ++visit;
    for (Slice slice : slicesOf(window.window)) {
      for (KeyState state : slice.keys) {
        if (state.visit != stamp) {
          state.visit = stamp;
          KeyWindow kw = window.keyWindowOrNull(state);
          fire(window, state, kw, replay(state, window.window), Pane.Timing.ON_TIME);
        }
      }
    }
  }

  private void fireFinal(WindowState window) {
    long stamp = ++visit;
    for (Slice slice : slicesOf(window.window)) {
      for (KeyState state : slice.keys) {
        if (state.visit != stamp) {
          state.visit = stamp;
          KeyWindow kw = window.keyWindowOrNull(state);
          Accumulator aggregate =
              kw != null && kw.aggregate != null ? kw.aggregate : replay(state, window.window);
          Pane.Timing timing = kw != null && kw.hadLate ? Pane.Timing.LATE : Pane.Timing.ON_TIME;
          fire(window, state, kw, aggregate, timing);
        }
      }
    }
  }

  /** Drops the slices whose latest window is past lateness (slice ends grow with starts). */
  private void purgeSlices() {
    while (!slices.isEmpty()) {
      Slice slice = slices.firstEntry().getValue();
      if (slice.cleanupTime > watermark) {
        return;
      }
      for (KeyState state : slice.keys) {
        output.purged(state.key);
        state.remove(slice.start);
        if (state.count == 0) {
          keys.remove(state.key);
        }
      }
      slices.pollFirstEntry();
      if (lastSlice == slice) {
        lastSlice = null;
      }
      if (previousSlice == slice) {
        previousSlice = null;
      }
    }
  }

  /**
   * Emits one pane of a key's window.
   *
   * @param kw the key's pane bookkeeping in this window, or null if it has none yet
   * @param aggregate the key's aggregate of the window; kept while the window can re-fire
   */
  private void fire(
      WindowState window, KeyState state, KeyWindow kw, Accumulator aggregate, Pane.Timing timing) {
    boolean isFinal = cleanupTime(window.window.maxTimestamp()) <= watermark;
    int index = kw == null ? 0 : kw.firings;
    output.fire(state.key, window.window, aggregate, new Pane(index, timing, isFinal), watermark);
    if (isFinal) {
      return; // purged in this advance: no bookkeeping needed
    }
    if (kw == null) {
      kw = window.keyWindow(state);
    }
    kw.firings++;
    kw.emittedThrough = sequence;
    if (window.fired && !tumbling) {
      // From now on every element reaching this window is late and is added to it directly.
      kw.aggregate = aggregate;
    }
  }

  @Override
  public void emitEarly() {
    for (WindowState window : windowsByEnd.values()) {
      if (window.fired) {
        continue;
      }
      long stamp = ++visit;
      for (Slice slice : slicesOf(window.window)) {
        for (KeyState state : slice.keys) {
          if (state.visit == stamp) {
            continue;
          }
          state.visit = stamp;
          KeyWindow kw = window.keyWindowOrNull(state);
          long emittedThrough = kw == null ? 0 : kw.emittedThrough;
          if (lastSequence(state, window.window) > emittedThrough) {
            fire(window, state, kw, replay(state, window.window), Pane.Timing.EARLY);
          }
        }
      }
    }
  }

  private Collection<Slice> slicesOf(Window window) {
    return slices.subMap(window.start(), true, window.end(), false).values();
  }

  private static long lastSequence(KeyState state, Window window) {
    long last = 0;
    for (int j = state.from(window.start()), to = state.from(window.end()); j < to; j++) {
      SliceLog log = state.logs[j];
      last = Math.max(last, log.lastSequence);
    }
    return last;
  }

  /**
   * A fresh aggregate of the key's elements in the window, added in arrival order: exactly what
   * a per-window aggregate would hold.
   */
  private Accumulator replay(KeyState state, Window window) {
    int from = state.from(window.start());
    int k = state.from(window.end()) - from;
    if (k == 1 && state.logs[from].running != null) {
      return state.logs[from].running;
    }
    Accumulator aggregate = new Accumulator(spec);
    if (k == 1) {
      SliceLog log = state.logs[from];
      for (int p = 0; p < log.size; p++) {
        log.addTo(p, aggregate);
      }
      return aggregate;
    }
    SliceLog[] logs = Arrays.copyOfRange(state.logs, from, from + k);
    int[] next = new int[k];
    if (k <= LINEAR_MERGE_SLICES) {
      mergeRuns(logs, next, aggregate);
    } else {
      mergeSorted(logs, next, aggregate);
    }
    return aggregate;
  }

  /**
   * Few slices: repeatedly takes the slice with the earliest pending element and replays it up
   * to the next slice's earliest (elements come in runs per slice when time mostly advances).
   */
  private static void mergeRuns(SliceLog[] logs, int[] next, Accumulator aggregate) {
    while (true) {
      int best = -1;
      long bestSeq = Long.MAX_VALUE;
      long secondSeq = Long.MAX_VALUE;
      for (int j = 0; j < logs.length; j++) {
        if (next[j] < logs[j].size) {
          long s = logs[j].sequence(next[j]);
          if (s < bestSeq) {
            secondSeq = bestSeq;
            bestSeq = s;
            best = j;
          } else if (s < secondSeq) {
            secondSeq = s;
          }
        }
      }
      if (best < 0) {
        return;
      }
      SliceLog log = logs[best];
      int p = next[best];
      while (p < log.size && log.sequence(p) < secondSeq) {
        log.addTo(p++, aggregate);
      }
      next[best] = p;
    }
  }

  /**
   * Many slices: sorts {@code sequence * k + slice}; within a slice sequences ascend, so the
   * occurrences of one slice come in its own order.
   */
  private static void mergeSorted(SliceLog[] logs, int[] next, Accumulator aggregate) {
    int k = logs.length;
    int total = 0;
    for (SliceLog log : logs) {
      total += log.size;
    }
    long[] order = new long[total];
    int t = 0;
    for (int j = 0; j < k; j++) {
      SliceLog log = logs[j];
      for (int p = 0; p < log.size; p++) {
        order[t++] = Math.addExact(Math.multiplyExact(log.sequence(p), (long) k), j);
      }
    }
    Arrays.sort(order);
    for (long o : order) {
      int j = (int) (o % k);
      logs[j].addTo(next[j]++, aggregate);
    }
  }

  private long cleanupTime(long maxTimestamp) {
    return WindowOperator.saturatedAdd(maxTimestamp, allowedLateness);
  }

  @Override
  public long watermark() {
    return watermark;
  }

  /** (key, window) pairs holding state, as before slicing: a key counts once per live window. */
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

  /** Within a window, keys are listed in the order they first got an element in its slices. */
  @Override
  public List<KeyWindowView> view(String keyOrNull, int limit) {
    List<KeyWindowView> out = new ArrayList<>();
    for (WindowState window : windowsByEnd.values()) {
      if (keyOrNull != null) {
        KeyState state = keys.get(keyOrNull);
        if (state != null && state.from(window.window.start()) < state.from(window.window.end())) {
          out.add(viewOf(state, window));
        }
      } else {
        long stamp = ++visit;
        for (Slice slice : slicesOf(window.window)) {
          for (KeyState state : slice.keys) {
            if (state.visit == stamp) {
              continue;
            }
            state.visit = stamp;
            if (out.size() >= limit) {
              return out;
            }
            out.add(viewOf(state, window));
          }
        }
      }
      if (out.size() >= limit) {
        return out;
      }
    }
    return out;
  }

  private KeyWindowView viewOf(KeyState state, WindowState window) {
    KeyWindow kw = window.keyWindowOrNull(state);
    Accumulator aggregate =
        kw != null && kw.aggregate != null ? kw.aggregate : replay(state, window.window);
    return KeyWindowView.of(
        state.key,
        window.window,
        aggregate,
        kw == null ? 0 : kw.firings,
        cleanupTime(window.window.maxTimestamp()));
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** A window holding state: whether it fired, and the pane bookkeeping of its keys. */
  private static final class WindowState {
    final Window window;
    boolean fired;
    /** Keys with elements in the window (for {@link #activeKeyWindows}). */
    long keyCount;
    /** Only for keys that were emitted or got late elements; null until one is. */
    HashMap<KeyState, KeyWindow> keyWindows;

    WindowState(Window window) {
      this.window = window;
    }

    KeyWindow keyWindowOrNull(KeyState state) {
      return keyWindows == null ? null : keyWindows.get(state);
    }

    KeyWindow keyWindow(KeyState state) {
      if (keyWindows == null) {
        keyWindows = new HashMap<>();
      }
      return keyWindows.computeIfAbsent(state, s -> new KeyWindow());
    }
  }

  /** A key's pane bookkeeping in one window. */
  private static final class KeyWindow {
    int firings;
    /** Arrival number of the last element when it was last emitted (0: never). */
    long emittedThrough;
    /** Got an element after the watermark passed its end. */
    boolean hadLate;
    /** The aggregate, kept once the window has fired and may re-fire; else null. */
    Accumulator aggregate;
  }

  /** A slice of time: the keys with elements in it, in the order they got their first. */
  private static final class Slice {
    final long start;
    /** When the latest window containing the slice is purged. */
    final long cleanupTime;
    final ArrayList<KeyState> keys = new ArrayList<>();
    /**
     * The windows containing the slice, in the order {@link WindowAssigner#assign} gives them for
     * any of its timestamps; null for those already past lateness when the slice was made (and
     * a window here may since have been purged: callers check lateness first).
     */
    final WindowState[] windows;

    Slice(long start, long cleanupTime, int windowCount) {
      this.start = start;
      this.cleanupTime = cleanupTime;
      this.windows = new WindowState[windowCount];
    }
  }

  /** One key's live slices, sorted by start (a handful: an array beats a tree here). */
  private static final class KeyState {
    final String key;
    SliceLog[] logs = new SliceLog[8];
    int count;
    /** The slice of the key's previous element. */
    SliceLog last;
    long visit;

    KeyState(String key) {
      this.key = key;
    }

    /** The key's slice starting at {@code start}, or null. */
    SliceLog log(long start) {
      SliceLog log = last;
      if (log != null && log.start == start) {
        return log;
      }
      // Recent slices are at the end.
      for (int i = count - 1; i >= 0; i--) {
        long s = logs[i].start;
        if (s == start) {
          last = logs[i];
          return last;
        }
        if (s < start) {
          break;
        }
      }
      return null;
    }

    /** Inserts a new slice in start order; returns its index. */
    int insert(SliceLog log) {
      if (count == logs.length) {
        logs = Arrays.copyOf(logs, count * 2);
      }
      int i = count;
      while (i > 0 && logs[i - 1].start > log.start) {
        logs[i] = logs[i - 1];
        i--;
      }
      logs[i] = log;
      count++;
      last = log;
      return i;
    }

    void remove(long start) {
      for (int i = 0; i < count; i++) {
        if (logs[i].start == start) {
          if (last == logs[i]) {
            last = null;
          }
          System.arraycopy(logs, i + 1, logs, i, count - i - 1);
          logs[--count] = null;
          return;
        }
      }
    }

    /** Index of the first slice starting at or after {@code time}. */
    int from(long time) {
      int i = 0;
      while (i < count && logs[i].start < time) {
        i++;
      }
      return i;
    }
  }

  /**
   * One key's elements in one slice, in arrival order: arrival number, timestamp and value bits
   * interleaved in one array (this is the per-element hot path: one array, one cache line).
   */
  private static final class SliceLog {
    final long start;
    int size;
    long lastSequence;
    long[] data;
    /** Distinct-field values, only when the distinct count is kept. */
    String[] items;
    /** Tumbling windows: the window's aggregate, instead of the elements. */
    Accumulator running;

    SliceLog(long start, Accumulator.Spec spec, boolean tumbling) {
      this.start = start;
      this.running = tumbling ? new Accumulator(spec) : null;
      this.data = tumbling ? null : new long[3 * 4];
      this.items = spec.distinct() && !tumbling ? new String[4] : null;
    }

    void append(long sequence, long timestamp, double value, String item) {
      lastSequence = sequence;
      if (running != null) {
        running.add(timestamp, value, item);
        return;
      }
      int i = 3 * size;
      if (i == data.length) {
        data = Arrays.copyOf(data, 2 * i);
        if (items != null) {
          items = Arrays.copyOf(items, 2 * size);
        }
      }
      data[i] = sequence;
      data[i + 1] = timestamp;
      data[i + 2] = Double.doubleToRawLongBits(value);
      if (items != null) {
        items[size] = item;
      }
      size++;
    }

    long sequence(int p) {
      return data[3 * p];
    }

    void addTo(int p, Accumulator aggregate) {
      int i = 3 * p;
      aggregate.add(data[i + 1], Double.longBitsToDouble(data[i + 2]), items == null ? null : items[p]);
    }
  }

  @Override
  public void snapshot(java.util.Set<String> only, java.util.function.BiConsumer<String, byte[]> out) {
    if (only != null) {
      for (String key : only) {
        if (!keys.containsKey(key)) {
          out.accept(key, null);
        }
      }
    }
    java.util.Collection<KeyState> targets = keys.values();
    if (only != null && only.size() < keys.size()) {
      targets = new ArrayList<>();
      for (String key : only) {
        KeyState state = keys.get(key);
        if (state != null) {
          targets.add(state);
        }
      }
    }
    // A key's windows: looked up window by window for a few keys (writing behind), or found in
    // one pass over every key window for many.
    boolean lookUp = (long) targets.size() * windowsByEnd.size() < activeKeyWindows;
    HashMap<KeyState, List<WindowState>> windowsOfKey = new HashMap<>();
    if (!lookUp) {
      for (WindowState window : windowsByEnd.values()) {
        if (window.keyWindows != null) {
          for (KeyState state : window.keyWindows.keySet()) {
            windowsOfKey.computeIfAbsent(state, k -> new ArrayList<>()).add(window);
          }
        }
      }
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(256);
    for (KeyState state : targets) {
      if (only != null && !only.contains(state.key)) {
        continue;
      }
      List<WindowState> windowsOfThisKey;
      if (lookUp) {
        windowsOfThisKey = new ArrayList<>();
        for (WindowState window : windowsByEnd.values()) {
          if (window.keyWindows != null && window.keyWindows.containsKey(state)) {
            windowsOfThisKey.add(window);
          }
        }
      } else {
        windowsOfThisKey = windowsOfKey.getOrDefault(state, List.of());
      }
      bytes.reset();
      try (java.io.DataOutputStream data = new java.io.DataOutputStream(bytes)) {
        data.writeInt(state.count);
        for (int i = 0; i < state.count; i++) {
          SliceLog log = state.logs[i];
          data.writeLong(log.start);
          data.writeLong(log.lastSequence);
          data.writeBoolean(log.running != null);
          if (log.running != null) {
            log.running.writeTo(data);
            continue;
          }
          data.writeInt(log.size);
          for (int j = 0; j < 3 * log.size; j++) {
            data.writeLong(log.data[j]);
          }
          data.writeBoolean(log.items != null);
          if (log.items != null) {
            for (int j = 0; j < log.size; j++) {
              writeText(data, log.items[j]);
            }
          }
        }
        List<WindowState> windows = windowsOfThisKey;
        data.writeInt(windows.size());
        for (WindowState window : windows) {
          KeyWindow kw = window.keyWindows.get(state);
          data.writeLong(window.window.end());
          data.writeInt(kw.firings);
          data.writeLong(kw.emittedThrough);
          data.writeBoolean(kw.hadLate);
          data.writeBoolean(kw.aggregate != null);
          if (kw.aggregate != null) {
            kw.aggregate.writeTo(data);
          }
        }
      } catch (java.io.IOException impossible) {
        throw new java.io.UncheckedIOException(impossible);
      }
      out.accept(state.key, bytes.toByteArray());
    }
  }

  /** Call {@link #restoreWatermark} first: which windows are still live depends on it. */
  @Override
  public void restoreKey(String key, byte[] bytes) {
    try (java.io.DataInputStream data = new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
      KeyState state = new KeyState(key);
      int count = data.readInt();
      for (int i = 0; i < count; i++) {
        long start = data.readLong();
        SliceLog log = new SliceLog(start, spec, tumbling);
        log.lastSequence = data.readLong();
        if (data.readBoolean()) {
          log.running = Accumulator.readFrom(data);
        } else {
          log.size = data.readInt();
          log.data = new long[Math.max(12, 3 * log.size)];
          for (int j = 0; j < 3 * log.size; j++) {
            log.data[j] = data.readLong();
          }
          if (data.readBoolean()) {
            log.items = new String[Math.max(4, log.size)];
            for (int j = 0; j < log.size; j++) {
              log.items[j] = readText(data);
            }
          }
        }
        sequence = Math.max(sequence, log.lastSequence);
        Slice slice = restoredSlice(start);
        if (slice == null) {
          continue; // purged after the key was last written: no window needs it any more
        }
        state.insert(log);
        slice.keys.add(state);
      }
      state.last = null;
      if (state.count > 0) {
        keys.put(key, state);
      }
      // The key has state in every live window of its slices: once per window.
      java.util.Set<WindowState> counted = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (int i = 0; i < state.count; i++) {
        for (WindowState window : slices.get(state.logs[i].start).windows) {
          // A slice made before a window was purged may still point at it.
          if (window != null && windowsByEnd.get(window.window.end()) == window && counted.add(window)) {
            window.keyCount++;
            activeKeyWindows++;
          }
        }
      }
      int windows = data.readInt();
      for (int i = 0; i < windows; i++) {
        WindowState window = windowsByEnd.get(data.readLong());
        int firings = data.readInt();
        long emittedThrough = data.readLong();
        boolean hadLate = data.readBoolean();
        Accumulator aggregate = data.readBoolean() ? Accumulator.readFrom(data) : null;
        if (window == null) {
          continue; // past lateness at the restored watermark: it can never emit again
        }
        KeyWindow kw = window.keyWindow(state);
        kw.firings = firings;
        kw.emittedThrough = emittedThrough;
        kw.hadLate = hadLate;
        kw.aggregate = aggregate;
        sequence = Math.max(sequence, emittedThrough);
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("state of key " + key + " is corrupt: " + e.getMessage(), e);
    }
  }

  /**
   * The live slice starting at {@code start}, registered with its live windows if new; null when
   * every window containing it is past lateness.
   */
  private Slice restoredSlice(long start) {
    Slice slice = slices.get(start);
    if (slice != null) {
      return slice;
    }
    int n = assigner.assign(start, starts, ends);
    if (cleanupTime(ends[0] - 1) <= watermark) {
      return null;
    }
    slice = new Slice(start, cleanupTime(ends[0] - 1), n);
    for (int i = 0; i < n; i++) {
      if (cleanupTime(ends[i] - 1) > watermark) {
        WindowState window = windowsByEnd.get(ends[i]);
        if (window == null) {
          window = new WindowState(new Window(starts[i], ends[i]));
          // A window has fired exactly when the watermark has passed its end - 1.
          window.fired = window.window.maxTimestamp() <= watermark;
          windowsByEnd.put(ends[i], window);
        }
        slice.windows[i] = window;
      }
    }
    slices.put(start, slice);
    return slice;
  }

  @Override
  public long nextTimer(String key) {
    KeyState state = keys.get(key);
    if (state == null) {
      return NO_STATE;
    }
    // As evict() computes it, without dropping anything.
    long timer = Long.MAX_VALUE;
    for (int i = 0; i < state.count; i++) {
      Slice slice = slices.get(state.logs[i].start);
      if (slice == null) {
        continue;
      }
      timer = Math.min(timer, slice.cleanupTime);
      for (WindowState window : slice.windows) {
        if (window != null && windowsByEnd.get(window.window.end()) == window) {
          long maxTimestamp = window.window.maxTimestamp();
          timer = Math.min(timer, maxTimestamp > watermark ? maxTimestamp : cleanupTime(maxTimestamp));
        }
      }
    }
    return timer;
  }

  @Override
  public long evict(String key) {
    KeyState state = keys.remove(key);
    long timer = Long.MAX_VALUE;
    if (state == null) {
      return timer;
    }
    java.util.Set<WindowState> counted = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (int i = 0; i < state.count; i++) {
      Slice slice = slices.get(state.logs[i].start);
      if (slice == null) {
        continue;
      }
      slice.keys.remove(state);
      timer = Math.min(timer, slice.cleanupTime);
      for (WindowState window : slice.windows) {
        if (window != null && windowsByEnd.get(window.window.end()) == window && counted.add(window)) {
          window.keyCount--;
          activeKeyWindows--;
          if (window.keyWindows != null) {
            window.keyWindows.remove(state);
          }
          long maxTimestamp = window.window.maxTimestamp();
          timer = Math.min(timer, maxTimestamp > watermark ? maxTimestamp : cleanupTime(maxTimestamp));
        }
      }
    }
    return timer;
  }

  @Override
  public long estimatedBytes() {
    long bytes = 0;
    for (KeyState state : keys.values()) {
      bytes += 96;
      for (int i = 0; i < state.count; i++) {
        SliceLog log = state.logs[i];
        bytes += 64 + (log.data == null ? 0 : 8L * log.data.length) + (log.items == null ? 0 : 40L * log.items.length)
            + (log.running == null ? 0 : log.running.estimatedBytes());
      }
    }
    for (WindowState window : windowsByEnd.values()) {
      if (window.keyWindows != null) {
        for (KeyWindow kw : window.keyWindows.values()) {
          bytes += 48 + (kw.aggregate == null ? 0 : kw.aggregate.estimatedBytes());
        }
      }
    }
    return bytes;
  }

  @Override
  public void forEachKey(java.util.function.Consumer<String> action) {
    keys.keySet().forEach(action);
  }

  /** Sets the watermark of a restore, firing nothing; call before {@link #restoreKey}. */
  @Override
  public void restoreWatermark(long restored) {
    watermark = restored;
  }

  private static void writeText(java.io.DataOutputStream data, String text) throws java.io.IOException {
    if (text == null) {
      data.writeInt(-1);
      return;
    }
    byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    data.writeInt(utf8.length);
    data.write(utf8);
  }

  private static String readText(java.io.DataInputStream data) throws java.io.IOException {
    int n = data.readInt();
    if (n < 0) {
      return null;
    }
    byte[] utf8 = new byte[n];
    data.readFully(utf8);
    return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "SlicedWindowOperator[" + assigner.typeName() + ", slice " + sliceSize + " ms, "
        + keys.size() + " keys, " + slices.size() + " slices, " + windowsByEnd.size() + " windows]";
  }

  /** For tests: live slices and (key, slice) logs. */
  long[] sliceCounts() {
    long keySlices = 0;
    for (KeyState state : keys.values()) {
      keySlices += state.count;
    }
    return new long[] {slices.size(), keySlices};
  }
}
