package io.weir.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weir.checkpoint.ChannelState;
import io.weir.config.FileSourceConfig;
import io.weir.config.FileSourceConfig.FileFormat;
import io.weir.event.StreamEvent;
import io.weir.pipeline.PipelineRestore;
import io.weir.sink.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where a file source's checkpoint says it stopped (lines and the byte of the next line), and
 * that a source restored from it emits exactly the lines after it: by seeking to the byte, or,
 * for a checkpoint without one, by skipping the lines.
 */
@ExtendWith(VertxExtension.class)
class FileSourceTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "with the byte offset: {0}")
  @ValueSource(booleans = {true, false})
  void aBoundedSourceRestoredMidFileEmitsExactlyTheLinesAfterTheCheckpoint(boolean withByteOffset, Vertx vertx)
      throws Exception {
    String a1 = "{\"key\":\"a\",\"timestamp\":1,\"value\":1}\r\n";
    String a2 = "\r\n"; // blank: counted as a line, not an event
    String a3 = "{\"key\":\"a\",\"timestamp\":3,\"value\":3}\n";
    String a4 = "not json\n";
    String a5 = "{\"key\":\"a\",\"timestamp\":5,\"value\":5}\r\n";
    String a6 = "{\"key\":\"a\",\"timestamp\":6,\"value\":6}"; // the complete file's last line
    Path a = write("a.jsonl", a1 + a2 + a3 + a4 + a5 + a6);
    Path b = write("b.jsonl", jsonl("b", 1) + jsonl("b", 2) + jsonl("b", 3) + jsonl("b", 4) + jsonl("b", 5));
    FileSourceConfig config = config(FileFormat.JSONL, true, a, b);

    // Batches of 2 lines, one of each file per pump; the output takes 4 events and then holds
    // the source. Pump 1: a1 a2 (1 event), b1 b2 (2); pump 2: a3 a4 (1 event, 1 dead letter),
    // b3 b4 (2): 6 >= 4, so no pump 3 reads anything until the checkpoint.
    RecordingOutput first = new RecordingOutput(4);
    FileSource source = new FileSource(config, "p", first, 2, null);
    String deployment = deploy(vertx, source);
    await().atMost(Duration.ofSeconds(10)).until(() -> first.events.size() == 6 && first.deadLetters.size() == 1);
    List<ChannelState> checkpoint = result(source.checkpoint(1));
    result(vertx.undeploy(deployment));

    assertThat(checkpoint).extracting(ChannelState::offset).containsExactly(4L, 4L);
    assertThat(checkpoint)
        .extracting(ChannelState::byteOffset)
        .containsExactly(bytes(a1 + a2 + a3 + a4), 4L * bytes(jsonl("b", 1)));

    RecordingOutput restored = new RecordingOutput(Long.MAX_VALUE);
    List<ChannelState> from = withByteOffset ? checkpoint : withoutByteOffsets(checkpoint);
    deploy(vertx, new FileSource(config, "p", restored, 2, new PipelineRestore(1, from, Long.MIN_VALUE)));
    await().atMost(Duration.ofSeconds(10)).until(() -> restored.ended.size() == 2);

    assertThat(restored.events(0)).containsExactly(event("a", 5, 0, 5), event("a", 6, 0, 6));
    assertThat(restored.events(1)).containsExactly(event("b", 5, 1, 5));
    assertThat(restored.deadLetters).isEmpty();
  }

  @ParameterizedTest(name = "with the byte offset: {0}")
  @ValueSource(booleans = {true, false})
  void aTailedFileResumesAtThePartialLineItHadNotReadYet(boolean withByteOffset, Vertx vertx) throws Exception {
    String l1 = "{\"key\":\"a\",\"timestamp\":1,\"value\":1}\r\n";
    String l2 = "\n";
    String l3 = "{\"key\":\"a\",\"timestamp\":3,\"value\":3}\r\n";
    String partial = "{\"key\":\"a\",\"timestamp\":4,"; // still being written: not a line yet
    Path f = write("tail.jsonl", l1 + l2 + l3 + partial);
    FileSourceConfig config = config(FileFormat.JSONL, false, f);

    RecordingOutput first = new RecordingOutput(Long.MAX_VALUE);
    FileSource source = new FileSource(config, "p", first, 10, null);
    String deployment = deploy(vertx, source);
    await().atMost(Duration.ofSeconds(10)).until(() -> first.events.size() == 2);
    List<ChannelState> checkpoint = result(source.checkpoint(1));
    result(vertx.undeploy(deployment));

    assertThat(checkpoint).extracting(ChannelState::offset).containsExactly(3L);
    assertThat(checkpoint).extracting(ChannelState::byteOffset).containsExactly(bytes(l1 + l2 + l3));

    Files.writeString(f, "\"value\":4}\r\n" + jsonl("a", 5), StandardOpenOption.APPEND);
    RecordingOutput restored = new RecordingOutput(Long.MAX_VALUE);
    List<ChannelState> from = withByteOffset ? checkpoint : withoutByteOffsets(checkpoint);
    FileSource resumed = new FileSource(config, "p", restored, 10, new PipelineRestore(1, from, Long.MIN_VALUE));
    deploy(vertx, resumed);
    await().atMost(Duration.ofSeconds(10)).until(() -> restored.events.size() >= 2);

    assertThat(restored.events).containsExactly(event("a", 4, 0, 4), event("a", 5, 0, 5));
    // Everything was read, and the whole lines only once.
    List<ChannelState> after = result(resumed.checkpoint(2));
    assertThat(after).extracting(ChannelState::offset).containsExactly(5L);
    assertThat(after).extracting(ChannelState::byteOffset).containsExactly(Files.size(f));
  }

  @Test
  void aRestoreAfterARotationContinuesInTheNewFile(Vertx vertx) throws Exception {
    Path f = write("tail.jsonl", jsonl("a", 1) + jsonl("a", 2));
    FileSourceConfig config = config(FileFormat.JSONL, false, f);
    RecordingOutput first = new RecordingOutput(Long.MAX_VALUE);
    FileSource source = new FileSource(config, "p", first, 10, null);
    String deployment = deploy(vertx, source);
    await().atMost(Duration.ofSeconds(10)).until(() -> first.events.size() == 2);
    Files.move(f, dir.resolve("tail.jsonl.1"));
    Files.writeString(f, jsonl("a", 3));
    await().atMost(Duration.ofSeconds(10)).until(() -> first.events.size() == 3);
    List<ChannelState> checkpoint = result(source.checkpoint(1));
    result(vertx.undeploy(deployment));

    // Line numbers go on across the rotation; the byte offset is in the new file.
    assertThat(checkpoint).extracting(ChannelState::offset).containsExactly(3L);
    assertThat(checkpoint).extracting(ChannelState::byteOffset).containsExactly(bytes(jsonl("a", 3)));

    Files.writeString(f, jsonl("a", 4), StandardOpenOption.APPEND);
    RecordingOutput restored = new RecordingOutput(Long.MAX_VALUE);
    FileSource resumed = new FileSource(config, "p", restored, 10, new PipelineRestore(1, checkpoint, Long.MIN_VALUE));
    deploy(vertx, resumed);
    await().atMost(Duration.ofSeconds(10)).until(() -> restored.events.size() >= 1);

    assertThat(restored.events).containsExactly(event("a", 4, 0, 4));
    assertThat(result(resumed.checkpoint(2))).extracting(ChannelState::byteOffset).containsExactly(Files.size(f));
  }

  @Test
  void theRestoreReadsNoneOfTheLinesBeforeTheByteOffset(Vertx vertx) throws Exception {
    String before = jsonl("a", 1) + jsonl("a", 2) + jsonl("a", 3);
    Path f = write("a.jsonl", before + jsonl("a", 4));
    // As bytes, the three lines before the checkpoint are now one line of as many bytes: read,
    // it would be a fourth line and a dead letter, and skipping three lines would skip a4.
    Files.writeString(f, "#".repeat((int) bytes(before) - 1) + "\n" + jsonl("a", 4));
    ChannelState checkpoint = channel(0, 3, bytes(before));

    RecordingOutput restored = new RecordingOutput(Long.MAX_VALUE);
    deploy(vertx, new FileSource(config(FileFormat.JSONL, true, f), "p", restored, 10, restore(checkpoint)));
    await().atMost(Duration.ofSeconds(10)).until(() -> restored.ended.size() == 1);

    assertThat(restored.events).containsExactly(event("a", 4, 0, 4));
    assertThat(restored.deadLetters).isEmpty();
  }

  @ParameterizedTest(name = "with the byte offset: {0}")
  @ValueSource(booleans = {true, false})
  void aRestoredCsvSourceKnowsTheHeaderBeforeTheCheckpoint(boolean withByteOffset, Vertx vertx) throws Exception {
    String l1 = "\n";
    String l2 = "key,ts,v\r\n"; // the header: the first non-blank line
    String l3 = "a,1,1\r\n";
    String l4 = "a,2,2\r\n";
    Path f = write("a.csv", l1 + l2 + l3 + l4 + "b,3,3\r\n" + "b,4,4\n");
    FileSourceConfig config = config(FileFormat.CSV, true, f);

    // Batches of 2; the output takes 1 event. Pump 1: l1 l2 (no event); pump 2: l3 l4 (2).
    RecordingOutput first = new RecordingOutput(1);
    FileSource source = new FileSource(config, "p", first, 2, null);
    String deployment = deploy(vertx, source);
    await().atMost(Duration.ofSeconds(10)).until(() -> first.events.size() == 2);
    List<ChannelState> checkpoint = result(source.checkpoint(1));
    result(vertx.undeploy(deployment));

    assertThat(checkpoint).extracting(ChannelState::offset).containsExactly(4L);
    assertThat(checkpoint).extracting(ChannelState::byteOffset).containsExactly(1L + 10 + 7 + 7);

    RecordingOutput restored = new RecordingOutput(Long.MAX_VALUE);
    List<ChannelState> from = withByteOffset ? checkpoint : withoutByteOffsets(checkpoint);
    deploy(vertx, new FileSource(config, "p", restored, 2, new PipelineRestore(1, from, Long.MIN_VALUE)));
    await().atMost(Duration.ofSeconds(10)).until(() -> restored.ended.size() == 1);

    assertThat(restored.events).containsExactly(event("b", 3, 0, 5), event("b", 4, 0, 6));
    assertThat(restored.deadLetters).isEmpty();
  }

  @Test
  void aCsvHeaderAfterTheByteOffsetIsReadWithTheLinesAfterIt(Vertx vertx) throws Exception {
    // Checkpointed after the two blank lines, before the header was whole.
    Path f = write("a.csv", "\n\nkey,ts,v\na,1,1\n");
    ChannelState checkpoint = channel(0, 2, 2);

    RecordingOutput restored = new RecordingOutput(Long.MAX_VALUE);
    deploy(vertx, new FileSource(config(FileFormat.CSV, true, f), "p", restored, 10, restore(checkpoint)));
    await().atMost(Duration.ofSeconds(10)).until(() -> restored.ended.size() == 1);

    // Line 3 is the header; read twice, it would also be a row with a bad timestamp.
    assertThat(restored.events).containsExactly(event("a", 1, 0, 4));
    assertThat(restored.deadLetters).isEmpty();
  }

  @Test
  void aFileShorterThanTheByteOffsetIsSkippedByLinesAsBefore(Vertx vertx) throws Exception {
    // The checkpoint read 3 lines, 120 bytes; the file was then replaced by a shorter one.
    Path f = write("a.jsonl", "x\n" + "y\n" + "z\n" + jsonl("a", 4) + jsonl("a", 5));
    assertThat(Files.size(f)).isLessThan(120);
    ChannelState checkpoint = channel(0, 3, 120);

    RecordingOutput restored = new RecordingOutput(Long.MAX_VALUE);
    deploy(vertx, new FileSource(config(FileFormat.JSONL, true, f), "p", restored, 10, restore(checkpoint)));
    await().atMost(Duration.ofSeconds(10)).until(() -> restored.ended.size() == 1);

    assertThat(restored.events).containsExactly(event("a", 4, 0, 4), event("a", 5, 0, 5));
  }

  @Test
  void aByteOffsetInsideALineIsNotSeekedTo(Vertx vertx) throws Exception {
    // 12 is inside the second line of this file: it is not the file the checkpoint read.
    Path f = write("a.jsonl", "x\n" + jsonl("a", 2) + jsonl("a", 3));
    ChannelState checkpoint = channel(0, 2, 12);

    RecordingOutput restored = new RecordingOutput(Long.MAX_VALUE);
    deploy(vertx, new FileSource(config(FileFormat.JSONL, true, f), "p", restored, 10, restore(checkpoint)));
    await().atMost(Duration.ofSeconds(10)).until(() -> restored.ended.size() == 1);

    assertThat(restored.events).containsExactly(event("a", 3, 0, 3));
    assertThat(restored.deadLetters).isEmpty();
  }

  private Path write(String name, String text) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  private static String jsonl(String key, long ts) {
    return "{\"key\":\"" + key + "\",\"timestamp\":" + ts + ",\"value\":" + ts + "}\n";
  }

  private static long bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static StreamEvent event(String key, long ts, int partition, long offset) {
    return new StreamEvent(null, key, ts, ts, partition, offset);
  }

  private static FileSourceConfig config(FileFormat format, boolean bounded, Path... files) {
    List<String> paths = new ArrayList<>();
    for (Path f : files) {
      paths.add(f.toString());
    }
    String value = format == FileFormat.CSV ? "v" : "value";
    String timestamp = format == FileFormat.CSV ? "ts" : "timestamp";
    return new FileSourceConfig("files", "unused", format, bounded, "key", timestamp, value, "id", 10, null, paths);
  }

  private static ChannelState channel(int partition, long lines, long byteOffset) {
    return new ChannelState(partition, lines, byteOffset, -1, Long.MIN_VALUE, Long.MIN_VALUE, false, false);
  }

  private static PipelineRestore restore(ChannelState... channels) {
    return new PipelineRestore(1, List.of(channels), Long.MIN_VALUE);
  }

  /** The checkpoint as one written before byte offsets were recorded would have it. */
  private static List<ChannelState> withoutByteOffsets(List<ChannelState> checkpoint) {
    return checkpoint.stream()
        .map(c -> new ChannelState(c.partition(), c.offset(), ChannelState.NO_BYTE_OFFSET, c.position(), c.maxTimestamp(), c.watermark(), c.idle(), c.ended()))
        .toList();
  }

  private static String deploy(Vertx vertx, FileSource source) throws Exception {
    return result(vertx.deployVerticle(source, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
  }

  private static <T> T result(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * The pipeline's input as far as the source sees it: records what it is given, and has room
   * for {@code capacity} events, after which it holds the source (and never wakes it).
   */
  private static final class RecordingOutput implements SourceOutput {
    final List<StreamEvent> events = new CopyOnWriteArrayList<>();
    final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    final Set<Integer> ended = ConcurrentHashMap.newKeySet();
    private final long capacity;

    RecordingOutput(long capacity) {
      this.capacity = capacity;
    }

    List<StreamEvent> events(int partition) {
      return events.stream().filter(e -> e.partition() == partition).toList();
    }

    @Override
    public void emit(int partition, List<StreamEvent> batch) {
      events.addAll(batch);
    }

    @Override
    public void deadLetter(List<DeadLetter> records) {
      deadLetters.addAll(records);
    }

    @Override
    public void endOfStream(int partition) {
      ended.add(partition);
    }

    @Override
    public boolean hasCapacity() {
      return events.size() < capacity;
    }

    @Override
    public long remainingCapacity() {
      return Math.max(0, capacity - events.size());
    }

    @Override
    public void onCapacity(Runnable wake) {
      // Never: the test holds the source where it is.
    }

    @Override
    public void idleCheck(boolean backpressured) {}

    @Override
    public List<ChannelState> barrier(long checkpointId, long[] offsets, long[] byteOffsets, long[] positions) {
      List<ChannelState> states = new ArrayList<>();
      for (int p = 0; p < offsets.length; p++) {
        states.add(new ChannelState(p, offsets[p], byteOffsets[p], positions[p], Long.MIN_VALUE, Long.MIN_VALUE, false, false));
      }
      return states;
    }

    @Override
    public void resumed() {}
  }
}
