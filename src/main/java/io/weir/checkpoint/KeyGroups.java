package io.weir.checkpoint;

/**
 * Keys are hashed into a fixed number of key groups; each operator partition owns a contiguous
 * range of them (Flink's scheme). State is stored per key group, so a checkpoint taken with one
 * parallelism restores with any other: each operator loads the key groups it now owns.
 */
public final class KeyGroups {
  /** The number of key groups: the largest useful parallelism. Part of the checkpoint format. */
  public static final int COUNT = 128;

  private KeyGroups() {}

  /** The key group of {@code key}: a mixed hash, so similar keys spread evenly. */
  public static int of(String key) {
    int h = key.hashCode() * 0x9E3779B1;
    return (h ^ (h >>> 15)) & (COUNT - 1);
  }

  /** The operator partition owning {@code keyGroup} when there are {@code parallelism}. */
  public static int operator(int keyGroup, int parallelism) {
    return keyGroup * parallelism / COUNT;
  }

  /** The operator partition of {@code key}. */
  public static int operatorOf(String key, int parallelism) {
    return parallelism == 1 ? 0 : operator(of(key), parallelism);
  }

  /** First key group owned by {@code operator} (inclusive). */
  public static int first(int operator, int parallelism) {
    return (operator * COUNT + parallelism - 1) / parallelism;
  }

  /** End of the key groups owned by {@code operator} (exclusive). */
  public static int end(int operator, int parallelism) {
    return first(operator + 1, parallelism);
  }
}
