package io.weir.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.config.FileSourceConfig;
import io.weir.config.FileSourceConfig.FileFormat;
import io.weir.event.StreamEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineParserTest {

  private static FileSourceConfig config(FileFormat format, String key, String ts, String value) {
    return new FileSourceConfig("f", "x", format, true, key, ts, value, "id", 200, null, List.of("x"));
  }

  private static final LineParser JSONL = new LineParser(config(FileFormat.JSONL, "key", "timestamp", "value"));

  @Test
  void parsesTheDesignEventFormat() {
    ParsedLine p =
        JSONL.parse("{\"id\": \"e-17\", \"key\": \"user-42\", \"timestamp\": 1700000000123, \"value\": 12.5}", 3, 17);
    assertThat(p.event()).isEqualTo(new StreamEvent("e-17", "user-42", 1_700_000_000_123L, 12.5, 3, 17));
  }

  @Test
  void acceptsIsoTimestampsAndNumericStrings() {
    assertThat(JSONL.parse("{\"key\":\"a\",\"timestamp\":\"1970-01-01T00:00:02.500Z\",\"value\":\"4\"}", 0, 1).event())
        .isEqualTo(new StreamEvent(null, "a", 2_500, 4.0, 0, 1));
    assertThat(JSONL.parse("{\"key\":7,\"timestamp\":\"-5\"}", 0, 2).event())
        .isEqualTo(new StreamEvent(null, "7", -5, Double.NaN, 0, 2));
  }

  @Test
  void nestedFieldsByJsonPointer() {
    LineParser nested = new LineParser(config(FileFormat.JSONL, "/user/id", "/meta/ts", "/payload/amount"));
    ParsedLine p = nested.parse("{\"user\":{\"id\":\"u1\"},\"meta\":{\"ts\":10},\"payload\":{\"amount\":2.25}}", 0, 1);
    assertThat(p.event()).isEqualTo(new StreamEvent(null, "u1", 10, 2.25, 0, 1));
  }

  @Test
  void malformedLinesSayWhy() {
    assertThat(JSONL.parse("not json", 0, 1).reason()).isEqualTo("invalid_json");
    assertThat(JSONL.parse("[1,2]", 0, 1).reason()).isEqualTo("invalid_json");
    assertThat(JSONL.parse("{\"timestamp\":1}", 0, 1).reason()).isEqualTo("missing_key");
    assertThat(JSONL.parse("{\"key\":\"a\"}", 0, 1).reason()).isEqualTo("missing_timestamp");
    assertThat(JSONL.parse("{\"key\":\"a\",\"timestamp\":\"yesterday\"}", 0, 1).reason()).isEqualTo("invalid_timestamp");
    assertThat(JSONL.parse("{\"key\":\"a\",\"timestamp\":1,\"value\":\"lots\"}", 0, 1).reason()).isEqualTo("invalid_value");
    ParsedLine bad = JSONL.parse("{\"key\":\"a\",\"timestamp\":1.5}", 0, 1);
    assertThat(bad.reason()).isEqualTo("invalid_timestamp");
    assertThat(bad.payload()).isNotNull();
  }

  @Test
  void numbersBeyondJacksonsLengthLimitAreInvalidJsonNotACrash() {
    // Jackson refuses numbers longer than 1,000 digits with an exception that has no location.
    String digits = "9".repeat(1500);
    assertThat(JSONL.parse("{\"key\":\"a\",\"timestamp\":1,\"other\":" + digits + "}", 0, 1).reason())
        .isEqualTo("invalid_json");
    assertThat(JSONL.parse("{\"key\":\"a\",\"timestamp\":1,\"other\":1." + digits + "}", 0, 1).reason())
        .isEqualTo("invalid_json");
  }

  @Test
  void csvUsesTheHeaderAndQuotedFields() {
    LineParser csv = new LineParser(config(FileFormat.CSV, "user", "ts", "amount"));
    assertThat(csv.consumeHeader("user,ts,amount,note")).isTrue();
    assertThat(csv.consumeHeader("u1,1,2,x")).isFalse();
    assertThat(csv.parse("\"Smith, J\",1000,3.5,\"said \"\"hi\"\"\"", 0, 2).event())
        .isEqualTo(new StreamEvent(null, "Smith, J", 1_000, 3.5, 0, 2));
    assertThat(csv.parse("u1,1000", 0, 3).reason()).isEqualTo("invalid_csv");
    assertThat(LineParser.Csv.split("a,\"b,c\",,d")).containsExactly("a", "b,c", "", "d");
  }
}
