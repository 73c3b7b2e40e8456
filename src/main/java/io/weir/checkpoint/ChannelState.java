package io.weir.checkpoint;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One source partition (input channel) at a checkpoint barrier: where its reader resumes and
 * what its watermark was. Every operator of the pipeline had seen exactly this watermark history
 * of the channel at the barrier, so the operators' views are restored from it too.
 *
 * @param partition the source partition
 * @param offset the offset of the next record to read (file: lines read so far)
 * @param byteOffset file: the byte position of the next line to read, just after the newline of
 *     the last line read, so that a restore seeks there instead of reading {@code offset} lines
 *     again; {@link #NO_BYTE_OFFSET} for other sources and in checkpoints written before it was
 *     recorded (a file source then skips {@code offset} lines)
 * @param position a reader-specific resume position, or -1 (mock: 1 for the partition its round
 *     robin goes on with, 0 for the others)
 * @param maxTimestamp the largest event time seen, {@code Long.MIN_VALUE} if none
 * @param watermark the channel's watermark (the generator's, or an idle advance)
 * @param idle whether the channel was marked idle
 * @param ended whether the channel had sent end-of-stream
 */
public record ChannelState(
    int partition,
    long offset,
    long byteOffset,
    long position,
    long maxTimestamp,
    long watermark,
    boolean idle,
    boolean ended) {

  /** No byte offset: the reader resumes by {@code offset} alone. */
  public static final long NO_BYTE_OFFSET = -1;

  public ChannelState {
    if (byteOffset < NO_BYTE_OFFSET) {
      throw new IllegalArgumentException(
          "byteOffset (" + byteOffset + ") of partition " + partition + " must be >= 0, or -1 for none");
    }
  }

  /**
   * The JSON of {@code _metadata}. {@code byteOffset} is absent from checkpoints written before
   * it existed; Jackson would make a missing {@code long} 0, a seek to the start of the file, so
   * it is read as a {@code Long} and a missing one means {@link #NO_BYTE_OFFSET}.
   */
  @JsonCreator
  private static ChannelState fromJson(
      @JsonProperty("partition") int partition,
      @JsonProperty("offset") long offset,
      @JsonProperty("byteOffset") Long byteOffset,
      @JsonProperty("position") long position,
      @JsonProperty("maxTimestamp") long maxTimestamp,
      @JsonProperty("watermark") long watermark,
      @JsonProperty("idle") boolean idle,
      @JsonProperty("ended") boolean ended) {
    return new ChannelState(
        partition, offset, byteOffset == null ? NO_BYTE_OFFSET : byteOffset, position, maxTimestamp, watermark, idle, ended);
  }
}
