package io.weir.checkpoint;

/**
 * One source partition (input channel) at a checkpoint barrier: where its reader resumes and
 * what its watermark was. Every operator of the pipeline had seen exactly this watermark history
 * of the channel at the barrier, so the operators' views are restored from it too.
 *
 * @param partition the source partition
 * @param offset the offset of the next record to read (file: lines read so far)
 * @param position a reader-specific resume position (file: byte offset of the next line), or -1
 * @param maxTimestamp the largest event time seen, {@code Long.MIN_VALUE} if none
 * @param watermark the channel's watermark (the generator's, or an idle advance)
 * @param idle whether the channel was marked idle
 * @param ended whether the channel had sent end-of-stream
 */
public record ChannelState(
    int partition, long offset, long position, long maxTimestamp, long watermark, boolean idle, boolean ended) {}
