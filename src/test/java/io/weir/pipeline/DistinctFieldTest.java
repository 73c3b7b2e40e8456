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
}
