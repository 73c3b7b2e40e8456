package io.weir.checkpoint;

import java.util.List;

/**
 * A pipeline's part of a checkpoint.
 *
 * @param source the source id
 * @param channels every source partition at the barrier, by partition
 * @param parallelism operator partitions when it was taken (any other restores too)
 * @param keyGroups key groups of the state layout ({@link KeyGroups#COUNT})
 * @param window the window spec (type, sizes, lateness, time domain, emit policy) as text: a
 *     restore with another spec would misread the state
 * @param aggregations the aggregations, as configured
 * @param state the state snapshot directory, relative to the checkpoint directory
 * @param watermark the operators' combined watermark at the barrier (never goes back on restore)
 * @param stateKeys keys in the state snapshot (estimate)
 * @param stateBytes bytes of the state snapshot on disk
 */
public record PipelineCheckpoint(
    String source,
    List<ChannelState> channels,
    int parallelism,
    int keyGroups,
    String window,
    List<String> aggregations,
    String state,
    long watermark,
    long stateKeys,
    long stateBytes) {}
