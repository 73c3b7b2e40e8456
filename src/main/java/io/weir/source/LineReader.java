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
 * stopped. Blocking I/O: worker threads only. Not thread-safe.
 */
final class LineReader implements Closeable {
  private final Path path;
  private final FileChannel channel;
  private final Object fileKey;
  private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
  private byte[] partial = new byte[0];
  private long position;

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
      buffer.clear();
      int n = channel.read(buffer, position);
      if (n <= 0) {
        if (complete && partial.length > 0) {
          int end = partial[partial.length - 1] == '\r' ? partial.length - 1 : partial.length;
          out.line(partial, 0, end, ascii(partial, 0, end));
          partial = new byte[0];
        }
        return false;
      }
      position += n;
      byte[] bytes = new byte[partial.length + n];
      System.arraycopy(partial, 0, bytes, 0, partial.length);
      buffer.flip();
      buffer.get(bytes, partial.length, n);
      int lineStart = 0;
      // OR of the line's bytes so far: negative once a byte has its high bit set.
      int high = 0;
      for (int i = 0; i < bytes.length; i++) {
        byte b = bytes[i];
        if (b == '\n') {
          int end = i > lineStart && bytes[i - 1] == '\r' ? i - 1 : i;
          out.line(bytes, lineStart, end - lineStart, high >= 0);
          high = 0;
          added++;
          lineStart = i + 1;
          if (added >= max) {
            // Give back what follows: it is read again next time.
            position -= bytes.length - lineStart;
            partial = new byte[0];
            return true;
          }
        } else {
          high |= b;
        }
      }
      partial = java.util.Arrays.copyOfRange(bytes, lineStart, bytes.length);
    }
    return true;
  }

  private static boolean ascii(byte[] bytes, int start, int end) {
    for (int i = start; i < end; i++) {
      if (bytes[i] < 0) {
        return false;
      }
    }
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
    return (current != null && !current.equals(fileKey)) || Files.size(path) < position;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
