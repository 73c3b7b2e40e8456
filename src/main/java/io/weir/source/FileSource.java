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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reader of a file source for one pipeline: each matched file is a source partition, read line by
 * line (offset = line number), parsed as JSONL or CSV; malformed lines go to the dead-letter
 * output with a reason and reading goes on. Bounded: each partition ends with end-of-stream at the
 * end of its file. Unbounded: files are tailed, and a file replaced by rotation or truncated is
 * reopened from its start. A checkpoint records, per partition, the lines read and the byte
 * position of the next line; a restore seeks to that byte (reading only a CSV header before it)
 * and skips the lines one by one only when the checkpoint has no byte position or the file no
 * line starting there.
 *
 * <p>Deployed as a worker verticle (file reads block). Each pump reads one batch of every open
 * partition — with several partitions and cores, on this verticle's thread and up to (cores - 1)
 * parse threads of its own at once — and sends them in a fixed round-robin order, so the
 * interleaving operators see depends on the files alone.
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
  private final io.weir.pipeline.PipelineRestore restore;

  /** Threads that read and parse partitions besides the source's own; null with one partition or core. */
  private ExecutorService parseThreads;
  private int parseThreadCount;
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
      if (resumed != null && resumed.offset() > 0 && !seekTo(p, resumed.offset(), resumed.byteOffset())) {
        skipTo(p, resumed.offset());
      }
    }
    parseThreadCount = Math.min(n, Runtime.getRuntime().availableProcessors()) - 1;
    if (parseThreadCount > 0) {
      AtomicInteger threads = new AtomicInteger();
      parseThreads =
          Executors.newFixedThreadPool(
              parseThreadCount,
              r -> {
                Thread t = new Thread(r, "weir-file-parse-" + config.id() + "-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
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

  /**
   * Resumes partition {@code p} at byte {@code byteOffset}, where the checkpoint's line {@code
   * lines + 1} starts, without reading the lines before it (a restore). False, with nothing
   * read, when there is no byte offset (a checkpoint written before they were recorded) or the
   * file has no line starting there (it was replaced or truncated): then the lines are skipped.
   */
  private boolean seekTo(int p, long lines, long byteOffset) throws IOException {
    if (byteOffset == io.weir.checkpoint.ChannelState.NO_BYTE_OFFSET) {
      return false;
    }
    LineReader reader = readers[p];
    if (!reader.startsLine(byteOffset)) {
      LOG.warn(
          "pipeline {}: file source {}: {} has no line starting at byte {}, where the checkpoint stopped after {} lines;"
              + " it was replaced or truncated: skipping {} lines instead",
          pipelineId, config.id(), config.files().get(p), byteOffset, lines, lines);
      return false;
    }
    readHeader(p, byteOffset);
    reader.seek(byteOffset);
    lineNumbers[p] = lines;
    LOG.debug(
        "pipeline {}: file source {}: {} resumes at line {} (byte {})",
        pipelineId, config.id(), config.files().get(p), lines + 1, byteOffset);
    return true;
  }

  /**
   * Reads the CSV header (the first non-blank line) of partition {@code p} when it starts before
   * byte {@code end}, and no further: a restored parser must know it. A header at or after {@code
   * end} was not read before the checkpoint and comes with the lines after it.
   */
  private void readHeader(int p, long end) throws IOException {
    List<String> line = new ArrayList<>(1);
    while (parsers[p].awaitsHeader() && readers[p].position() < end) {
      line.clear();
      readers[p].readLines(1, line, config.bounded());
      if (line.isEmpty()) {
        return;
      }
      if (!line.get(0).isBlank()) {
        parsers[p].consumeHeader(line.get(0));
      }
    }
  }

  /** Resumes partition {@code p} after its first {@code lines} lines (a restore) by reading them. */
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
          // Between two pumps every line a reader handed out has been sent: its position is the
          // start of the first line after the barrier.
          long[] byteOffsets = new long[readers.length];
          for (int p = 0; p < readers.length; p++) {
            byteOffsets[p] = readers[p].position();
          }
          long[] positions = new long[lineNumbers.length];
          java.util.Arrays.fill(positions, -1);
          result.complete(output.barrier(checkpointId, lineNumbers.clone(), byteOffsets, positions));
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
    int[] open = openPartitions();
    Read[] reads = readAll(open);
    for (int i = 0; i < open.length; i++) {
      int p = open[i];
      try {
        progress |= send(p, reads[i]);
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

  private int[] openPartitions() {
    int n = 0;
    for (boolean e : ended) {
      n += e ? 0 : 1;
    }
    int[] open = new int[n];
    for (int p = 0, i = 0; p < ended.length; p++) {
      if (!ended[p]) {
        open[i++] = p;
      }
    }
    return open;
  }

  /** One batch read and parsed from a partition, not yet sent. */
  private record Read(Batch batch, boolean more, IOException error) {}

  /**
   * Reads and parses the next batch of each of the {@code open} partitions. Parsing is most of
   * a file source's work, so with more than one partition and more than one core the batches are
   * read on this thread and the parse threads at once (each partition's reader and parser are
   * used by one thread at a time; the waits below order their uses). What is read is sent
   * afterwards, on the source's context, in partition order, so the results do not depend on
   * which thread read what.
   */
  private Read[] readAll(int[] open) {
    Read[] reads = new Read[open.length];
    AtomicInteger next = new AtomicInteger();
    Runnable work =
        () -> {
          for (int i = next.getAndIncrement(); i < open.length; i = next.getAndIncrement()) {
            reads[i] = read(open[i]);
          }
        };
    int helpers = parseThreads == null ? 0 : Math.min(open.length - 1, parseThreadCount);
    List<java.util.concurrent.Future<?>> running = new ArrayList<>(helpers);
    for (int h = 0; h < helpers; h++) {
      running.add(parseThreads.submit(work));
    }
    work.run();
    for (java.util.concurrent.Future<?> f : running) {
      awaitUninterruptibly(f);
    }
    return reads;
  }

  private static void awaitUninterruptibly(java.util.concurrent.Future<?> f) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          f.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          // As if the parse had run on this thread.
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          if (e.getCause() instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Read read(int p) {
    Batch batch = new Batch(p);
    try {
      return new Read(batch, readers[p].readLines(batchSize, batch, config.bounded()), null);
    } catch (IOException e) {
      return new Read(batch, true, e);
    }
  }

  /** Sends what was read from partition {@code p}; true when it had lines. On the source's context. */
  private boolean send(int p, Read read) throws IOException {
    // The lines read before a failed read are sent too: the line number and the byte position
    // of the reader, which a checkpoint records, are already past them.
    read.batch().send();
    if (read.error() != null) {
      throw read.error();
    }
    if (!read.more()) {
      if (config.bounded()) {
        ended[p] = true;
        output.endOfStream(p);
      } else if (readers[p].replaced()) {
        LOG.info("pipeline {}: file source {}: {} was rotated or truncated; reopening it", pipelineId, config.id(), config.files().get(p));
        readers[p].close();
        readers[p] = new LineReader(Path.of(config.files().get(p)));
      }
    }
    return read.batch().lines > 0;
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
    if (parseThreads != null) {
      // No parse is running: pumps wait for theirs, and stop runs on the source's context.
      parseThreads.shutdown();
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
