package io.weir.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.config.AggregationKind;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

  @Test
  void windowResultHasTheDesignFormatWithTheConfiguredAggregationsInOrder() {
    WindowResult r =
        new WindowResult(
            "clicks-per-minute", "user-42", "tumbling", 1_700_000_040_000L, 1_700_000_100_000L,
            3, 37.5, 2.5, 20.0, 12.5, 2.5, 15.0, WindowResult.NO_QUANTILES, Double.NaN, List.of(AggregationKind.COUNT, AggregationKind.SUM, AggregationKind.MIN, AggregationKind.MAX, AggregationKind.AVG), false, 0, "on_time", true, 1_700_000_100_001L);
    assertThat(RecordJson.toJson(r))
        .isEqualTo(
            "{\"pipeline\":\"clicks-per-minute\",\"key\":\"user-42\",\"window_type\":\"tumbling\","
                + "\"window_start\":1700000040000,\"window_end\":1700000100000,"
                + "\"count\":3,\"sum\":37.5,\"min\":2.5,\"max\":20.0,\"avg\":12.5,"
                + "\"is_update\":false,\"pane_index\":0,\"timing\":\"on_time\",\"is_final\":true,"
                + "\"watermark\":1700000100001}");
  }

  @Test
  void firstAndLastAreWrittenWhenConfigured() {
    WindowResult r =
        new WindowResult("p", "k", "tumbling", 0, 10, 2, 3.0, 1.0, 2.0, 1.5, 2.0, 1.0, new double[] {1.5, 2.0, 2.0}, 2,
            List.of(AggregationKind.FIRST, AggregationKind.LAST, AggregationKind.P50, AggregationKind.P99, AggregationKind.DISTINCT_COUNT), false, 0, "on_time", true, 9);
    assertThat(RecordJson.toJson(r)).contains("\"first\":2.0,\"last\":1.0,\"p50\":1.5,\"p99\":2.0,\"distinct_count\":2,");
  }

  @Test
  void onlyConfiguredAggregationsAreWritten() {
    WindowResult r =
        new WindowResult("p", "k", "sliding", 0, 10, 2, 3.0, 1.0, 2.0, 1.5, 1.0, 2.0, WindowResult.NO_QUANTILES, Double.NaN,
            List.of(AggregationKind.MAX, AggregationKind.COUNT), true, 1, "late", false, 9);
    assertThat(RecordJson.toJson(r))
        .isEqualTo(
            "{\"pipeline\":\"p\",\"key\":\"k\",\"window_type\":\"sliding\",\"window_start\":0,"
                + "\"window_end\":10,\"max\":2.0,\"count\":2,\"is_update\":true,\"pane_index\":1,"
                + "\"timing\":\"late\",\"is_final\":false,\"watermark\":9}");
  }

  @Test
  void lateDeadLetterCarriesTheLedgerFields() {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("id", "e-9");
    payload.put("key", "user-7");
    DeadLetter d =
        new DeadLetter("late", "too late", payload, "history", 0, 9, "p1",
            new DeadLetter.Lateness(1_000, 70_000, 60_000, 10_001));
    assertThat(RecordJson.toJson(d))
        .isEqualTo(
            "{\"reason\":\"late\",\"detail\":\"too late\",\"payload\":{\"id\":\"e-9\",\"key\":\"user-7\"},"
                + "\"source\":\"history\",\"partition\":0,\"offset\":9,\"pipeline\":\"p1\","
                + "\"event_time\":1000,\"watermark\":70000,\"window_end\":60000,\"late_by_ms\":10001}");
  }

  @Test
  void writeLinesPutsOneRecordPerLine() throws Exception {
    WindowResult r = new WindowResult("p", "k", "tumbling", 0, 10, 1, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, WindowResult.NO_QUANTILES, Double.NaN,
        List.of(AggregationKind.COUNT), false, 0, "on_time", true, 9);
    StringWriter out = new StringWriter();
    RecordJson.writeLines(List.of(r, r), out);
    String line = RecordJson.toJson(r);
    assertThat(out.toString()).isEqualTo(line + "\n" + line + "\n");
  }
}
