package io.weir.window;

import java.util.List;

/**
 * Event-time window operator: Flink's {@code WindowOperator} with {@code EventTimeTrigger},
 * allowed lateness and a late side output, single-threaded and free of any runtime.
 *
 * <p>Contract, per Flink (DESIGN.md §5):
 *
 * <ul>
 *   <li>an element is judged against the watermark left by the elements before it; the
 *       watermark is one value for all keys;
 *   <li>it skips each of its windows whose {@code end - 1 + lateness <= watermark}; added to a
 *       window whose {@code end - 1 <= watermark} it fires that key's window at once;
 *   <li>it goes to {@link WindowOutput#late} only when it was added to no window and {@code
 *       timestamp + lateness <= watermark};
 *   <li>a window fires when the watermark reaches {@code end - 1}, windows in end order, every
 *       firing carrying the full aggregate (accumulating panes);
 *   <li>a window's state is dropped when the watermark reaches {@code end - 1 + lateness}.
 * </ul>
 */
public interface WindowOperator {

  /**
   * Adds one element to its windows.
   *
   * @param element passed back to {@link WindowOutput#late} when the element is dropped
   */
  default void processElement(String key, long timestamp, double value, Object element) {
    processElement(key, timestamp, value, null, element);
  }

  /**
   * Adds one element to its windows, with the value of its distinct-count field.
   *
   * @param distinctItem the element's value of the pipeline's distinct field, or null
   * @param element passed back to {@link WindowOutput#late} when the element is dropped
   */
  void processElement(String key, long timestamp, double value, String distinctItem, Object element);

  /**
   * Advances event time: fires every window whose {@code end - 1 <= watermark} and that has not
   * fired, in end order, and purges windows past their lateness. A watermark that does not
   * advance is ignored.
   */
  void advanceWatermark(long watermark);

  long watermark();

  /** Number of (key, window) pairs holding state. */
  long activeKeyWindows();

  /** Number of distinct windows holding state. */
  int activeWindows();

  /** The window type written in results: {@code tumbling}, {@code sliding} or {@code session}. */
  String typeName();

  /**
   * Emits an early pane of every key window that changed since its last emission and whose
   * watermark has not reached {@code end - 1} yet (for {@code early_every_ms}).
   */
  void emitEarly();

  /** Up to {@code limit} key windows, earliest end first, optionally of one key. */
  List<KeyWindowView> view(String keyOrNull, int limit);

  /**
   * Serializes the state of every key that has any (windows, aggregates, pane bookkeeping,
   * pending timers) and hands it to {@code out}, one call per key. {@link #restoreKey} on a fresh
   * operator with the same spec rebuilds it exactly. The watermark is not included.
   */
  default void snapshot(java.util.function.BiConsumer<String, byte[]> out) {
    snapshot(null, out);
  }

  /**
   * As {@link #snapshot(java.util.function.BiConsumer)} for the given keys only (null: all);
   * a given key that holds no state any more is handed over with {@code null} (its stored state
   * is to be deleted). For incremental checkpoints of the keys that changed.
   */
  void snapshot(java.util.Set<String> keys, java.util.function.BiConsumer<String, byte[]> out);

  /**
   * Restores one key's state written by {@link #snapshot}; call after {@link
   * #restoreWatermark} and before any element.
   */
  void restoreKey(String key, byte[] state);

  /**
   * Hands every state change since the previous call to {@code out}: what the store needs so that
   * restoring it ({@link #restoreKey}, {@link #restoreWindow}) rebuilds the operator exactly.
   * {@code changedKeys} are the keys an element, a firing or a purge touched since the previous
   * call (as {@link WindowOutput} reported them). By default the whole state of each changed key
   * is written ({@link #snapshot(java.util.Set, java.util.function.BiConsumer)}); an operator
   * with many windows per key writes only the key windows that changed.
   */
  default void flushChanges(java.util.Set<String> changedKeys, StateChanges out) {
    snapshot(changedKeys, out::key);
  }

  /**
   * Restores one key window written by {@link #flushChanges} with {@link StateChanges#window};
   * call after {@link #restoreWatermark}.
   */
  default void restoreWindow(String key, long end, byte[] state) {
    throw new IllegalStateException(typeName() + " windows do not store state per window");
  }

  /**
   * A lower bound of the watermark at which {@code key}'s state is needed next (a window to
   * fire or purge), {@link #NO_STATE} when the key holds none. Cheap (no pass over all the
   * state): it is written beside each changed key, so that a restore can leave keys in the store
   * and read each back when it is needed (a lazy restore).
   */
  long nextTimer(String key);

  /**
   * How many store entries {@link #flushChanges} would write now beyond one per changed key (the
   * changed key windows of an operator that stores them one by one), so that the caller can
   * write behind before a backlog builds up.
   */
  default int pendingChanges() {
    return 0;
  }

  /** {@link #nextTimer} of a key without state. */
  long NO_STATE = Long.MIN_VALUE;


  /**
   * Sets the watermark of a restore, firing nothing: everything at or before it fired before
   * the checkpoint. Call first, before {@link #restoreKey}.
   */
  void restoreWatermark(long watermark);

  /**
   * Drops {@code key}'s state from memory without emitting anything (its state is in the store:
   * the caller wrote it), for the bounded state cache. Returns the earliest watermark at which
   * the key's state is needed again (a window to fire, a slice or window to purge), {@code
   * Long.MAX_VALUE} when never; the caller restores the key with {@link #restoreKey} before then
   * or before the key's next element.
   */
  long evict(String key);

  /**
   * {@link #evict} of every key of {@code keys}, returning each key's timer; an operator that
   * keeps state by window drops them all in one pass over its windows.
   */
  default java.util.Map<String, Long> evictAll(java.util.Set<String> keys) {
    java.util.Map<String, Long> timers = new java.util.HashMap<>();
    for (String key : keys) {
      timers.put(key, evict(key));
    }
    return timers;
  }

  /** Approximate heap bytes of the state held. */
  long estimatedBytes();

  /** Calls {@code action} with every key holding state in memory. */
  void forEachKey(java.util.function.Consumer<String> action);

  /** {@code a + b} for {@code b >= 0}, saturating at {@link Long#MAX_VALUE}. */
  static long saturatedAdd(long a, long b) {
    long r = a + b;
    return (b > 0 && r < a) ? Long.MAX_VALUE : r;
  }
}
