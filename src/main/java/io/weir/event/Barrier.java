package io.weir.event;

/** Checkpoint barrier {@code checkpointId}: everything before it on the channel belongs to it. */
public record Barrier(int channel, long checkpointId) implements StreamElement {}
