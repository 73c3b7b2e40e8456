package io.weir.app;

import io.weir.checkpoint.KeyGroups;
import io.weir.checkpoint.PipelineCheckpoint;
import io.weir.config.PipelineConfig;
import io.weir.pipeline.PipelineRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Whether a pipeline's configuration can restore the state a checkpoint holds for it. */
final class CheckpointCompatibility {
  private CheckpointCompatibility() {}

  /** Why {@code pipeline} cannot restore {@code old}; empty when it can. */
  static List<String> problems(PipelineConfig pipeline, PipelineCheckpoint old) {
    List<String> problems = new ArrayList<>();
    if (!old.source().equals(pipeline.source())) {
      problems.add("its source changed from " + old.source() + " to " + pipeline.source() + " (offsets would not match)");
    }
    String window = PipelineRuntime.windowSpec(pipeline);
    if (!old.window().equals(window)) {
      problems.add("its window changed from " + old.window() + " to " + window);
    }
    List<String> aggregations =
        pipeline.aggregations().stream().map(a -> a.name().toLowerCase(Locale.ROOT)).toList();
    if (!old.aggregations().equals(aggregations)) {
      problems.add("its aggregations changed from " + old.aggregations() + " to " + aggregations);
    }
    if (old.keyGroups() != KeyGroups.COUNT) {
      problems.add("its state has " + old.keyGroups() + " key groups, this version uses " + KeyGroups.COUNT);
    }
    return problems;
  }
}
