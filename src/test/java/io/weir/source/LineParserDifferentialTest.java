package io.weir.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weir.config.FileSourceConfig;
import io.weir.config.FileSourceConfig.FileFormat;
import io.weir.event.StreamEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming path for top-level fields ({@link TopLevelJsonFields}) against the tree path
 * ({@link LineParser#parseTree}) over hand-picked and generated lines: both give the same event
 * (id, key, timestamp, value, partition, offset) or the same failure (reason, detail, payload).
 * The only intended difference: an event's payload is the raw line on the streaming path, a tree
 * on the other.
 */
class LineParserDifferentialTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static FileSourceConfig config(String key, String ts, String value, String id) {
    return new FileSourceConfig("f", "x", FileFormat.JSONL, true, key, ts, value, id, 200, null, List.of("x"));
  }

  private static final List<FileSourceConfig> CONFIGS =
      List.of(
          config("key", "timestamp", "value", "id"),
          config("/key", "/timestamp", "/value", null),
          config("key", "timestamp", "value", "key"),
          config("a/b", "t~s", "value", "id"),
          config("k", "k", "k", "k"));

  private static final String[] HAND_PICKED = {
    "{\"id\":\"e-1\",\"key\":\"key-1\",\"timestamp\":1700000000000,\"value\":12.5}",
    "{\"key\":\"a\",\"timestamp\":\"1970-01-01T00:00:02.500Z\",\"value\":\"4\"}",
    "{\"key\":7,\"timestamp\":\"-5\"}",
    "{\"key\":-0,\"timestamp\":-0,\"value\":-0.0}",
    "{\"key\":true,\"timestamp\":1,\"id\":false}",
    "{\"key\":1.5,\"timestamp\":1}",
    "{\"key\":12345678901234567890123,\"timestamp\":1}",
    "{\"key\":\"a\",\"timestamp\":12345678901234567890123}",
    "{\"key\":\"a\",\"timestamp\":9223372036854775807,\"value\":9223372036854775807}",
    "{\"key\":\"a\",\"timestamp\":1,\"value\":12345678901234567890123}",
    "{\"key\":\"a\",\"timestamp\":1,\"value\":1e400}",
    "{\"key\":\"a\",\"timestamp\":1,\"value\":\"1e400\"}",
    "{\"key\":\"a\",\"timestamp\":1,\"value\":\"NaN\"}",
    "{\"key\":\"a\",\"timestamp\":1,\"value\":\"  \"}",
    "{\"key\":\"a\",\"timestamp\":1,\"value\":\"\"}",
    "{\"key\":\"a\",\"timestamp\":1,\"value\":\" 3.5 \"}",
    "{\"key\":\"a\",\"timestamp\":1,\"value\":true}",
    "{\"key\":\"a\",\"timestamp\":1,\"value\":{\"x\":1}}",
    "{\"key\":\"a\",\"timestamp\":1,\"value\":[1]}",
    "{\"key\":\"a\",\"timestamp\":1,\"value\":null,\"id\":null}",
    "{\"key\":\"a\",\"timestamp\":1,\"id\":{\"x\":1}}",
    "{\"key\":\"a\",\"timestamp\":1,\"id\":[]}",
    "{\"key\":\"a\",\"timestamp\":1,\"id\":2.5}",
    "{\"key\":\"a\",\"timestamp\":\"2024-01-01T00:00:00\"}",
    "{\"key\":\"a\",\"timestamp\":\"2024-01-01T00:00:00.123+02:00\"}",
    "{\"key\":\"a\",\"timestamp\":\" 123 \"}",
    "{\"key\":\"a\",\"timestamp\":\"12-3\"}",
    "{\"key\":\"a\",\"timestamp\":\"\"}",
    "{\"key\":\"a\",\"timestamp\":true}",
    "{\"key\":\"a\",\"timestamp\":null}",
    "{\"key\":\"a\",\"timestamp\":{\"s\":1}}",
    "{\"key\":null,\"timestamp\":1}",
    "{\"key\":{\"a\":1},\"timestamp\":1}",
    "{\"key\":[\"a\"],\"timestamp\":1}",
    "{\"key\":\"a\",\"key\":\"b\",\"timestamp\":1,\"timestamp\":2}",
    "{\"key\":\"a\",\"key\":null,\"timestamp\":1}",
    "{\"key\":null,\"key\":\"b\",\"timestamp\":1}",
    "{\"key\":\"a\",\"timestamp\":\"x\",\"timestamp\":3}",
    "{\"key\":\"a\",\"timestamp\":3,\"timestamp\":\"x\"}",
    "{\"key\":\"a\",\"timestamp\":3,\"value\":\"x\",\"value\":2}",
    "{\"key\":\"a\",\"timestamp\":3,\"value\":2,\"value\":\"x\"}",
    "{\"k\\u0065y\":\"\\u00e9\\ud83d\\ude00\\n\\\"\\\\\",\"timestamp\":1}",
    "{\"key\":\"caf\u00e9 \u65e5\u672c\",\"timestamp\":1}",
    "{\"key\":\"a\\x\",\"timestamp\":1}",
    "{\"key\":\"a\",\"timestamp\":1,\"other\":\"bad \\q escape\"}",
    "{\"key\":\"a\",\"timestamp\":1,\"other\":\"raw \t tab\"}",
    "{\"key\":\"a\",\"timestamp\":1,\"other\":" + "9".repeat(1500) + "}",
    "{\"key\":\"a\",\"timestamp\":1,\"other\":1." + "5".repeat(1500) + "}",
    "{\"key\":\"a\",\"timestamp\":1,\"other\":{\"deep\":[1,{\"x\":[true,null]}]}}",
    "{\"key\":\"a\",\"timestamp\":1,\"other\":{\"deep\":[1,{\"x\":[true,null]}}}",
    "{\"key\":\"a\",\"timestamp\":1}   ",
    "  {\"key\":\"a\",\"timestamp\":1}",
    "{\"key\":\"a\",\"timestamp\":1} trailing",
    "{\"key\":\"a\",\"timestamp\":1}{",
    "{\"key\":\"a\",\"timestamp\":1",
    "{\"key\":\"a\",\"timestamp\":1,}",
    "{\"key\":\"a\" \"timestamp\":1}",
    "{key:\"a\",\"timestamp\":1}",
    "{'key':'a','timestamp':1}",
    "{\"key\":\"a\",\"timestamp\":01}",
    "{\"key\":\"a\",\"timestamp\":1,\"value\":NaN}",
    "{\"key\":\"a\",\"timestamp\":1,\"value\":.5}",
    "{\"key\":\"a\",\"timestamp\":1,\"value\":+5}",
    "{\"key\":\"a\",\"timestamp\":1} // comment",
    "{}",
    "[1,2]",
    "[{\"key\":\"a\",\"timestamp\":1}]",
    "\"key\"",
    "42",
    "null",
    "",
    "   ",
    "not json",
    "{\"a/b\":\"x\",\"t~s\":5,\"value\":1}",
    "{\"a\":{\"b\":\"x\"},\"t\":{\"s\":5}}",
    "{\"k\":\"5\"}",
    "{\"k\":5}",
  };

  @Test
  void handPickedLinesParseTheSameOnBothPaths() {
    for (FileSourceConfig c : CONFIGS) {
      LineParser parser = new LineParser(c);
      for (String line : HAND_PICKED) {
        assertSame(parser, line, c);
      }
    }
  }

  @Test
  void generatedLinesParseTheSameOnBothPaths() {
    Random random = new Random(20261128L);
    int fast = 0;
    int total = 0;
    for (FileSourceConfig c : CONFIGS) {
      LineParser parser = new LineParser(c);
      TopLevelJsonFields streaming = topLevel(c);
      for (int i = 0; i < 20_000; i++) {
        String line = mutate(random, line(random, c), random);
        assertSame(parser, line, c);
        total++;
        if (streaming.read(line, 0, 1) != null) {
          fast++;
        }
      }
    }
    // The generator must exercise the streaming path itself, not only its fallback.
    assertThat(fast).isGreaterThan(total / 5);
  }

  @Test
  void plainLinesTakeTheStreamingPathAndKeepTheRawLine() {
    FileSourceConfig c = CONFIGS.get(0);
    String line = "{\"id\":\"e-0-1\",\"key\":\"key-3\",\"timestamp\":1700000000000,\"value\":41.25}";
    StreamEvent e = topLevel(c).read(line, 2, 9);
    assertThat(e).isEqualTo(new StreamEvent("e-0-1", "key-3", 1_700_000_000_000L, 41.25, 2, 9));
    assertThat(e.payload()).isSameAs(line);
    assertThat(new LineParser(c).parse(line, 2, 9).event().payload()).isSameAs(line);
  }

  @Test
  void nestedPointersKeepTheTreePath() {
    assertThat(TopLevelJsonFields.of(ptr("/user/id"), ptr("/ts"), ptr("/v"), null)).isNull();
    assertThat(TopLevelJsonFields.of(ptr("/k"), ptr("/ts"), ptr("/v"), ptr("/a/b"))).isNull();
    assertThat(TopLevelJsonFields.of(ptr("/k"), ptr("/ts"), ptr("/v"), null)).isNotNull();
  }

  private static com.fasterxml.jackson.core.JsonPointer ptr(String s) {
    return com.fasterxml.jackson.core.JsonPointer.compile(s);
  }

  private static TopLevelJsonFields topLevel(FileSourceConfig c) {
    TopLevelJsonFields t =
        TopLevelJsonFields.of(
            pointer(c.keyField()),
            pointer(c.timestampField()),
            pointer(c.valueField()),
            c.idField() == null ? null : pointer(c.idField()));
    assertThat(t).isNotNull();
    return t;
  }

  private static com.fasterxml.jackson.core.JsonPointer pointer(String field) {
    return ptr(field.startsWith("/") ? field : "/" + field.replace("~", "~0").replace("/", "~1"));
  }

  private static void assertSame(LineParser parser, String line, FileSourceConfig c) {
    ParsedLine fast = parser.parse(line, 1, 7);
    ParsedLine tree = parser.parseTree(line, 1, 7);
    String where = "line " + line + " with key=" + c.keyField() + " ts=" + c.timestampField() + " value=" + c.valueField() + " id=" + c.idField();
    assertThat(fast.failed()).as(where).isEqualTo(tree.failed());
    if (tree.failed()) {
      assertThat(fast.reason()).as(where).isEqualTo(tree.reason());
      assertThat(fast.detail()).as(where).isEqualTo(tree.detail());
      assertThat(fast.payload()).as(where).isEqualTo(tree.payload());
      if (line.chars().allMatch(ch -> ch < 0x80)) {
        byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
        assertThat(parser.parseAscii(bytes, 0, bytes.length, 1, 7)).as(where + " (bytes)").isNull();
      }
      return;
    }
    StreamEvent t = tree.event();
    assertSameEvent(fast.event(), t, line, where);
    if (line.chars().allMatch(ch -> ch < 0x80)) {
      // The byte path, from the middle of a larger buffer as the line reader hands it over.
      byte[] buffer = ("xx\n" + line + "\nyy").getBytes(StandardCharsets.US_ASCII);
      StreamEvent fromBytes = parser.parseAscii(buffer, 3, line.length(), 1, 7);
      if (fromBytes != null) {
        assertSameEvent(fromBytes, t, line, where + " (bytes)");
      }
    }
  }

  private static void assertSameEvent(StreamEvent f, StreamEvent t, String line, String where) {
    assertThat(f).as(where).isEqualTo(t);
    assertThat(f.id()).as(where).isEqualTo(t.id());
    assertThat(Double.doubleToRawLongBits(f.value())).as(where).isEqualTo(Double.doubleToRawLongBits(t.value()));
    if (f.payload() instanceof String raw) {
      assertThat(raw).as(where).isEqualTo(line);
      try {
        assertThat(MAPPER.readTree(raw)).as(where).isEqualTo((JsonNode) t.payload());
      } catch (Exception e) {
        throw new AssertionError(where, e);
      }
    } else {
      assertThat(f.payload()).as(where).isEqualTo(t.payload());
    }
  }

  // --- generator -------------------------------------------------------------------------------

  private static String line(Random r, FileSourceConfig c) {
    List<String> names = new ArrayList<>(List.of(c.keyField(), c.timestampField(), c.valueField()));
    if (c.idField() != null) {
      names.add(c.idField());
    }
    names.replaceAll(n -> n.startsWith("/") ? n.substring(1) : n);
    List<String> members = new ArrayList<>();
    for (String name : names) {
      int copies = r.nextInt(10) == 0 ? 0 : r.nextInt(12) == 0 ? 2 : 1;
      for (int i = 0; i < copies; i++) {
        members.add(quote(name) + ":" + fieldValue(r, name, c));
      }
    }
    int extras = r.nextInt(4);
    for (int i = 0; i < extras; i++) {
      members.add(quote(pick(r, "other", "payload", "k e y", "\u00fcber", "n" + r.nextInt(5))) + ":" + anyValue(r, 3));
    }
    java.util.Collections.shuffle(members, r);
    String sep = r.nextInt(4) == 0 ? " , " : ",";
    String colonSpaced = String.join(sep, members);
    return (r.nextInt(5) == 0 ? " { " : "{") + colonSpaced + (r.nextInt(5) == 0 ? " } " : "}");
  }

  private static String fieldValue(Random r, String name, FileSourceConfig c) {
    if (r.nextInt(6) == 0) {
      return anyValue(r, 2);
    }
    String ts = c.timestampField().replace("/", "");
    String value = c.valueField().replace("/", "");
    if (name.equals(ts)) {
      return pick(
          r,
          Long.toString(1_700_000_000_000L + r.nextInt(1_000_000)),
          Long.toString(-r.nextInt(1000)),
          "\"" + (1_700_000_000_000L + r.nextInt(1000)) + "\"",
          "\"2026-11-28T16:58:0" + r.nextInt(10) + "." + r.nextInt(1000) + "Z\"",
          "\"2026-11-28T16:58:00+05:30\"",
          "\" 17 \"",
          "\"2026-11-28\"",
          "1.5e3",
          "9223372036854775808");
    }
    if (name.equals(value)) {
      return pick(
          r,
          Integer.toString(r.nextInt(100)),
          String.format(java.util.Locale.ROOT, "%.2f", r.nextDouble() * 100),
          "\"" + r.nextInt(100) + "\"",
          "\" " + r.nextDouble() + " \"",
          "1.0E-5",
          Double.toString(Double.longBitsToDouble(r.nextLong())).replace("Infinity", "1e999").replace("NaN", "0.1"),
          new java.math.BigDecimal(r.nextDouble()).toPlainString(),
          r.nextInt(1000) + "." + r.nextInt(1000) + "e" + (r.nextInt(600) - 300),
          "-0.0",
          "1e308",
          "\"abc\"",
          "\"\"",
          "null");
    }
    return pick(
        r,
        quote("key-" + r.nextInt(10_000)),
        quote("e-" + r.nextInt(2) + "-" + r.nextInt(1_000_000)),
        Integer.toString(r.nextInt(1000) - 500),
        quote("\u00e9t\u00e9 \ud83d\ude00"),
        "\"esc\\\"aped\\\\ \\u0041\\t\"",
        "true",
        "null");
  }

  private static String anyValue(Random r, int depth) {
    int kind = r.nextInt(depth > 0 ? 12 : 9);
    return switch (kind) {
      case 0 -> "null";
      case 1 -> r.nextBoolean() ? "true" : "false";
      case 2 -> Long.toString(r.nextLong());
      case 3 -> Double.toString(r.nextGaussian() * 1e6);
      case 4 -> "12345678901234567890123456789";
      case 5 -> quote(randomText(r));
      case 6 -> "\"\\u00e9\\n\\/\\b\"";
      case 7 -> "-0";
      case 8 -> "1E+2";
      case 9 -> "{" + quote("x") + ":" + anyValue(r, depth - 1) + "," + quote("y") + ":" + anyValue(r, depth - 1) + "}";
      case 10 -> "[" + anyValue(r, depth - 1) + "," + anyValue(r, depth - 1) + "]";
      default -> "{}";
    };
  }

  private static String randomText(Random r) {
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(8);
    for (int i = 0; i < n; i++) {
      b.append(pick(r, "a", "Z", "0", " ", "\u00e9", "\u65e5", "\ud83d\ude00", "-", ":"));
    }
    return b.toString();
  }

  /** Leaves most lines intact; breaks the rest in ways a real file could be broken. */
  private static String mutate(Random r, String line, Random rr) {
    int kind = r.nextInt(10);
    if (kind >= 6 || line.isEmpty()) {
      return line;
    }
    int at = r.nextInt(line.length());
    return switch (kind) {
      case 0 -> line.substring(0, at);
      case 1 -> line.substring(0, at) + line.substring(at + 1);
      case 2 -> line.substring(0, at) + pick(rr, "\"", "{", "}", ",", ":", "\\", "x", "]", " ", "\u0001") + line.substring(at);
      case 3 -> line + pick(rr, " x", "}", "{", " {\"key\":1}", "\t");
      case 4 -> "[" + line + "]";
      default -> line.replace(":", pick(rr, " : ", ":", "::"));
    };
  }

  private static String quote(String s) {
    try {
      return MAPPER.writeValueAsString(s);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... options) {
    return options[r.nextInt(options.length)];
  }
}
