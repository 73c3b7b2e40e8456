package io.weir.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.weir.event.StreamEvent;
import org.junit.jupiter.api.Test;

class DistinctFieldTest {

  @Test
  void readsAPointerIntoThePayloadOrTheEventsOwnFields() throws Exception {
    Object payload = new ObjectMapper().readTree("{\"user\":{\"id\":42},\"tags\":[1,2]}");
    StreamEvent parsed = new StreamEvent("e1", "page-1", 10, 1.5, 0, 1, payload);
    assertThat(new DistinctField("/user/id").of(parsed)).isEqualTo("42");
    assertThat(new DistinctField("tags").of(parsed)).isEqualTo("[1,2]");
    assertThat(new DistinctField("/missing").of(parsed)).isNull();

    StreamEvent synthetic = new StreamEvent("e2", "key-3", 10, Double.NaN, 0, 1);
    assertThat(new DistinctField("key").of(synthetic)).isEqualTo("key-3");
    assertThat(new DistinctField("id").of(synthetic)).isEqualTo("e2");
    assertThat(new DistinctField("value").of(synthetic)).isNull();
    assertThat(new DistinctField("/user").of(synthetic)).isNull();
  }

  @Test
  void readsTheSameFromARawJsonLinePayloadAsFromItsTree() throws Exception {
    String line = "{\"user\":{\"id\":42},\"tags\":[1,2],\"name\":\"b\\u00e9\"}";
    StreamEvent raw = new StreamEvent("e1", "page-1", 10, 1.5, 0, 1, line);
    StreamEvent tree = new StreamEvent("e1", "page-1", 10, 1.5, 0, 1, new ObjectMapper().readTree(line));
    for (String field : new String[] {"/user/id", "tags", "name", "/missing", "key"}) {
      assertThat(new DistinctField(field).of(raw)).as(field).isEqualTo(new DistinctField(field).of(tree));
    }
    assertThat(new DistinctField("name").of(raw)).isEqualTo("b\u00e9");
  }
}
