package io.weir.window;

import java.util.ArrayList;
import java.util.List;

/**
 * Drives a {@link WindowOperator} without any runtime: feed elements and watermarks, read what
 * fired and what was dropped (Flink's operator test harness, in small).
 */
final class WindowHarness implements WindowOutput {
  record Fired(String key, long start, long end, long count, double sum, double min, double max, boolean isUpdate, long watermark) {}

  record Late(String key, long timestamp, long windowStart, long windowEnd, long watermark) {}

  final WindowOperator operator;
  final List<Fired> fired = new ArrayList<>();
  final List<Late> late = new ArrayList<>();
  /** The pane of each entry of {@link #fired}, in the same order (not cleared by takeFired). */
  final List<Pane> panes = new ArrayList<>();
  /** Keys whose state may have changed since the last {@link #takeDirty()} (as the operator verticle tracks them). */
  private java.util.Set<String> dirty = new java.util.HashSet<>();

  WindowHarness(WindowAssigner assigner, long allowedLateness) {
    operator = new AlignedWindowOperator(assigner, allowedLateness, this);
  }

  WindowHarness(SessionWindows sessions, long allowedLateness) {
    operator = new SessionWindowOperator(sessions, allowedLateness, this);
  }

  WindowHarness(WindowAssigner assigner, long allowedLateness, EmitPolicy emit) {
    operator = new AlignedWindowOperator(assigner, allowedLateness, this, Accumulator.Spec.BASIC, emit);
  }

  WindowHarness(SessionWindows sessions, long allowedLateness, EmitPolicy emit) {
    operator = new SessionWindowOperator(sessions, allowedLateness, this, Accumulator.Spec.BASIC, emit);
  }

  java.util.Set<String> takeDirty() {
    java.util.Set<String> out = dirty;
    dirty = new java.util.HashSet<>();
    return out;
  }

  WindowHarness element(String key, long timestamp, double value) {
    dirty.add(key);
    operator.processElement(key, timestamp, value, key);
    return this;
  }

  WindowHarness watermark(long watermark) {
    operator.advanceWatermark(watermark);
    return this;
  }

  /** What fired since the last call. */
  List<Fired> takeFired() {
    List<Fired> out = List.copyOf(fired);
    fired.clear();
    return out;
  }

  @Override
  public void purged(String key) {
    dirty.add(key);
  }

  @Override
  public void fire(String key, Window window, Accumulator a, Pane pane, long watermark) {
    dirty.add(key);
    fired.add(new Fired(key, window.start(), window.end(), a.count(), a.sum(), a.min(), a.max(), pane.index() > 0, watermark));
    panes.add(pane);
  }

  @Override
  public void late(Object element, long timestamp, Window latestWindow, long watermark) {
    late.add(new Late((String) element, timestamp, latestWindow.start(), latestWindow.end(), watermark));
  }
}
