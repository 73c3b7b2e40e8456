package io.weir.checkpoint;

import java.util.Map;

/**
 * One checkpoint attempt as {@code GET /checkpoints} shows it.
 *
 * @param id checkpoint id
 * @param trigger why it was taken
 * @param status {@code in_progress}, {@code completed} or {@code failed}
 * @param startedAtMs wall-clock start
 * @param durationMs time to publish (completed) or to fail; -1 while in progress
 * @param sizeBytes bytes of the published checkpoint directory
 * @param phasesMs milliseconds per phase: alignment, snapshot, pre_commit, publish, commit
 * @param offsets per pipeline, per source partition, the offset it resumes from
 * @param error why it failed, or null
 */
public record CheckpointInfo(
    long id,
    CheckpointCoordinator.Trigger trigger,
    String status,
    long startedAtMs,
    long durationMs,
    long sizeBytes,
    Map<String, Long> phasesMs,
    Map<String, Map<Integer, Long>> offsets,
    String error) {

  static CheckpointInfo started(long id, CheckpointCoordinator.Trigger trigger, long startedAtMs) {
    return new CheckpointInfo(id, trigger, "in_progress", startedAtMs, -1, 0, Map.of(), Map.of(), null);
  }

  CheckpointInfo completed(long durationMs, long sizeBytes, Map<String, Long> phases, Map<String, Map<Integer, Long>> offsets) {
    return new CheckpointInfo(id, trigger, "completed", startedAtMs, durationMs, sizeBytes, phases, offsets, null);
  }

  CheckpointInfo failed(long durationMs, String error) {
    return new CheckpointInfo(id, trigger, "failed", startedAtMs, durationMs, 0, Map.of(), Map.of(), error);
  }
}
