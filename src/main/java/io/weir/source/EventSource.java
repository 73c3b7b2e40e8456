package io.weir.source;

import io.vertx.core.Future;

/**
 * A source reader of one pipeline. Implementations are verticles; {@link #pause()} and {@link
 * #resume()} may be called from any thread and take effect on the source's own context.
 */
public interface EventSource {

  /** The configured source id. */
  String id();

  /** Number of partitions (input channels) it produces. */
  int partitions();

  /** Stops reading until {@link #resume()}; in-flight events still drain. */
  Future<Void> pause();

  Future<Void> resume();

  /**
   * Injects checkpoint barrier {@code checkpointId} at the next boundary between two rounds of
   * batches (never inside one, so a restored run reads the same batches in the same order) and
   * returns every partition's state there: its offset, watermark and reader position. Works
   * while paused or finished too.
   */
  Future<java.util.List<io.weir.checkpoint.ChannelState>> checkpoint(long checkpointId);

  /** True once every partition has sent end-of-stream. */
  boolean finished();

  /** True while it waits for downstream capacity. */
  boolean backpressured();

  /** Total time spent waiting for downstream capacity, in nanoseconds. */
  long backpressureNanos();
}
