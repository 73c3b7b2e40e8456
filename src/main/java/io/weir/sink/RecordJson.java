package io.weir.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/** Serialises sink records as JSON lines. Thread-safe (the mapper is). */
public final class RecordJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RecordJson() {}

  /** Writes each record followed by a newline. */
  public static void writeLines(List<SinkRecord> records, Writer out) throws IOException {
    try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      json.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
      json.setRootValueSeparator(null);
      for (SinkRecord r : records) {
        r.writeJson(json);
        json.writeRaw('\n');
      }
    }
  }

  /** One record as a JSON string without a newline. */
  public static String toJson(SinkRecord record) {
    StringWriter w = new StringWriter();
    try (JsonGenerator json = MAPPER.getFactory().createGenerator(w)) {
      record.writeJson(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }
}
