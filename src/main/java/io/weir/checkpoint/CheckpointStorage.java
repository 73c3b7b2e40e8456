package io.weir.checkpoint;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.weir.state.Durability;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint directory ({@code state.checkpoint_dir}): {@code chk-<n>/_metadata} plus each
 * pipeline's state snapshot under {@code chk-<n>/<pipeline>/}, and the staging areas of
 * transactional sinks under {@code sinks/<sink>/}. Publishing is atomic: the metadata is written
 * to a temporary file, fsynced, renamed into place and the directory fsynced; a {@code chk-<n>}
 * without {@code _metadata} was never published. Every method blocks: call it from a worker.
 */
public final class CheckpointStorage {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStorage.class);
  public static final String METADATA = "_metadata";
  private static final String PREFIX = "chk-";
  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path root;

  public CheckpointStorage(Path root) {
    this.root = root.toAbsolutePath();
  }

  public Path root() {
    return root;
  }

  /** The directory of checkpoint {@code id} (published or not). */
  public Path directory(long id) {
    return root.resolve(PREFIX + id);
  }

  /** Where transactional sink {@code sinkId} stages its output. */
  public Path sinkStaging(String sinkId) {
    return root.resolve("sinks").resolve(sinkId);
  }

  /** Creates the directory of an attempt at checkpoint {@code id}. */
  public Path begin(long id) throws IOException {
    Files.createDirectories(root);
    Path dir = directory(id);
    if (Files.exists(dir)) {
      Durability.deleteTree(dir);
    }
    return Files.createDirectory(dir);
  }

  /**
   * Atomically publishes {@code metadata}: from now on it is the checkpoint to restore. Returns
   * the size of the metadata file.
   */
  public long publish(CheckpointMetadata metadata) throws IOException {
    Path dir = directory(metadata.id());
    Path tmp = dir.resolve(METADATA + ".tmp");
    byte[] bytes = JSON.writeValueAsBytes(metadata);
    try (FileChannel ch =
        FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes));
      ch.force(true);
    }
    // Everything the metadata names is already durable: state snapshots and sink pre-commits
    // fsync their files before they complete.
    Durability.fsyncDirectoriesIfSupported(dir);
    Files.move(tmp, dir.resolve(METADATA), StandardCopyOption.ATOMIC_MOVE);
    Durability.fsyncDirectoryIfSupported(dir);
    Durability.fsyncDirectoryIfSupported(root);
    return bytes.length;
  }

  /** Every published checkpoint id, oldest first. */
  public List<Long> published() throws IOException {
    List<Long> ids = new ArrayList<>();
    for (Path dir : checkpointDirs()) {
      if (Files.exists(dir.resolve(METADATA))) {
        ids.add(idOf(dir));
      }
    }
    ids.sort(Comparator.naturalOrder());
    return ids;
  }

  /** The newest published checkpoint that can be read, if any. */
  public Optional<CheckpointMetadata> latest() throws IOException {
    List<Long> ids = published();
    for (int i = ids.size() - 1; i >= 0; i--) {
      try {
        return Optional.of(read(ids.get(i)));
      } catch (IOException e) {
        LOG.error("checkpoint {}: unreadable metadata, trying an older one: {}", ids.get(i), e.getMessage());
      }
    }
    return Optional.empty();
  }

  public CheckpointMetadata read(long id) throws IOException {
    return JSON.readValue(directory(id).resolve(METADATA).toFile(), CheckpointMetadata.class);
  }

  /** The highest id of any checkpoint directory, published or not (0 when none). */
  public long highestId() throws IOException {
    long max = 0;
    for (Path dir : checkpointDirs()) {
      max = Math.max(max, idOf(dir));
    }
    return max;
  }

  /** Deletes a failed attempt. */
  public void discard(long id) throws IOException {
    Durability.deleteTree(directory(id));
  }

  /**
   * Keeps the newest {@code retained} published checkpoints; deletes older ones and every
   * unpublished attempt older than the newest published one (failed attempts).
   */
  public void retain(int retained) throws IOException {
    List<Long> ids = published();
    long newest = ids.isEmpty() ? Long.MIN_VALUE : ids.get(ids.size() - 1);
    List<Long> keep = ids.subList(Math.max(0, ids.size() - retained), ids.size());
    for (Path dir : checkpointDirs()) {
      long id = idOf(dir);
      boolean isPublished = ids.contains(id);
      if ((isPublished && !keep.contains(id)) || (!isPublished && id < newest)) {
        Durability.deleteTree(dir);
      }
    }
  }

  /** Deletes every attempt that was never published (done at start: they belong to a dead process). */
  public void discardUnpublished() throws IOException {
    for (Path dir : checkpointDirs()) {
      if (!Files.exists(dir.resolve(METADATA))) {
        LOG.info("checkpoint {}: removing an attempt that was never published", idOf(dir));
        Durability.deleteTree(dir);
      }
    }
  }

  /** Bytes on disk under {@code dir}. */
  public static long size(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    }
  }

  private List<Path> checkpointDirs() throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(root)) {
      return entries
          .filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(p))
          .filter(p -> p.getFileName().toString().substring(PREFIX.length()).chars().allMatch(Character::isDigit))
          .toList();
    }
  }

  private static long idOf(Path dir) {
    return Long.parseLong(dir.getFileName().toString().substring(PREFIX.length()));
  }
}
