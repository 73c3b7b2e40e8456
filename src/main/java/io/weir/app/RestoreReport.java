package io.weir.app;

import io.weir.checkpoint.ChannelState;
import io.weir.checkpoint.CheckpointMetadata;
import io.weir.checkpoint.PipelineCheckpoint;
import io.weir.config.FileSinkConfig;
import io.weir.config.FileSourceConfig;
import io.weir.config.MockSourceConfig;
import io.weir.config.PipelineConfig;
import io.weir.config.SinkConfig;
import io.weir.config.SourceConfig;
import io.weir.config.WeirConfig;
import io.weir.sink.SinkCommit;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a start with {@code config} would do with a published checkpoint, as {@code validate
 * --against-checkpoint} prints it: one finding per line, each starting with what it is about
 * ({@code checkpoint:}, {@code pipeline <id>:}, {@code sink <id>:}, {@code source <id>:}) and
 * ending with a {@code result:} line. A pipeline that cannot restore is judged by {@link
 * CheckpointCompatibility}, the same check that makes the start-up refuse; everything else
 * (pipelines and sinks added or removed, parallelism, a sink's new target) the start-up accepts and
 * is reported as information or a warning.
 *
 * <p>Pure: the caller reads the checkpoint and resolves file globs; relative paths of the config
 * are taken against {@code workDir}, as the service would take them.
 *
 * @param findings the lines, in order
 */
record RestoreReport(List<Finding> findings) {

  RestoreReport {
    findings = List.copyOf(findings);
  }

  /** How much a finding matters for the deploy. */
  enum Severity {
    /** What will happen; nothing is lost. */
    INFO,
    /** The start-up accepts it, but state or output history is discarded or may not line up. */
    WARNING,
    /** The start-up would refuse: exit 1. */
    ERROR
  }

  /** One line of the report. */
  record Finding(Severity severity, String line) {
    Finding {
      Objects.requireNonNull(severity, "severity");
      Objects.requireNonNull(line, "line");
    }
  }

  /** True when the service would start from this checkpoint (warnings allowed). */
  boolean restorable() {
    return findings.stream().noneMatch(f -> f.severity() == Severity.ERROR);
  }

  List<String> lines() {
    return findings.stream().map(Finding::line).toList();
  }

  /** The report when {@code dir} holds no published checkpoint: a fresh start. */
  static RestoreReport noCheckpoint(Path dir) {
    return new RestoreReport(
        List.of(
            new Finding(Severity.INFO, "checkpoint: none published in " + dir + ": every pipeline starts from the beginning of its source"),
            new Finding(Severity.INFO, "result: OK, fresh start")));
  }

  /**
   * Compares {@code config} (file sources with their globs resolved, or not: then their partition
   * count is not compared) with {@code checkpoint}.
   *
   * @param checkpointDir the {@code chk-<n>} directory the metadata was read from
   * @param newestId the newest published checkpoint of that directory (a start restores that one)
   * @param workDir what relative paths of the config are relative to
   */
  static RestoreReport of(
      WeirConfig config,
      CheckpointMetadata checkpoint,
      Path checkpointDir,
      long newestId,
      Path workDir) {
    List<Finding> out = new ArrayList<>();
    out.add(
        info("checkpoint: chk-" + checkpoint.id() + " (" + Instant.ofEpochMilli(checkpoint.createdAtMs()) + ") in " + checkpointDir.getParent()));
    Path root = checkpointDir.getParent().toAbsolutePath().normalize();
    Path configuredCheckpointRoot = workDir.resolve(config.state().checkpointDir()).toAbsolutePath().normalize();
    if (!root.equals(configuredCheckpointRoot)) {
      out.add(
          warning("checkpoint: the config's state.checkpoint_dir is " + configuredCheckpointRoot
              + ", not " + root + ": the service would not restore this checkpoint"));
    }
    if (newestId != checkpoint.id()) {
      out.add(
          warning("checkpoint: chk-" + checkpoint.id() + " is not the newest: a start restores chk-" + newestId));
    }
    pipelines(config, checkpoint, out);
    sinks(config, checkpoint, workDir, out);
    sources(config, checkpoint, out);
    long errors = out.stream().filter(f -> f.severity() == Severity.ERROR).count();
    long warnings = out.stream().filter(f -> f.severity() == Severity.WARNING).count();
    out.add(
        errors > 0
            ? new Finding(Severity.ERROR, "result: CANNOT restore chk-" + checkpoint.id() + " (" + errors + " " + plural(errors, "problem") + ", " + warnings + " " + plural(warnings, "warning") + ")")
            : info("result: OK, restores chk-" + checkpoint.id() + " (" + warnings + " " + plural(warnings, "warning") + ")"));
    return new RestoreReport(out);
  }

  private static void pipelines(WeirConfig config, CheckpointMetadata checkpoint, List<Finding> out) {
    for (PipelineConfig p : config.pipelines()) {
      PipelineCheckpoint old = checkpoint.pipelines().get(p.id());
      if (old == null) {
        out.add(info("pipeline " + p.id() + ": new, starts from the beginning of source " + p.source()));
        continue;
      }
      List<String> problems = CheckpointCompatibility.problems(p, old);
      if (!problems.isEmpty()) {
        out.add(error("pipeline " + p.id() + ": CANNOT restore: " + String.join("; ", problems)));
        continue;
      }
      out.add(
          info("pipeline " + p.id() + ": restores (state ~" + old.stateKeys() + " keys, " + old.stateBytes()
              + " bytes; resumes source " + old.source() + " at " + positions(old.channels())
              + "; watermark " + time(old.watermark()) + ")"));
      if (!old.channels().isEmpty() && old.channels().stream().allMatch(ChannelState::ended)) {
        out.add(
            info("pipeline " + p.id() + ": every partition of source " + old.source()
                + " had ended: it produces nothing more (a new state.checkpoint_dir replays from the beginning)"));
      }
      if (old.parallelism() != p.parallelism()) {
        out.add(
            info("pipeline " + p.id() + ": parallelism " + old.parallelism() + " -> " + p.parallelism() + ": fine, state is by key group"));
      }
      config.source(p.source()).ifPresent(source -> partitions(p, source, old, out));
    }
    for (Map.Entry<String, PipelineCheckpoint> old : checkpoint.pipelines().entrySet()) {
      if (config.pipeline(old.getKey()).isEmpty()) {
        out.add(
            warning("pipeline " + old.getKey() + ": in the checkpoint but not configured: its state ("
                + old.getValue().stateKeys() + " keys, " + old.getValue().stateBytes() + " bytes) would be discarded"));
      }
    }
  }

  /**
   * Offsets are restored by partition number. The start-up accepts another count (a new
   * partition starts at its beginning, a dropped one's offset is ignored), but for a file glob
   * the partitions are the files sorted by name: a new file sorting before an old one shifts them.
   */
  private static void partitions(PipelineConfig p, SourceConfig source, PipelineCheckpoint old, List<Finding> out) {
    boolean known = !(source instanceof FileSourceConfig file) || !file.files().isEmpty();
    if (known && source.partitions() != old.channels().size()) {
      out.add(
          warning("pipeline " + p.id() + ": source " + source.id() + " has " + source.partitions() + " partitions, the checkpoint "
              + old.channels().size() + ": offsets are restored by partition number"
              + (source instanceof FileSourceConfig ? " (files sorted by name)" : "")));
    }
  }

  private static void sinks(WeirConfig config, CheckpointMetadata checkpoint, Path workDir, List<Finding> out) {
    for (SinkConfig sink : config.sinks()) {
      SinkCommit last = checkpoint.sinks().get(sink.id());
      if (sink instanceof FileSinkConfig file) {
        // The sink compares the same way (TransactionalFileSink#doRecover).
        Path target = workDir.resolve(file.path()).toAbsolutePath();
        if (last == null) {
          out.add(info("sink " + sink.id() + ": new, writes " + target));
        } else if (!Path.of(last.target()).equals(target)) {
          out.add(
              warning("sink " + sink.id() + ": target was " + last.target() + ", now " + target + ": a new file history starts"));
        } else {
          out.add(
              info("sink " + sink.id() + ": continues " + target + " at " + last.lengthAfter() + " committed bytes"));
        }
      } else if (last != null) {
        out.add(
            warning("sink " + sink.id() + ": was a file sink writing " + last.target() + ", now " + kind(sink)
                + ": that file is no longer written"));
      }
    }
    for (Map.Entry<String, SinkCommit> old : checkpoint.sinks().entrySet()) {
      if (config.sink(old.getKey()).isEmpty()) {
        out.add(
            warning("sink " + old.getKey() + ": in the checkpoint but not configured: " + old.getValue().target()
                + " is no longer written, its transaction history would be discarded"));
      }
    }
  }

  private static void sources(WeirConfig config, CheckpointMetadata checkpoint, List<Finding> out) {
    if (checkpoint.sources() == null) {
      return;
    }
    for (SourceConfig source : config.sources()) {
      Map<String, Long> drawn = checkpoint.sources().get(source.id());
      if (!(source instanceof MockSourceConfig mock) || drawn == null) {
        continue;
      }
      mockSetting(mock.id(), "seed", mock.seed(), drawn.get("seed"), String::valueOf, out);
      mockSetting(mock.id(), "start_time", mock.startTime(), drawn.get("start_time"), RestoreReport::time, out);
    }
  }

  /** A mock source left open reuses what the checkpoint recorded; a configured other value does not. */
  private static void mockSetting(
      String source, String key, Long configured, Long recorded, java.util.function.LongFunction<String> show, List<Finding> out) {
    if (recorded == null) {
      return;
    }
    if (configured == null) {
      out.add(info("source " + source + ": mock, reuses " + key + " " + show.apply(recorded) + " from the checkpoint"));
    } else if (!configured.equals(recorded)) {
      out.add(
          warning("source " + source + ": mock " + key + " is " + show.apply(configured) + ", the checkpoint's was "
              + show.apply(recorded) + ": the restored pipelines go on with a different stream"));
    }
  }

  private static String positions(List<ChannelState> channels) {
    if (channels.isEmpty()) {
      return "no partition";
    }
    return channels.stream()
        .map(c -> "partition " + c.partition() + " offset " + c.offset() + (c.ended() ? " (ended)" : ""))
        .collect(Collectors.joining(", "));
  }

  private static String time(long epochMs) {
    if (epochMs == Long.MIN_VALUE) {
      return "none yet";
    }
    if (epochMs == Long.MAX_VALUE) {
      return "end of input";
    }
    return Instant.ofEpochMilli(epochMs).toString();
  }

  private static String kind(SinkConfig sink) {
    return sink instanceof FileSinkConfig ? "a file sink" : "a console sink";
  }

  private static String plural(long n, String word) {
    return n == 1 ? word : word + "s";
  }

  private static Finding info(String line) {
    return new Finding(Severity.INFO, line);
  }

  private static Finding warning(String line) {
    return new Finding(Severity.WARNING, line);
  }

  private static Finding error(String line) {
    return new Finding(Severity.ERROR, line);
  }
}
