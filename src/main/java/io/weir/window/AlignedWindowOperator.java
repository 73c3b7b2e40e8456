package io.weir.window;

import java.util.List;

/**
 * {@link WindowOperator} for aligned, fixed-size windows (tumbling, sliding): every key shares
 * the same window boundaries. Sliding windows are kept as slices of {@code gcd(size, slide)}
 * ({@link SlicedWindowOperator}, DESIGN.md §5), so that an element is stored once instead of in
 * each of its {@code size / slide} windows; tumbling windows, where a window is its only slice,
 * keep one aggregate per key and window ({@link PerWindowOperator}). Both emit exactly the same
 * results. Single-threaded.
 */
public final class AlignedWindowOperator implements WindowOperator {
  private final WindowOperator windows;

  public AlignedWindowOperator(WindowAssigner assigner, long allowedLateness, WindowOutput output) {
    this(assigner, allowedLateness, output, Accumulator.Spec.BASIC, EmitPolicy.ON_TIME_AND_LATE);
  }

  /** @param spec the optional sketches each key window keeps */
  public AlignedWindowOperator(
      WindowAssigner assigner,
      long allowedLateness,
      WindowOutput output,
      Accumulator.Spec spec,
      EmitPolicy emit) {
    this.windows =
        assigner.slide() == assigner.size()
            ? new PerWindowOperator(assigner, allowedLateness, output, spec, emit)
            : new SlicedWindowOperator(assigner, allowedLateness, output, spec, emit);
  }

  /** The operator doing the work (for tests). */
  WindowOperator implementation() {
    return windows;
  }

  @Override
  public void processElement(
      String key, long timestamp, double value, String distinctItem, Object element) {
    windows.processElement(key, timestamp, value, distinctItem, element);
  }

  @Override
  public void advanceWatermark(long watermark) {
    windows.advanceWatermark(watermark);
  }

  @Override
  public long watermark() {
    return windows.watermark();
  }

  @Override
  public long activeKeyWindows() {
    return windows.activeKeyWindows();
  }

  @Override
  public int activeWindows() {
    return windows.activeWindows();
  }

  @Override
  public String typeName() {
    return windows.typeName();
  }

  @Override
  public void emitEarly() {
    windows.emitEarly();
  }

  @Override
  public List<KeyWindowView> view(String keyOrNull, int limit) {
    return windows.view(keyOrNull, limit);
  }

  @Override
  public void snapshot(java.util.Set<String> keys, java.util.function.BiConsumer<String, byte[]> out) {
    windows.snapshot(keys, out);
  }

  @Override
  public void restoreKey(String key, byte[] state) {
    windows.restoreKey(key, state);
  }

  @Override
  public void flushChanges(java.util.Set<String> changedKeys, StateChanges out) {
    windows.flushChanges(changedKeys, out);
  }

  @Override
  public void restoreWindow(String key, long end, byte[] state) {
    windows.restoreWindow(key, end, state);
  }

  @Override
  public int pendingChanges() {
    return windows.pendingChanges();
  }

  @Override
  public long nextTimer(String key) {
    return windows.nextTimer(key);
  }

  @Override
  public void restoreWatermark(long watermark) {
    windows.restoreWatermark(watermark);
  }

  @Override
  public long evict(String key) {
    return windows.evict(key);
  }

  @Override
  public java.util.Map<String, Long> evictAll(java.util.Set<String> keys) {
    return windows.evictAll(keys);
  }

  @Override
  public long estimatedBytes() {
    return windows.estimatedBytes();
  }

  @Override
  public void forEachKey(java.util.function.Consumer<String> action) {
    windows.forEachKey(action);
  }
}
