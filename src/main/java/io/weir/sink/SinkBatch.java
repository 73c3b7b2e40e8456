package io.weir.sink;

import java.util.List;

/**
 * Records for one sink, sent by reference on the local event bus; the list must not be mutated
 * after sending.
 */
public record SinkBatch(List<SinkRecord> records) {

  public SinkBatch {
    records = List.copyOf(records);
  }

  public int size() {
    return records.size();
  }
}
