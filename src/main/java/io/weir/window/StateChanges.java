package io.weir.window;

/**
 * Where a {@link WindowOperator} writes its state changes for the state store. State is kept
 * either as one entry per key (all of the key's windows) or as one entry per key window,
 * identified by the window's end; an operator uses one of the two layouts for a key. A null
 * value deletes the entry.
 */
public interface StateChanges {

  /** The whole state of {@code key}; null: the key holds no state any more. */
  void key(String key, byte[] state);

  /** The state of {@code key}'s window ending at {@code end}; null: the window is gone. */
  void window(String key, long end, byte[] state);
}
