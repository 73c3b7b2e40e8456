package io.weir.source;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.weir.config.FileSourceConfig;
import io.weir.event.StreamEvent;
import io.weir.sink.DeadLetter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
  /**
   * A source waiting for capacity is woken by the pipeline as soon as there is room ({@link
   * SourceOutput#onCapacity}); this slow timer is only a safety net, so that a wake-up that never
   * comes would cost a second, not the pipeline.
   */
  private static final long BACKPRESSURE_SAFETY_MS = 1000;

  private final FileSourceConfig config;
  private final String pipelineId;
  private final SourceOutput output;
  private final int batchSize;

  private LineReader[] readers;
  private LineParser[] parsers;
  private long[] lineNumbers;
  private boolean[] ended;
  private boolean paused;
  private boolean scheduled;
  private boolean awaitingCapacity;
  private long timerId = -1;
  private volatile long blockedSinceNanos = -1;
  private volatile long backpressureNanos;
  private volatile boolean finished;

  public FileSource(FileSourceConfig config, String pipelineId, SourceOutput output, int batchSize) {
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

  /** Pumps again when the pipeline has room; until then nothing else schedules a pump. */
  private void awaitCapacity() {
    scheduled = true;
    awaitingCapacity = true;
    timerId = vertx.setTimer(BACKPRESSURE_SAFETY_MS, id -> capacityBack());
    output.onCapacity(() -> context.runOnContext(v -> capacityBack()));
  }

  private void capacityBack() {
    if (!awaitingCapacity) {
      return; // the other of the two wake-ups came first
    }
    awaitingCapacity = false;
    vertx.cancelTimer(timerId);
    timerId = -1;
    pump();
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
      awaitCapacity();
      return;
    }
    if (blockedSinceNanos >= 0) {
      backpressureNanos += System.nanoTime() - blockedSinceNanos;
      blockedSinceNanos = -1;
      if (!config.bounded()) {
        // The wait was backpressure, not silence: no partition may turn idle for it.
        output.idleCheck(true);
      }
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
    Batch batch = new Batch(p);
    boolean more = readers[p].readLines(batchSize, batch, config.bounded());
    batch.send();
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
    return batch.lines > 0;
  }

  /** The lines of one batch of a partition as they are read, and what they become. */
  private final class Batch implements LineReader.LineConsumer {
    private final int p;
    private final LineParser parser;
    private final List<StreamEvent> events = new ArrayList<>(batchSize);
    private final List<DeadLetter> rejected = new ArrayList<>();
    private int lines;

    Batch(int p) {
      this.p = p;
      this.parser = parsers[p];
    }

    @Override
    public void line(byte[] bytes, int start, int length, boolean ascii) {
      lines++;
      long lineNumber = ++lineNumbers[p];
      // The common case (an ASCII JSONL line with plain top-level fields) is parsed from the
      // bytes; every other line is decoded and handled as a string, as it always was.
      StreamEvent event = ascii ? parser.parseAscii(bytes, start, length, p, lineNumber) : null;
      if (event != null) {
        events.add(event);
        return;
      }
      String line = new String(bytes, start, length, StandardCharsets.UTF_8);
      if (line.isBlank() || parser.consumeHeader(line)) {
        return;
      }
      ParsedLine parsed = parser.parse(line, p, lineNumber);
      if (parsed.failed()) {
        rejected.add(
            new DeadLetter(parsed.reason(), parsed.detail(), parsed.payload(), config.id(), p, lineNumber, null, null));
      } else {
        events.add(parsed.event());
      }
    }

    void send() {
      if (!events.isEmpty()) {
        output.emit(p, events);
      }
      if (!rejected.isEmpty()) {
        output.deadLetter(rejected);
      }
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
