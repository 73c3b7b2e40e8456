package io.weir.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The byte scanner's numbers are exactly those of Double.parseDouble and Long.parseLong. */
class FlatScannerTest {
  private final TopLevelJsonFields.FlatScanner scanner =
      TopLevelJsonFields.FlatScanner.of("key", "timestamp", "value", "id");

  private double valueOf(String number) {
    byte[] line = ("{\"key\":\"k\",\"timestamp\":5,\"value\":" + number + "}").getBytes(StandardCharsets.US_ASCII);
    assertThat(scanner.scan(line, 0, line.length)).as(number).isTrue();
    return scanner.value;
  }

  @Test
  void decimalsAreParsedExactlyAsDoubleParseDouble() {
    SplittableRandom r = new SplittableRandom(99);
    for (int i = 0; i < 200_000; i++) {
      int digits = 1 + r.nextInt(17);
      StringBuilder sb = new StringBuilder(r.nextBoolean() ? "-" : "");
      int point = r.nextInt(digits);
      for (int d = 0; d < digits; d++) {
        sb.append(d == 0 && point > 0 ? (char) ('1' + r.nextInt(9)) : (char) ('0' + r.nextInt(10)));
        if (d == point) {
          sb.append('.');
        }
      }
      if (sb.charAt(sb.length() - 1) == '.') {
        sb.append('0');
      }
      if (r.nextInt(10) == 0) {
        sb.append('e').append(r.nextInt(-30, 30));
      }
      String n = sb.toString();
      assertThat(Double.doubleToRawLongBits(valueOf(n))).as(n).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(n)));
    }
    for (String n : List.of("0.0", "-0.0", "0.1", "0.30000000000000004", "123456789012345.6", "999999999999999.9", "1.7976931348623157e308")) {
      assertThat(Double.doubleToRawLongBits(valueOf(n))).as(n).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(n)));
    }
  }

  @Test
  void integersAndTheirLimits() {
    assertThat(valueOf("9007199254740993")).isEqualTo((double) 9007199254740993L);
    assertThat(valueOf("-9223372036854775808")).isEqualTo((double) Long.MIN_VALUE);
    byte[] tooBig = "{\"key\":\"k\",\"timestamp\":9223372036854775808,\"value\":1}".getBytes(StandardCharsets.US_ASCII);
    assertThat(scanner.scan(tooBig, 0, tooBig.length)).as("beyond a long: Jackson decides").isFalse();
  }

  @Test
  void anythingUnusualIsLeftToJackson() {
    for (String line :
        List.of(
            "{\"key\":\"a\\\"b\",\"timestamp\":1}",
            "{\"key\":\"a\",\"timestamp\":1,\"x\":{\"y\":1}}",
            "{\"key\":\"a\",\"timestamp\":\"2026-01-01T00:00:00Z\"}",
            "{\"key\":\"a\",\"timestamp\":01}",
            "{\"key\":\"a\",\"timestamp\":1,}",
            "{\"key\":\"a\",\"timestamp\":1",
            "{\"key\":\"a\",\"timestamp\":1,\"v\":tru}",
            "{\"key\":\"a\",\"timestamp\":1.5}",
            "[1]",
            "{}")) {
      byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
      assertThat(scanner.scan(bytes, 0, bytes.length)).as(line).isFalse();
    }
    byte[] ok = "{ \"id\" : 7 , \"key\":\"a\",\"timestamp\":-0,\"value\":null,\"flag\":true} trailing".getBytes(StandardCharsets.US_ASCII);
    assertThat(scanner.scan(ok, 0, ok.length)).isTrue();
    assertThat(scanner.id).isEqualTo("7");
    assertThat(scanner.timestamp).isZero();
    assertThat(scanner.value).isNaN();
  }
}
