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
}
