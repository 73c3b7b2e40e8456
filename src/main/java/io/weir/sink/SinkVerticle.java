package io.weir.sink;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sink: consumes {@link SinkBatch} requests on {@link SinkAddress#of(String)} and replies once
 * the batch is written (the reply is the sender's credit back), or fails the request with the
 * I/O error. Deployed as a worker verticle: {@link #open()}, {@link #write} and {@link #close()}
 * may block.
 */
public abstract class SinkVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SinkVerticle.class);

  /** Failure codes of sink requests. */
  public static final int WRITE_FAILED = 500;

  private final String id;
  private final AtomicLong recordsWritten = new AtomicLong();
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private volatile Instant lastErrorAt;
  private MessageConsumer<SinkBatch> consumer;

  protected SinkVerticle(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** What this sink writes to, for logs and the REST API. */
  public abstract String describe();

  protected abstract void open() throws IOException;

  protected abstract void write(List<SinkRecord> records) throws IOException;

  /**
   * Writes records of checkpoint epoch {@code epoch} (see {@link SinkBatch#epoch()}). Sinks that
   * are not transactional write them at once (at-least-once).
   */
  protected void write(List<SinkRecord> records, long epoch) throws IOException {
    write(records);
  }

  /** True when output becomes visible only once its checkpoint is published (exactly-once). */
  public boolean transactional() {
    return false;
  }

  /**
   * Pre-commits everything received with an epoch below {@code checkpointId}: durable, not
   * visible. Null for sinks that are not transactional. Runs on the sink's own thread.
   */
  protected SinkCommit doPreCommit(long checkpointId) throws IOException {
    return null;
  }

  /** Makes a pre-committed transaction visible; idempotent. Runs on the sink's own thread. */
  protected void doCommit(SinkCommit commit) throws IOException {}

  /**
   * The checkpoint whose pre-commit this was failed: what it staged is kept and becomes part of
   * the next checkpoint. Runs on the sink's own thread.
   */
  protected void doAbort(long checkpointId) throws IOException {}

  /**
   * Called once before the first write: finishes the commit of the last published checkpoint
   * ({@code null} when there is none or it did not know this sink) and discards everything staged
   * after it. Runs on the sink's own thread.
   */
  protected void doRecover(SinkCommit lastPublished) throws IOException {}

  public Future<SinkCommit> preCommit(long checkpointId) {
    return onContext(() -> doPreCommit(checkpointId));
  }

  public Future<Void> commit(SinkCommit commit) {
    return onContext(() -> {
      doCommit(commit);
      return null;
    });
  }

  public Future<Void> abort(long checkpointId) {
    return onContext(() -> {
      doAbort(checkpointId);
      return null;
    });
  }

  public Future<Void> recover(SinkCommit lastPublished) {
    return onContext(() -> {
      doRecover(lastPublished);
      return null;
    });
  }

  private <T> Future<T> onContext(java.util.concurrent.Callable<T> action) {
    io.vertx.core.Promise<T> result = io.vertx.core.Promise.promise();
    context.runOnContext(
        v -> {
          try {
            result.complete(action.call());
          } catch (Exception e) {
            result.fail(e);
          }
        });
    return result.future();
  }

  /** Flushes and releases resources; called once, on undeploy. */
  protected abstract void close() throws IOException;

  @Override
  public Future<?> start() throws Exception {
    open();
    consumer = vertx.eventBus().localConsumer(SinkAddress.of(id), this::onBatch);
    LOG.info("sink {}: {} ready", id, describe());
    return consumer.completion();
  }

  private void onBatch(Message<SinkBatch> message) {
    SinkBatch batch = message.body();
    try {
      write(batch.records(), batch.epoch());
      recordsWritten.addAndGet(batch.size());
      lastError.set(null);
      message.reply(null);
    } catch (IOException | RuntimeException e) {
      String error = e.getClass().getSimpleName() + ": " + e.getMessage();
      if (lastError.getAndSet(error) == null) {
        LOG.error("sink {}: write of {} records failed: {}", id, batch.size(), error);
      }
      lastErrorAt = Instant.now();
      message.fail(WRITE_FAILED, "sink " + id + ": " + error);
    }
  }

  @Override
  public Future<?> stop() throws Exception {
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unregistered.andThen(
        ar -> {
          try {
            close();
            LOG.info("sink {}: closed after {} records", id, recordsWritten.get());
          } catch (IOException e) {
            LOG.error("sink {}: close failed: {}", id, e.toString());
          }
        });
  }

  public long recordsWritten() {
    return recordsWritten.get();
  }

  /** The last write error, or null when the last write succeeded. */
  public String lastError() {
    return lastError.get();
  }

  public Instant lastErrorAt() {
    return lastErrorAt;
  }
}
