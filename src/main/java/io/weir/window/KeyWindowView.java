package io.weir.window;

/**
 * Read-only snapshot of one key's window, for inspection (REST), not for the hot path.
 *
 * @param firings how often it has fired so far
 * @param firesAt the watermark at which it fires ({@code end - 1})
 * @param purgedAt the watermark at which its state is dropped ({@code end - 1 + lateness})
 */
public record KeyWindowView(
    String key,
    Window window,
    long count,
    double sum,
    double min,
    double max,
    int firings,
    long firesAt,
    long purgedAt) {

  static KeyWindowView of(String key, Window window, Accumulator a, int firings, long purgedAt) {
    return new KeyWindowView(
        key, window, a.count(), a.sum(), a.min(), a.max(), firings, window.maxTimestamp(), purgedAt);
  }
}
