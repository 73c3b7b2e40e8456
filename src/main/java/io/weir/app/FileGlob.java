package io.weir.app;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Expands a file path that may be a glob ({@code data/in/*.jsonl}, {@code logs/**}{@code /*.csv}). */
final class FileGlob {
  private FileGlob() {}

  /** The regular files matching {@code pattern}, sorted by path; a plain path matches itself. */
  static List<String> match(String pattern) throws IOException {
    if (!isGlob(pattern)) {
      Path p = Path.of(pattern);
      return Files.isRegularFile(p) ? List.of(p.toString()) : List.of();
    }
    Path full = Path.of(pattern);
    Path base = Path.of("");
    int depth = 0;
    boolean inGlob = false;
    for (Path segment : full) {
      if (inGlob || isGlob(segment.toString())) {
        inGlob = true;
        depth++;
      } else {
        base = base.resolve(segment);
      }
    }
    if (full.isAbsolute()) {
      base = full.getRoot().resolve(base);
    }
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    int maxDepth = pattern.contains("**") ? Integer.MAX_VALUE : depth;
    List<String> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(base, maxDepth)) {
      walk.filter(Files::isRegularFile)
          .filter(matcher::matches)
          .map(Path::toString)
          .sorted()
          .forEach(out::add);
    }
    return out;
  }

  private static boolean isGlob(String s) {
    return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }
}
