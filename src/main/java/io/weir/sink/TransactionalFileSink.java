package io.weir.sink;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exactly-once file sink: one JSON line per record, visible in {@code target} only once the
 * checkpoint the record belongs to is published.
 *
 * <p>Records are staged, per checkpoint epoch, in part files under the staging directory (in the
 * checkpoint directory, so a restore finds them). Pre-commit of checkpoint {@code n} moves every
 * part of an epoch below {@code n} into {@code txn-<n>.pending} and fsyncs it; the returned
 * {@link SinkCommit} goes into the checkpoint's metadata. Commit, after the metadata is
 * published, appends the pending bytes to the target at the recorded committed length and fsyncs
 * it. A commit interrupted by a crash is redone from the metadata by {@link #doRecover}: the
 * target is truncated back to the committed length before the transaction and the same bytes
 * are appended again, so the target is at every moment a prefix of its final content — nothing a
 * reader saw is ever retracted or duplicated.
 */
public final class TransactionalFileSink extends SinkVerticle {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalFileSink.class);
  private static final String PART = ".part";
  private static final String PENDING = ".pending";
  private static final String CARRY = "carry-";

  private final Path target;
  private final Path staging;
  /** Open part files by epoch. */
  private final TreeMap<Long, FileChannel> parts = new TreeMap<>();
  /**
   * Records that could not be staged yet (the staging directory was not writable), by epoch, in
   * arrival order: kept in memory and staged before anything else as soon as it works again, so
   * an unwritable directory delays checkpoints but loses nothing.
   */
  private final TreeMap<Long, java.util.ArrayList<byte[]>> unstaged = new TreeMap<>();
  private long unstagedRecords;
  /** Records staged per epoch, and carried over from aborted transactions. */
  private final TreeMap<Long, Long> stagedRecords = new TreeMap<>();
  private long carriedRecords;
  /** Records of each pre-committed, not yet committed transaction. */
  private final TreeMap<Long, Long> pendingRecords = new TreeMap<>();
  private long committedLength;
  private long committedCheckpoint;
  private boolean recovered;

  /**
   * @param target the file readers see
   * @param staging a directory of this sink alone, on the same filesystem as checkpoints
   */
  public TransactionalFileSink(String id, Path target, Path staging) {
    super(id);
    this.target = target.toAbsolutePath();
    this.staging = staging.toAbsolutePath();
  }

  @Override
  public String describe() {
    return "file " + target + " (exactly-once, staged in " + staging + ")";
  }

  @Override
  public boolean transactional() {
    return true;
  }

  @Override
  protected void open() throws IOException {
    Path parent = target.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.createDirectories(staging);
  }

  @Override
  protected void doRecover(SinkCommit last) throws IOException {
    closeParts();
    if (last != null && Path.of(last.target()).equals(target)) {
      finishCommit(last);
      committedCheckpoint = last.checkpointId();
    } else {
      if (last != null) {
        LOG.warn("sink {}: the checkpoint wrote {}, the config now says {}: starting a new file history", id(), last.target(), target);
      }
      committedLength = Files.exists(target) ? Files.size(target) : 0;
    }
    if (!Files.exists(target)) {
      // Readers find the (empty) file as soon as the sink is open.
      Files.createFile(target);
    }
    // Everything staged after the published checkpoint will be produced again by the replay.
    try (Stream<Path> files = Files.list(staging)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
    }
    stagedRecords.clear();
    pendingRecords.clear();
    unstaged.clear();
    unstagedRecords = 0;
    carriedRecords = 0;
    recovered = true;
    LOG.info("sink {}: recovered: {} committed bytes in {} (checkpoint {})", id(), committedLength, target, committedCheckpoint);
  }

  @Override
  protected void write(List<SinkRecord> records) throws IOException {
    write(records, 0);
  }

  @Override
  protected void write(List<SinkRecord> records, long epoch) throws IOException {
    if (!recovered) {
      doRecover(null);
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(256 * records.size());
    try (java.io.Writer w = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
      RecordJson.writeLines(records, w);
    }
    byte[] lines = bytes.toByteArray();
    stagedRecords.merge(epoch, (long) records.size(), Long::sum);
    if (unstaged.isEmpty() || stageUnstaged()) {
      try {
        append(epoch, lines);
        return;
      } catch (IOException e) {
        LOG.warn("sink {}: cannot stage output in {} ({}); keeping it in memory until it can", id(), staging, e.getMessage());
      }
    }
    unstaged.computeIfAbsent(epoch, k -> new java.util.ArrayList<>()).add(lines);
    unstagedRecords += records.size();
  }

  /** Stages what is kept in memory, in order; false when it still cannot. */
  private boolean stageUnstaged() {
    try {
      while (!unstaged.isEmpty()) {
        Map.Entry<Long, java.util.ArrayList<byte[]>> first = unstaged.firstEntry();
        java.util.ArrayList<byte[]> chunks = first.getValue();
        while (!chunks.isEmpty()) {
          append(first.getKey(), chunks.get(0));
          chunks.remove(0);
        }
        unstaged.pollFirstEntry();
      }
      unstagedRecords = 0;
      LOG.info("sink {}: output kept in memory is staged in {} again", id(), staging);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Appends whole lines to the part of {@code epoch}; on failure the part is as before. */
  private void append(long epoch, byte[] lines) throws IOException {
    FileChannel part = parts.get(epoch);
    if (part == null) {
      part = FileChannel.open(partFile(epoch), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      part.position(part.size());
      parts.put(epoch, part);
    }
    long before = part.position();
    try {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(lines);
      while (buffer.hasRemaining()) {
        part.write(buffer);
      }
    } catch (IOException e) {
      try {
        part.truncate(before);
        part.position(before);
      } catch (IOException ignored) {
        // the channel is unusable: a new one is opened next time
        parts.remove(epoch);
        part.close();
      }
      throw e;
    }
  }

  @Override
  protected SinkCommit doPreCommit(long checkpointId) throws IOException {
    if (!recovered) {
      doRecover(null);
    }
    if (!unstaged.isEmpty() && !stageUnstaged()) {
      throw new IOException(
          "sink " + id() + ": " + unstagedRecords + " records are kept in memory: the staging directory " + staging
              + " is not writable");
    }
    List<Path> inputs = new ArrayList<>();
    long records = carriedRecords;
    try (Stream<Path> files = Files.list(staging)) {
      // Carried-over transactions first (they are older), in checkpoint order.
      files.filter(f -> f.getFileName().toString().startsWith(CARRY))
          .sorted((a, b) -> Long.compare(number(a, CARRY, PART), number(b, CARRY, PART)))
          .forEach(inputs::add);
    }
    Map<Long, FileChannel> due = new TreeMap<>(parts.headMap(checkpointId));
    for (Map.Entry<Long, FileChannel> e : due.entrySet()) {
      e.getValue().close();
      parts.remove(e.getKey());
      inputs.add(partFile(e.getKey()));
      records += stagedRecords.getOrDefault(e.getKey(), 0L);
    }
    Path pending = pendingFile(checkpointId);
    long size = 0;
    try (FileChannel out =
        FileChannel.open(pending, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (Path in : inputs) {
        try (FileChannel from = FileChannel.open(in, StandardOpenOption.READ)) {
          long n = from.size();
          long done = 0;
          while (done < n) {
            done += from.transferTo(done, n - done, out);
          }
          size += n;
        }
      }
      out.force(true);
    }
    io.weir.state.Durability.fsyncDirectoryIfSupported(staging);
    for (Path in : inputs) {
      Files.deleteIfExists(in);
    }
    for (Long epoch : due.keySet()) {
      stagedRecords.remove(epoch);
    }
    carriedRecords = 0;
    pendingRecords.put(checkpointId, records);
    return new SinkCommit(
        id(), checkpointId, target.toString(), pending.toString(), committedLength, committedLength + size, records);
  }

  @Override
  protected void doCommit(SinkCommit commit) throws IOException {
    finishCommit(commit);
    committedCheckpoint = commit.checkpointId();
    pendingRecords.remove(commit.checkpointId());
  }

  @Override
  protected void doAbort(long checkpointId) throws IOException {
    Path pending = pendingFile(checkpointId);
    if (Files.exists(pending)) {
      // Its records were produced before the barrier: they join the next checkpoint.
      Files.move(pending, staging.resolve(CARRY + checkpointId + PART), StandardCopyOption.ATOMIC_MOVE);
      carriedRecords += pendingRecords.getOrDefault(checkpointId, 0L);
    }
    pendingRecords.remove(checkpointId);
  }

  /**
   * Makes {@code commit} visible, whatever state a crash left the target in: already done (the
   * length matches), not started or half done (truncate to the length before, append again).
   */
  private void finishCommit(SinkCommit commit) throws IOException {
    long size = Files.exists(target) ? Files.size(target) : 0;
    Path pending = commit.pending() == null ? null : Path.of(commit.pending());
    if (size == commit.lengthAfter()) {
      committedLength = size;
    } else if (pending != null && Files.exists(pending) && size >= commit.lengthBefore()) {
      try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileChannel in = FileChannel.open(pending, StandardOpenOption.READ)) {
        // Bytes beyond lengthBefore are a prefix of the pending bytes: truncating and appending
        // again rewrites them identically.
        out.truncate(commit.lengthBefore());
        long n = in.size();
        long done = 0;
        while (done < n) {
          done += in.transferTo(done, n - done, out.position(commit.lengthBefore() + done));
        }
        out.force(true);
      }
      committedLength = commit.lengthAfter();
    } else if (size > commit.lengthAfter()) {
      LOG.warn(
          "sink {}: {} has {} bytes, more than the {} committed by checkpoint {}: truncating the uncommitted tail",
          id(), target, size, commit.lengthAfter(), commit.checkpointId());
      try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE)) {
        out.truncate(commit.lengthAfter());
        out.force(true);
      }
      committedLength = commit.lengthAfter();
    } else {
      throw new IOException(
          "sink " + id() + ": cannot finish checkpoint " + commit.checkpointId() + ": " + target + " has " + size
              + " bytes, expected " + commit.lengthBefore() + ".." + commit.lengthAfter()
              + (pending == null || !Files.exists(pending) ? ", and the staged file " + pending + " is gone" : ""));
    }
    if (pending != null) {
      Files.deleteIfExists(pending);
    }
  }

  @Override
  protected void close() throws IOException {
    closeParts();
  }

  private void closeParts() throws IOException {
    for (FileChannel w : parts.values()) {
      w.close();
    }
    parts.clear();
  }

  private Path partFile(long epoch) {
    return staging.resolve("epoch-" + epoch + PART);
  }

  private Path pendingFile(long checkpointId) {
    return staging.resolve("txn-" + checkpointId + PENDING);
  }

  private static long number(Path file, String prefix, String suffix) {
    String name = file.getFileName().toString();
    return Long.parseLong(name.substring(prefix.length(), name.length() - suffix.length()));
  }
}
