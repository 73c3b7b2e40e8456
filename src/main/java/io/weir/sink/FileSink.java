package io.weir.sink;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends one JSON line per record to a file, creating it and its directories. Each batch is
 * written whole and flushed to the operating system before the sender gets its reply.
 */
public final class FileSink extends SinkVerticle {
  private final Path path;
  private BufferedWriter out;

  public FileSink(String id, Path path) {
    super(id);
    this.path = path;
  }

  @Override
  public String describe() {
    return "file " + path.toAbsolutePath();
  }

  public Path path() {
    return path;
  }

  @Override
  protected void open() throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    out =
        Files.newBufferedWriter(
            path,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
  }

  @Override
  protected void write(List<SinkRecord> records) throws IOException {
    RecordJson.writeLines(records, out);
    out.flush();
  }

  @Override
  protected void close() throws IOException {
    out.close();
  }
}
