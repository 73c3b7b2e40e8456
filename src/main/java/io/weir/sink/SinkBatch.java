package io.weir.sink;

import java.util.List;

/**
 * Records for one sink, sent by reference on the local event bus; the list must not be mutated
 * after sending.
 *
 * @param epoch the id of the last checkpoint barrier the sender had passed when it produced the
 *     records: they belong to checkpoint {@code epoch + 1}. A transactional sink makes them
 *     visible when that checkpoint is published; other sinks ignore it.
 */
public record SinkBatch(List<SinkRecord> records, long epoch) {

  public SinkBatch {
    records = List.copyOf(records);
  }

  /** Records outside any checkpoint (epoch 0). */
  public SinkBatch(List<SinkRecord> records) {
    this(records, 0);
  }

  public int size() {
    return records.size();
  }
}
