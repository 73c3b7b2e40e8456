package io.weir.config;

/** Where state and checkpoints live. */
public record StateConfig(StateBackend backend, String dir, String checkpointDir, int retained) {

  /** Available state backends. */
  public enum StateBackend {
    ROCKSDB,
    MEMORY
  }
}
