package io.weir.event;

/**
 * What travels on one input channel (a source partition) towards an operator. Every element
 * names the channel it belongs to, and elements of one channel arrive in the order they were
 * sent, so watermarks, barriers and end-of-stream are in-band.
 */
public sealed interface StreamElement
    permits EventBatch, Watermark, Barrier, EndOfStream, ChannelIdle {

  /** Source partition (input channel index) this element belongs to. */
  int channel();
}
