package io.weir.source;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Reads whole lines from a file that may still be growing: a line is returned only once its
 * newline is there, except at the end of a file that is complete ({@link #readLines} with {@code
 * complete = true}). Tracks the byte position, so a tailing reader resumes exactly where it
 * stopped, and {@link #position()} says where the next line starts, so that a restore can {@link
 * #seek} there instead of reading the lines before. Blocking I/O: worker threads only. Not
 * thread-safe.
 */
final class LineReader implements Closeable {
  private final Path path;
  private final FileChannel channel;
  private final Object fileKey;
  /**
   * Bytes read and not yet handed out: {@code buffer[start, end)}, the beginning of the next
   * line(s). Reused for the whole file (compacted, grown for a line longer than it), so reading
   * allocates nothing per line or per read.
   */
  private byte[] buffer = new byte[1 << 16];
  private int start;
  private int end;
  /** How far the next line has been scanned for its newline, and the OR of those bytes. */
  private int scanned;
  private int high;
  /** File position up to which bytes have been read into the buffer. */
  private long readTo;

  LineReader(Path path) throws IOException {
    this.path = path;
    this.channel = FileChannel.open(path, StandardOpenOption.READ);
    this.fileKey = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
  }

  /** Receives lines as byte ranges of a buffer that is reused once {@code line} returns. */
  @FunctionalInterface
  interface LineConsumer {
    /**
     * One line, without its terminator: {@code bytes[start, start + length)}.
     *
     * @param ascii no byte of the line has its high bit set (the line is ASCII, so its bytes
     *     are its characters)
     */
    void line(byte[] bytes, int start, int length, boolean ascii);
  }

  /**
   * Appends up to {@code max} lines to {@code out} (without their line terminators).
   *
   * @param complete the file will not grow: a last line without a newline counts
   * @return false when the end of the file was reached
   */
  boolean readLines(int max, List<String> out, boolean complete) throws IOException {
    return readLines(max, (bytes, start, length, ascii) -> out.add(new String(bytes, start, length, StandardCharsets.UTF_8)), complete);
  }

  /**
   * Hands up to {@code max} lines to {@code out} as bytes (without their line terminators), so
   * that a caller that parses bytes need not decode a {@code String} per line first.
   *
   * @param complete the file will not grow: a last line without a newline counts
   * @return false when the end of the file was reached
   */
  boolean readLines(int max, LineConsumer out, boolean complete) throws IOException {
    int added = 0;
    while (added < max) {
      int newline = -1;
      int h = high;
      for (int i = scanned; i < end; i++) {
        byte b = buffer[i];
        if (b == '\n') {
          newline = i;
          break;
        }
        h |= b;
      }
      if (newline >= 0) {
        int lineEnd = newline > start && buffer[newline - 1] == '\r' ? newline - 1 : newline;
        out.line(buffer, start, lineEnd - start, h >= 0);
        added++;
        start = newline + 1;
        scanned = start;
        high = 0;
        continue;
      }
      scanned = end;
      high = h;
      if (!fill()) {
        if (complete && end > start) {
          int lineEnd = buffer[end - 1] == '\r' ? end - 1 : end;
          out.line(buffer, start, lineEnd - start, high >= 0);
          start = end = scanned = high = 0;
        }
        return false;
      }
    }
    return true;
  }

  /** Reads more of the file after the buffered bytes; false at the end of the file. */
  private boolean fill() throws IOException {
    if (start > 0) {
      System.arraycopy(buffer, start, buffer, 0, end - start);
      end -= start;
      scanned -= start;
      start = 0;
    }
    if (end == buffer.length) {
      buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2); // a line longer than the buffer
    }
    int n = channel.read(ByteBuffer.wrap(buffer, end, buffer.length - end), readTo);
    if (n <= 0) {
      return false;
    }
    readTo += n;
    end += n;
    return true;
  }

  /**
   * True when the file at the path is no longer the one being read (rotated: another file now
   * has the name) or has been truncated below what was read.
   */
  boolean replaced() throws IOException {
    if (!Files.exists(path)) {
      return false;
    }
    Object current = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    return (current != null && !current.equals(fileKey)) || Files.size(path) < readTo;
  }

  /**
   * The byte position where the next line starts: just after the terminator of the last line
   * handed out (or the end of a complete file whose last line had none), 0 before the first. A
   * partial line at the end of a growing file has not been handed out: this is its start.
   */
  long position() {
    return readTo - (end - start);
  }

  /**
   * Whether a line of this file can start at {@code position}: the start of the file, just after
   * a newline, or the end of the file (after a last line without a newline). False when the file
   * is shorter, or when {@code position} is inside a line: then it was taken in another file.
   */
  boolean startsLine(long position) throws IOException {
    long size = channel.size();
    if (position < 0 || position > size) {
      return false;
    }
    if (position == 0 || position == size) {
      return true;
    }
    ByteBuffer before = ByteBuffer.allocate(1);
    return channel.read(before, position - 1) == 1 && before.get(0) == '\n';
  }

  /**
   * Goes on from byte {@code position} (see {@link #startsLine}), dropping what was read and
   * not handed out: the next line handed out starts there.
   */
  void seek(long position) {
    readTo = position;
    start = end = scanned = high = 0;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
