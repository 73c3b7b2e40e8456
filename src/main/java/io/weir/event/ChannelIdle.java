package io.weir.event;

/**
 * The channel produced nothing for the idle timeout (while it was free to produce): operators
 * leave it out of their watermark minimum until its next batch, so a silent source partition
 * does not hold event time back.
 */
public record ChannelIdle(int channel) implements StreamElement {}
