package io.weir.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A source partition's resume point in {@code _metadata}: the byte offset and old checkpoints. */
class ChannelStateJsonTest {
  @TempDir Path dir;

  @Test
  void theByteOffsetIsPublishedNextToTheLineOffsetAndReadBack() throws Exception {
    CheckpointStorage storage = new CheckpointStorage(dir);
    storage.begin(3);
    ChannelState file = new ChannelState(0, 51_234, 4_811_000, -1, 1_000, 900, false, false);
    ChannelState mock = new ChannelState(1, 7, ChannelState.NO_BYTE_OFFSET, 1, 1_100, 950, false, false);
    storage.publish(metadata(3, List.of(file, mock)));

    com.fasterxml.jackson.databind.JsonNode json =
        CheckpointStorage.JSON.readTree(storage.directory(3).resolve(CheckpointStorage.METADATA).toFile());
    assertThat(json.at("/pipelines/p/channels/0/offset").asLong()).isEqualTo(51_234);
    assertThat(json.at("/pipelines/p/channels/0/byteOffset").asLong()).isEqualTo(4_811_000);
    assertThat(json.at("/pipelines/p/channels/1/byteOffset").asLong()).isEqualTo(-1);
    assertThat(storage.read(3).pipelines().get("p").channels()).containsExactly(file, mock);
  }

  @Test
  void aCheckpointWrittenBeforeByteOffsetsHasNoneNotByteZero() throws Exception {
    // A channel as checkpoints had it before byteOffset was recorded.
    Path chk = Files.createDirectories(dir.resolve("chk-5"));
    Files.writeString(
        chk.resolve(CheckpointStorage.METADATA),
        """
        {"version": 1, "id": 5, "createdAtMs": 1795889416935,
         "pipelines": {"p": {"source": "history",
           "channels": [{"partition": 0, "offset": 4420, "position": -1, "maxTimestamp": 1795889416192,
                         "watermark": 1795889414191, "idle": false, "ended": false}],
           "parallelism": 2, "keyGroups": 128, "window": "w", "aggregations": ["count"], "state": "p",
           "watermark": 1795889414191, "stateKeys": 1, "stateBytes": 10}},
         "sinks": {}, "phasesMs": {}, "sources": {}}
        """);

    ChannelState c = new CheckpointStorage(dir).read(5).pipelines().get("p").channels().get(0);

    assertThat(c).isEqualTo(new ChannelState(0, 4420, ChannelState.NO_BYTE_OFFSET, -1, 1795889416192L, 1795889414191L, false, false));
  }

  @Test
  void aByteOffsetBelowMinusOneIsRejected() {
    assertThatThrownBy(() -> new ChannelState(0, 1, -2, -1, 0, 0, false, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("byteOffset (-2) of partition 0");
  }

  private static CheckpointMetadata metadata(long id, List<ChannelState> channels) {
    PipelineCheckpoint p = new PipelineCheckpoint("history", channels, 2, KeyGroups.COUNT, "w", List.of("count"), "p", 900, 1, 10);
    return new CheckpointMetadata(CheckpointMetadata.VERSION, id, 0, Map.of("p", p), Map.of(), Map.of(), Map.of());
  }
}
