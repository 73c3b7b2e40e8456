package io.weir.window;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A state store in a map, kept up to date by {@link WindowOperator#flushChanges} as the operator
 * verticle keeps RocksDB, with the timer index the verticle writes for a lazy restore.
 */
final class ModelStore implements StateChanges {
  /** Per key, its window entries by end; {@link #whole}: the whole-key entries. */
  private final Map<String, Map<Long, byte[]>> windows = new TreeMap<>();
  private final Map<String, byte[]> whole = new TreeMap<>();
  /** The timer index: key -> {@link WindowOperator#nextTimer} at its last flush. */
  final Map<String, Long> timers = new TreeMap<>();

  /** Flushes {@code h}'s changes into the store, and the timer index of the changed keys. */
  void flush(WindowHarness h) {
    java.util.Set<String> changed = h.takeDirty();
    h.operator.flushChanges(changed, this);
    for (String key : changed) {
      long timer = h.operator.nextTimer(key);
      if (timer == WindowOperator.NO_STATE) {
        timers.remove(key);
      } else {
        timers.put(key, timer);
      }
    }
  }

  @Override
  public void key(String key, byte[] state) {
    if (state == null) {
      whole.remove(key);
    } else {
      whole.put(key, state);
    }
  }

  @Override
  public void window(String key, long end, byte[] state) {
    if (state == null) {
      Map<Long, byte[]> of = windows.get(key);
      if (of != null) {
        of.remove(end);
        if (of.isEmpty()) {
          windows.remove(key);
        }
      }
    } else {
      windows.computeIfAbsent(key, k -> new TreeMap<>()).put(end, state);
    }
  }

  /** Every key with an entry. */
  java.util.Set<String> keys() {
    java.util.Set<String> out = new java.util.TreeSet<>(whole.keySet());
    out.addAll(windows.keySet());
    return out;
  }

  /** Number of window entries. */
  long windowEntries() {
    long n = 0;
    for (Map<Long, byte[]> of : windows.values()) {
      n += of.size();
    }
    return n;
  }

  /** Restores {@code key}'s entries into {@code operator}, as a prefix scan of the key would. */
  void restore(WindowOperator operator, String key) {
    byte[] state = whole.get(key);
    if (state != null) {
      operator.restoreKey(key, state);
    }
    Map<Long, byte[]> of = windows.get(key);
    if (of != null) {
      of.forEach((end, bytes) -> operator.restoreWindow(key, end, bytes));
    }
  }

  /** Restores every key, in reverse key order (as a scan by key group might). */
  void restoreAll(WindowOperator operator) {
    List<String> keys = new ArrayList<>(keys());
    java.util.Collections.reverse(keys);
    for (String key : keys) {
      restore(operator, key);
    }
  }
}
