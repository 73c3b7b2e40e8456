package io.weir.sink;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes one JSON line per record to standard output. At-least-once: after a crash, records
 * written since the last checkpoint are written again.
 */
public final class ConsoleSink extends SinkVerticle {
  private BufferedWriter out;

  public ConsoleSink(String id) {
    super(id);
  }

  @Override
  public String describe() {
    return "console (stdout)";
  }

  @Override
  protected void open() {
    out =
        new BufferedWriter(
            new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8),
            1 << 16);
  }

  @Override
  protected void write(List<SinkRecord> records) throws IOException {
    RecordJson.writeLines(records, out);
    out.flush();
  }

  @Override
  protected void close() throws IOException {
    // Standard output stays open for the rest of the process.
    out.flush();
  }
}
