package io.weir.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineReaderTest {
  @TempDir Path dir;

  @Test
  void aGrowingFileYieldsOnlyWholeLinesAndResumesWhereItStopped() throws Exception {
    Path f = dir.resolve("a.jsonl");
    Files.writeString(f, "one\ntwo\r\nthr");
    try (LineReader r = new LineReader(f)) {
      List<String> out = new ArrayList<>();
      assertThat(r.readLines(10, out, false)).isFalse();
      assertThat(out).containsExactly("one", "two");
      Files.writeString(f, "ee\nfour\n", StandardOpenOption.APPEND);
      out.clear();
      r.readLines(10, out, false);
      assertThat(out).containsExactly("three", "four");
    }
  }

  @Test
  void atMostMaxLinesAndTheRestNextTime() throws Exception {
    Path f = dir.resolve("b.jsonl");
    Files.writeString(f, "1\n2\n3\n4\n5");
    try (LineReader r = new LineReader(f)) {
      List<String> out = new ArrayList<>();
      assertThat(r.readLines(2, out, true)).isTrue();
      assertThat(out).containsExactly("1", "2");
      r.readLines(2, out, true);
      r.readLines(2, out, true);
      // A complete file's last line counts even without a newline.
      assertThat(out).containsExactly("1", "2", "3", "4", "5");
      assertThat(r.readLines(2, out, true)).isFalse();
    }
  }

  @Test
  void detectsRotationAndTruncation() throws Exception {
    Path f = dir.resolve("c.jsonl");
    Files.writeString(f, "1\n2\n");
    try (LineReader r = new LineReader(f)) {
      r.readLines(10, new ArrayList<>(), false);
      assertThat(r.replaced()).isFalse();
      Files.writeString(f, "x\n"); // truncated below what was read
      assertThat(r.replaced()).isTrue();
    }
    try (LineReader r = new LineReader(f)) {
      Files.move(f, dir.resolve("c.jsonl.1"));
      Files.writeString(f, "new\n"); // rotated: another file has the name
      assertThat(r.replaced()).isTrue();
    }
  }

  @Test
  void bytesSayWhetherEachLineIsAscii() throws Exception {
    Path f = dir.resolve("d.jsonl");
    Files.writeString(f, "plain\r\ncaf\u00e9\n\nlast \u65e5", java.nio.charset.StandardCharsets.UTF_8);
    try (LineReader r = new LineReader(f)) {
      List<String> lines = new ArrayList<>();
      List<Boolean> ascii = new ArrayList<>();
      assertThat(
              r.readLines(
                  10,
                  (bytes, start, length, isAscii) -> {
                    lines.add(new String(bytes, start, length, java.nio.charset.StandardCharsets.UTF_8));
                    ascii.add(isAscii);
                  },
                  true))
          .isFalse();
      assertThat(lines).containsExactly("plain", "caf\u00e9", "", "last \u65e5");
      assertThat(ascii).containsExactly(true, false, true, false);
    }
  }

  @Test
  void linesLongerThanTheBufferAndLinesAcrossReadsComeWhole() throws Exception {
    Path f = dir.resolve("e.jsonl");
    StringBuilder text = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      // Lengths from 0 to ~200 KB, so lines straddle reads and some exceed the 64 KB buffer.
      String line = i % 1_000 == 999 ? "x".repeat(200_000 + i) : "line-" + i + "-" + "y".repeat(i % 97);
      expected.add(line);
      text.append(line).append(i % 3 == 0 ? "\r\n" : "\n");
    }
    Files.writeString(f, text);
    try (LineReader r = new LineReader(f)) {
      List<String> out = new ArrayList<>();
      while (r.readLines(7, out, true)) {
        // batches of 7
      }
      assertThat(out).isEqualTo(expected);
    }
  }
  @Test
  void positionIsTheStartOfTheNextLineAfterCrlfAndBlankLines() throws Exception {
    Path f = dir.resolve("f.jsonl");
    Files.writeString(f, "a\r\n\r\n\nbb\nc");
    try (LineReader r = new LineReader(f)) {
      assertThat(r.position()).isZero();
      List<String> out = new ArrayList<>();
      List<Long> positions = new ArrayList<>();
      while (r.readLines(1, out, true)) {
        positions.add(r.position());
      }
      positions.add(r.position());
      assertThat(out).containsExactly("a", "", "", "bb", "c");
      // "a\r\n" ends at 3, "\r\n" at 5, "\n" at 6, "bb\n" at 9; the complete file's last
      // line "c" has no newline and ends the file at 10.
      assertThat(positions).containsExactly(3L, 5L, 6L, 9L, 10L);
    }
  }

  @Test
  void aPartialLastLineOfAGrowingFileIsNotPassed() throws Exception {
    Path f = dir.resolve("g.jsonl");
    Files.writeString(f, "one\ntw");
    try (LineReader r = new LineReader(f)) {
      List<String> out = new ArrayList<>();
      r.readLines(10, out, false);
      assertThat(out).containsExactly("one");
      assertThat(r.position()).isEqualTo(4); // "one\n"; "tw" is not a line yet
      Files.writeString(f, "o\r", StandardOpenOption.APPEND);
      r.readLines(10, out, false);
      assertThat(out).containsExactly("one"); // a CR alone does not end a line
      assertThat(r.position()).isEqualTo(4);
      Files.writeString(f, "\n", StandardOpenOption.APPEND);
      r.readLines(10, out, false);
      assertThat(out).containsExactly("one", "two");
      assertThat(r.position()).isEqualTo(4 + 5); // "two\r\n"
    }
  }

  @Test
  void linesStartAtTheStartAfterANewlineAndAtTheEndOnly() throws Exception {
    Path f = dir.resolve("h.jsonl");
    Files.writeString(f, "ab\r\ncd");
    try (LineReader r = new LineReader(f)) {
      // bytes: a=0 b=1 CR=2 LF=3 c=4 d=5, size 6
      assertThat(r.startsLine(0)).isTrue();
      assertThat(r.startsLine(1)).isFalse();
      assertThat(r.startsLine(3)).isFalse(); // between CR and LF
      assertThat(r.startsLine(4)).isTrue();
      assertThat(r.startsLine(5)).isFalse();
      assertThat(r.startsLine(6)).isTrue(); // after a complete file's last line
      assertThat(r.startsLine(7)).isFalse(); // past the end: a shorter file than the one read
      assertThat(r.startsLine(-1)).isFalse();
    }
  }

  @Test
  void seekDropsWhatWasBufferedAndGoesOnFromThatByte() throws Exception {
    Path f = dir.resolve("i.jsonl");
    Files.writeString(f, "1\n22\n333\n4444\n");
    try (LineReader r = new LineReader(f)) {
      List<String> out = new ArrayList<>();
      r.readLines(1, out, true); // buffers the whole file, hands out "1"
      r.seek(5); // "1\n22\n" is 5 bytes
      assertThat(r.position()).isEqualTo(5);
      out.clear();
      r.readLines(10, out, true);
      assertThat(out).containsExactly("333", "4444");
      assertThat(r.position()).isEqualTo(5 + 4 + 5);
    }
  }

  @Test
  void aReaderSeekedToAnyPositionAReaderReportedReadsExactlyTheLinesAfterIt() throws Exception {
    Path f = dir.resolve("j.jsonl");
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    StringBuilder text = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      // Blank lines, CRLF and LF, non-ASCII, and now and then a line longer than the buffer.
      String line =
          switch (random.nextInt(6)) {
            case 0 -> "";
            case 1 -> "caf\u00e9-" + i;
            case 2 -> i % 500 == 2 ? "z".repeat(70_000 + i) : "line-" + i;
            default -> "{\"n\":" + i + "}";
          };
      expected.add(line);
      text.append(line).append(random.nextBoolean() ? "\r\n" : "\n");
    }
    text.append("tail"); // no newline: a line only when the file is complete
    Files.writeString(f, text, java.nio.charset.StandardCharsets.UTF_8);
    List<Integer> counts = new ArrayList<>();
    List<Long> positions = new ArrayList<>();
    try (LineReader r = new LineReader(f)) {
      List<String> out = new ArrayList<>();
      boolean more = true;
      while (more) {
        more = r.readLines(1 + random.nextInt(40), out, false);
        counts.add(out.size());
        positions.add(r.position());
        assertThat(r.startsLine(r.position())).isTrue();
      }
      assertThat(out).isEqualTo(expected);
    }
    long tailStart = Files.size(f) - "tail".length();
    assertThat(positions.get(positions.size() - 1)).isEqualTo(tailStart);
    expected.add("tail");
    for (int i = 0; i < counts.size(); i++) {
      try (LineReader r = new LineReader(f)) {
        r.seek(positions.get(i));
        List<String> rest = new ArrayList<>();
        while (r.readLines(100, rest, true)) {
          // all of it
        }
        assertThat(rest).isEqualTo(expected.subList(counts.get(i), expected.size()));
      }
    }
  }
}
