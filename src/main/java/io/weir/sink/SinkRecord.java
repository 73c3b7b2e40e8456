package io.weir.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** Something a sink writes: one JSON object per record, one line per record in line formats. */
public sealed interface SinkRecord permits WindowResult, DeadLetter {

  /** Writes this record as one JSON object in the format of DESIGN.md §3. */
  void writeJson(JsonGenerator json) throws IOException;
}
