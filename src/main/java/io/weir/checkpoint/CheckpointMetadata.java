package io.weir.checkpoint;

import io.weir.sink.SinkCommit;
import java.util.Map;

/**
 * The {@code _metadata} of a published checkpoint: written last, atomically; a checkpoint
 * directory without it was never published and is ignored (and deleted).
 *
 * @param version format version
 * @param id checkpoint id (increasing)
 * @param createdAtMs wall-clock time the checkpoint was triggered
 * @param pipelines per pipeline id: offsets, watermarks, state
 * @param sinks per transactional sink id: the transaction to commit
 * @param phasesMs duration of each phase in milliseconds (alignment, snapshot, pre_commit, publish)
 * @param sources per source id, what the process drew for settings left open (a mock source's
 *     {@code seed} and {@code start_time}): a restore reuses them, so the stream goes on as it was
 */
public record CheckpointMetadata(
    int version,
    long id,
    long createdAtMs,
    Map<String, PipelineCheckpoint> pipelines,
    Map<String, SinkCommit> sinks,
    Map<String, Long> phasesMs,
    Map<String, Map<String, Long>> sources) {

  public static final int VERSION = 1;
}
