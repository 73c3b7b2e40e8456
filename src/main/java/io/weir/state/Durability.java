package io.weir.state.rocksdb;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File-system steps that make snapshots durable and scratch directories go away. Blocking. */
final class Durability {
  private Durability() {}

  /** Fsyncs a file or a directory (its entries). */
  static void fsync(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Fsyncs every file under {@code root}, then every directory, deepest first. */
  static void fsyncTree(Path root) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
    }
    for (Path p : paths) {
      if (Files.isRegularFile(p)) {
        fsync(p);
      }
    }
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        fsync(p);
      }
    }
  }

  /** Deletes {@code root} and everything under it; absent is fine. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : paths) {
      Files.deleteIfExists(p);
    }
  }
}
