package io.weir.source;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.weir.config.FileSourceConfig;
import io.weir.event.StreamEvent;
import io.weir.sink.DeadLetter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reader of a file source for one pipeline: each matched file is a source partition, read line by
 * line (offset = line number), parsed as JSONL or CSV; malformed lines go to the dead-letter
 * output with a reason and reading goes on. Bounded: each partition ends with end-of-stream at the
 * end of its file. Unbounded: files are tailed, and a file replaced by rotation or truncated is
 * reopened from its start.
 *
 * <p>Deployed as a worker verticle (file reads block). Partitions are read in a fixed round-robin
 * order, one batch each, so the interleaving operators see depends on the files alone.
 */
public final class FileSource extends VerticleBase implements EventSource {
  private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);
  private static final long BACKPRESSURE_RETRY_MS = 5;

  private final FileSourceConfig config;
  private final String pipelineId;
  private final SourceOutput output;
  private final int batchSize;
  private final io.weir.pipeline.PipelineRestore restore;

  private LineReader[] readers;
  private LineParser[] parsers;
  private long[] lineNumbers;
  private boolean[] ended;
  private boolean paused;
  private boolean scheduled;
  private long timerId = -1;
  private volatile long blockedSinceNanos = -1;
  private volatile long backpressureNanos;
  private volatile boolean finished;

  public FileSource(
      FileSourceConfig config,
      String pipelineId,
      SourceOutput output,
      int batchSize,
      io.weir.pipeline.PipelineRestore restore) {
    this.restore = restore;
    this.config = config;
    this.pipelineId = pipelineId;
    this.output = output;
    this.batchSize = batchSize;
  }

  @Override
  public Future<?> start() throws IOException {
    int n = config.files().size();
    readers = new LineReader[n];
    parsers = new LineParser[n];
    lineNumbers = new long[n];
    ended = new boolean[n];
    for (int p = 0; p < n; p++) {
      readers[p] = new LineReader(Path.of(config.files().get(p)));
      parsers[p] = new LineParser(config);
      io.weir.checkpoint.ChannelState resumed = restore == null ? null : restore.channel(p);
      if (resumed != null && resumed.offset() > 0) {
        skipTo(p, resumed.offset());
      }
    }
    LOG.info(
        "pipeline {}: file source {} reading {} file(s) ({}, {}): {}",
        pipelineId,
        config.id(),
        n,
        config.format().name().toLowerCase(java.util.Locale.ROOT),
        config.bounded() ? "bounded" : "tailing",
        config.files());
    schedule(0);
    return Future.succeededFuture();
  }

  /** Resumes partition {@code p} after its first {@code lines} lines (a restore). */
  private void skipTo(int p, long lines) throws IOException {
    List<String> skipped = new ArrayList<>(batchSize);
    while (lineNumbers[p] < lines) {
      skipped.clear();
      int want = (int) Math.min(batchSize, lines - lineNumbers[p]);
      boolean more = readers[p].readLines(want, skipped, config.bounded());
      for (String line : skipped) {
        lineNumbers[p]++;
        // The CSV header is the first non-blank line: a restored parser must know it too.
        if (!line.isBlank()) {
          parsers[p].consumeHeader(line);
        }
      }
      if (!more && lineNumbers[p] < lines) {
        LOG.warn(
            "pipeline {}: file source {}: {} has {} lines, the checkpoint had read {}; it was replaced",
            pipelineId, config.id(), config.files().get(p), lineNumbers[p], lines);
        break;
      }
    }
  }

  @Override
  public Future<List<io.weir.checkpoint.ChannelState>> checkpoint(long checkpointId) {
    Promise<List<io.weir.checkpoint.ChannelState>> result = Promise.promise();
    context.runOnContext(
        v -> {
          long[] positions = new long[lineNumbers.length];
          java.util.Arrays.fill(positions, -1);
          result.complete(output.barrier(checkpointId, lineNumbers.clone(), positions));
        });
    return result.future();
  }

  private void schedule(long delayMs) {
    if (scheduled) {
      return;
    }
    scheduled = true;
    if (delayMs == 0) {
      context.runOnContext(v -> pump());
    } else {
      timerId = vertx.setTimer(delayMs, id -> pump());
    }
  }

  private void pump() {
    scheduled = false;
    if (paused || finished) {
      return;
    }
    if (!output.hasCapacity()) {
      if (blockedSinceNanos < 0) {
        blockedSinceNanos = System.nanoTime();
      }
      if (!config.bounded()) {
        output.idleCheck(true);
      }
      schedule(BACKPRESSURE_RETRY_MS);
      return;
    }
    if (blockedSinceNanos >= 0) {
      backpressureNanos += System.nanoTime() - blockedSinceNanos;
      blockedSinceNanos = -1;
    }
    boolean progress = false;
    boolean allEnded = true;
    for (int p = 0; p < readers.length; p++) {
      if (ended[p]) {
        continue;
      }
      try {
        progress |= readPartition(p);
      } catch (IOException e) {
        LOG.error("pipeline {}: file source {}: reading {} failed: {}", pipelineId, config.id(), config.files().get(p), e.toString());
      }
      allEnded &= ended[p];
    }
    // A bounded source (a replay) is never idle: its results must not depend on timing.
    if (!config.bounded()) {
      output.idleCheck(false);
    }
    if (allEnded) {
      finished = true;
      LOG.info("pipeline {}: file source {} reached the end of every file", pipelineId, config.id());
      return;
    }
    schedule(progress ? 0 : config.pollIntervalMs());
  }

  /** Reads one batch of partition {@code p}; true when it produced lines. */
  private boolean readPartition(int p) throws IOException {
    List<String> lines = new ArrayList<>(batchSize);
    boolean more = readers[p].readLines(batchSize, lines, config.bounded());
    if (!lines.isEmpty()) {
      handle(p, lines);
    }
    if (!more) {
      if (config.bounded()) {
        ended[p] = true;
        output.endOfStream(p);
      } else if (readers[p].replaced()) {
        LOG.info("pipeline {}: file source {}: {} was rotated or truncated; reopening it", pipelineId, config.id(), config.files().get(p));
        readers[p].close();
        readers[p] = new LineReader(Path.of(config.files().get(p)));
      }
    }
    return !lines.isEmpty();
  }

  private void handle(int p, List<String> lines) {
    List<StreamEvent> events = new ArrayList<>(lines.size());
    List<DeadLetter> rejected = new ArrayList<>();
    LineParser parser = parsers[p];
    for (String line : lines) {
      long lineNumber = ++lineNumbers[p];
      if (line.isBlank() || parser.consumeHeader(line)) {
        continue;
      }
      ParsedLine parsed = parser.parse(line, p, lineNumber);
      if (parsed.failed()) {
        rejected.add(
            new DeadLetter(parsed.reason(), parsed.detail(), parsed.payload(), config.id(), p, lineNumber, null, null));
      } else {
        events.add(parsed.event());
      }
    }
    if (!events.isEmpty()) {
      output.emit(p, events);
    }
    if (!rejected.isEmpty()) {
      output.deadLetter(rejected);
    }
  }

  @Override
  public Future<?> stop() throws IOException {
    finished = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    for (LineReader r : readers) {
      if (r != null) {
        r.close();
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public String id() {
    return config.id();
  }

  @Override
  public int partitions() {
    return config.files().size();
  }

  @Override
  public Future<Void> pause() {
    return onContext(() -> paused = true);
  }

  @Override
  public Future<Void> resume() {
    return onContext(
        () -> {
          paused = false;
          output.resumed();
          schedule(0);
        });
  }

  private Future<Void> onContext(Runnable action) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          action.run();
          done.complete();
        });
    return done.future();
  }

  @Override
  public boolean finished() {
    return finished && allEnded();
  }

  private boolean allEnded() {
    for (boolean e : ended) {
      if (!e) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean backpressured() {
    return blockedSinceNanos >= 0;
  }

  @Override
  public long backpressureNanos() {
    return backpressureNanos;
  }
}
