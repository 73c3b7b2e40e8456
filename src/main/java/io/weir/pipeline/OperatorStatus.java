package io.weir.pipeline;

/**
 * One operator partition as last published after a batch.
 *
 * @param watermark the operator's watermark: the minimum over its input channels
 * @param channelWatermarks each input channel's watermark, by source partition
 * @param channelIdle which input channels are idle (left out of the minimum)
 * @param slowestChannel the active channel holding the watermark back, or -1 when all are idle
 * @param failure why the operator stopped processing, or null while it is healthy
 * @param watermarkSinceMs wall-clock time at which the watermark took its current value
 */
public record OperatorStatus(
    int index,
    long watermark,
    long[] channelWatermarks,
    boolean[] channelIdle,
    int slowestChannel,
    long eventsProcessed,
    long lateEvents,
    long resultsEmitted,
    long activeKeyWindows,
    int activeWindows,
    boolean finished,
    String failure,
    long watermarkSinceMs) {

  static OperatorStatus initial(int index, int channels, long nowMs) {
    long[] wms = new long[channels];
    java.util.Arrays.fill(wms, Long.MIN_VALUE);
    return new OperatorStatus(index, Long.MIN_VALUE, wms, new boolean[channels], 0, 0, 0, 0, 0, 0, false, null, nowMs);
  }
}
