package io.weir.source;

import io.weir.event.StreamEvent;
import io.weir.sink.DeadLetter;
import java.util.List;

/**
 * Where a source reader puts what it reads: the pipeline's input, which generates the
 * per-partition watermarks, routes events to operators by key and counts events in flight.
 * Called only from the source's own context.
 */
public interface SourceOutput {

  /** Sends the next events of {@code partition}, in partition order. The list is handed over. */
  void emit(int partition, List<StreamEvent> events);

  /**
   * Records that could not be read: sent to the source's dead-letter sink (when it has one) and
   * counted in {@code stream_dead_letter_total{source,reason}}. The list is handed over.
   */
  void deadLetter(List<DeadLetter> records);

  /** {@code partition} has ended: nothing more will come from it. */
  void endOfStream(int partition);

  /** False while the pipeline holds as many events in flight as it may: the source must wait. */
  boolean hasCapacity();

  /** Events that may still be emitted before {@link #hasCapacity()} turns false. */
  long remainingCapacity();

  /**
   * Runs {@code wake} once when the pipeline has drained to its low-water mark (room for a whole
   * batch, or for half its capacity when that is less), or at once when it already has. It may run on any thread: it must only hand the work
   * to the source's own context. How a source resumes after {@link #hasCapacity()} said false.
   */
  void onCapacity(Runnable wake);

  /**
   * Called regularly by the source (every poll) so that partitions silent for the idle timeout
   * are marked idle.
   *
   * @param backpressured true while the source waits for capacity: that wait never counts as
   *     silence (a paused partition is not an idle one, or good data would turn late)
   */
  void idleCheck(boolean backpressured);

  /**
   * Injects checkpoint barrier {@code checkpointId} after everything emitted so far and returns
   * every partition's state at that point.
   *
   * @param offsets per partition, the offset of the next record the reader would read
   * @param byteOffsets per partition, the byte position of the next line in its file (or {@link
   *     io.weir.checkpoint.ChannelState#NO_BYTE_OFFSET})
   * @param positions per partition, a reader-specific resume position (or -1)
   */
  java.util.List<io.weir.checkpoint.ChannelState> barrier(
      long checkpointId, long[] offsets, long[] byteOffsets, long[] positions);

  /** The source resumes after a stop: the time it was stopped does not count as silence. */
  void resumed();
}
