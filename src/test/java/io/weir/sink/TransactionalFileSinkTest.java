package io.weir.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.weir.config.AggregationKind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging, pre-commit, commit, abort and the idempotent repair of a commit cut by a crash. */
class TransactionalFileSinkTest {
  @TempDir Path temp;
  private Vertx vertx;
  private Path target;
  private Path staging;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    io.weir.pipeline.Codecs.register(vertx.eventBus());
    target = temp.resolve("out/results.jsonl");
    staging = temp.resolve("chk/sinks/results");
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private String deployment;

  private void undeploy() throws Exception {
    await(vertx.undeploy(deployment));
  }

  private TransactionalFileSink deploy(SinkCommit last) throws Exception {
    TransactionalFileSink sink = new TransactionalFileSink("results", target, staging);
    deployment = await(vertx.deployVerticle(sink, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
    await(sink.recover(last));
    return sink;
  }

  private void send(String key, long epoch) throws Exception {
    WindowResult r =
        new WindowResult(
            "p", key, "tumbling", 0, 10, 1, 1, 1, 1, 1, 1, 1, WindowResult.NO_QUANTILES, Double.NaN,
            List.of(AggregationKind.COUNT), false, 0, "on_time", true, 9);
    await(vertx.eventBus().request(SinkAddress.of("results"), new SinkBatch(List.of(r), epoch)));
  }

  private List<String> keys() throws IOException {
    return Files.readAllLines(target).stream().map(l -> l.replaceAll(".*\"key\":\"([^\"]+)\".*", "$1")).toList();
  }

  @Test
  void outputIsVisibleOnlyAfterTheCommitOfItsCheckpoint() throws Exception {
    TransactionalFileSink sink = deploy(null);
    assertThat(target).exists().isEmptyFile();
    send("a", 0);
    send("b", 0);
    send("c", 1); // after barrier 1: belongs to checkpoint 2
    SinkCommit one = await(sink.preCommit(1));
    assertThat(one.records()).isEqualTo(2);
    assertThat(one.lengthBefore()).isZero();
    assertThat(target).isEmptyFile();
    await(sink.commit(one));
    assertThat(keys()).containsExactly("a", "b");
    assertThat(Files.size(target)).isEqualTo(one.lengthAfter());
    SinkCommit two = await(sink.preCommit(2));
    assertThat(two.lengthBefore()).isEqualTo(one.lengthAfter());
    await(sink.commit(two));
    assertThat(keys()).containsExactly("a", "b", "c");
  }

  @Test
  void anAbortedPreCommitJoinsTheNextCheckpointInOrder() throws Exception {
    TransactionalFileSink sink = deploy(null);
    send("a", 0);
    await(sink.preCommit(1));
    await(sink.abort(1));
    send("b", 1);
    SinkCommit two = await(sink.preCommit(2));
    assertThat(two.records()).isEqualTo(2);
    await(sink.commit(two));
    assertThat(keys()).containsExactly("a", "b");
  }

  @Test
  void aCommitCutByACrashIsFinishedByTheNextProcessWithTheSameBytes() throws Exception {
    TransactionalFileSink first = deploy(null);
    send("a", 0);
    await(first.commit(await(first.preCommit(1))));
    send("b", 1);
    send("c", 1);
    SinkCommit two = await(first.preCommit(2));
    // The process dies in the middle of the commit: half of the bytes reached the target.
    byte[] pending = Files.readAllBytes(Path.of(two.pending()));
    try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      out.write(java.nio.ByteBuffer.wrap(pending, 0, pending.length / 2));
    }
    String seenByAReader = Files.readString(target);
    send("d", 2); // staged after the checkpoint: lost with the process, produced again by replay
    undeploy();

    deploy(two); // the next process restores checkpoint 2
    assertThat(keys()).containsExactly("a", "b", "c");
    assertThat(Files.readString(target)).startsWith(seenByAReader);
    assertThat(Files.size(target)).isEqualTo(two.lengthAfter());
    try (var files = Files.list(staging)) {
      assertThat(files.toList()).as("nothing staged survives a restore").isEmpty();
    }
    // Restoring the same checkpoint again changes nothing.
    undeploy();
    deploy(two);
    assertThat(keys()).containsExactly("a", "b", "c");
  }

  @Test
  void aCommitThatNeverStartedIsRedoneAndUncommittedBytesAreCut() throws Exception {
    TransactionalFileSink first = deploy(null);
    send("a", 0);
    SinkCommit one = await(first.preCommit(1));
    undeploy();
    deploy(one);
    assertThat(keys()).containsExactly("a");

    // Bytes beyond the last committed length (never published) are cut back.
    Files.writeString(target, Files.readString(target) + "{\"key\":\"ghost\"}\n");
    undeploy();
    deploy(one);
    assertThat(keys()).containsExactly("a");
  }

  @Test
  void aTargetShorterThanItsCommittedLengthWithoutTheStagedFileIsAnError() throws Exception {
    TransactionalFileSink first = deploy(null);
    send("a", 0);
    SinkCommit one = await(first.preCommit(1));
    await(first.commit(one));
    undeploy();
    Files.writeString(target, "");
    TransactionalFileSink sink = new TransactionalFileSink("results", target, staging);
    await(vertx.deployVerticle(sink, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
    assertThatThrownBy(() -> await(sink.recover(one)))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("cannot finish checkpoint 1");
  }

  @Test
  void outputThatCannotBeStagedIsKeptInMemoryAndCommittedOnceTheDirectoryWorksAgain() throws Exception {
    TransactionalFileSink sink = deploy(null);
    send("a", 0);
    // The staging directory disappears under the sink: no new part file can be created.
    Path moved = temp.resolve("moved");
    Files.move(staging, moved);
    Files.writeString(staging, "not a directory");
    send("b", 1);
    send("c", 1);
    assertThatThrownBy(() -> await(sink.preCommit(2)))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("kept in memory");
    await(sink.abort(2));
    Files.delete(staging);
    Files.move(moved, staging);
    send("d", 2);
    SinkCommit three = await(sink.preCommit(3));
    assertThat(three.records()).isEqualTo(4);
    await(sink.commit(three));
    assertThat(keys()).containsExactly("a", "b", "c", "d");
  }
}
