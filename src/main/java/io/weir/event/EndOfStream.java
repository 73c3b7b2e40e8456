package io.weir.event;

/** The channel will send nothing more; its watermark becomes {@link Watermark#MAX}. */
public record EndOfStream(int channel) implements StreamElement {}
