package io.weir.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * File-system steps that make snapshots, checkpoints and staged output durable, and scratch
 * directories go away: the one place they are written. Blocking: worker threads only.
 */
public final class Durability {
  private Durability() {}

  /** Fsyncs a file or a directory (its entries). */
  public static void fsync(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Fsyncs every file under {@code root}, then every directory, deepest first. */
  public static void fsyncTree(Path root) throws IOException {
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
  public static void deleteTree(Path root) throws IOException {
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

  /**
   * Fsyncs a directory's entries where the file system allows it: not every one lets a directory
   * be opened for sync, and there the files themselves are synced by their writers.
   */
  public static void fsyncDirectoryIfSupported(Path dir) {
    try {
      fsync(dir);
    } catch (IOException e) {
      // not supported here
    }
  }

  /** {@link #fsyncDirectoryIfSupported} for {@code root} and every directory under it. */
  public static void fsyncDirectoriesIfSupported(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isDirectory).toList()) {
        fsyncDirectoryIfSupported(p);
      }
    }
  }
}
