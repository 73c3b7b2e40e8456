package io.weir.window;

/** Receives what a {@link WindowOperator} emits. Called on the operator's thread. */
public interface WindowOutput {

  /**
   * A key's window fired.
   *
   * @param aggregate the full aggregate so far (accumulating panes); only valid during the call
   * @param pane which emission this is; {@code pane.index() > 0} means the key's window has
   *     been emitted before (an update)
   * @param watermark the operator watermark when it fired
   */
  void fire(String key, Window window, Accumulator aggregate, Pane pane, long watermark);

  /**
   * An element was dropped: every window it belongs to is past {@code end - 1 + allowedLateness}.
   *
   * @param latestWindow the latest window the element would have belonged to
   * @param watermark the operator watermark when it arrived
   */
  void late(Object element, long timestamp, Window latestWindow, long watermark);

  /**
   * Some of {@code key}'s state was dropped without an emission (a window or session past its
   * lateness): for incremental checkpoints, which write only the keys that changed.
   */
  default void purged(String key) {}
}
