package io.weir.event;

import java.util.List;
import java.util.Objects;

/**
 * Events of one channel for one operator, in channel order, with the channel's watermark
 * before each event and after the last one.
 *
 * <p>The source's watermark advances after every event; when the events of one channel are
 * split among several operators by key, each operator still has to see every advance that
 * happened between its own events, or its results would depend on batch size and parallelism.
 * {@code watermarkBefore[i]} is the channel watermark that was current just before {@code
 * events.get(i)}, and {@code watermarkAfter} the one after the last event of the source batch
 * (which may belong to another operator). The operator therefore behaves exactly as if a
 * watermark had been emitted after every event.
 *
 * <p>Passed by reference on the local event bus: neither the list nor the array may be mutated
 * after sending.
 */
public record EventBatch(
    int channel, List<StreamEvent> events, long[] watermarkBefore, long watermarkAfter)
    implements StreamElement {

  public EventBatch {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(watermarkBefore, "watermarkBefore");
    if (watermarkBefore.length != events.size()) {
      throw new IllegalArgumentException(
          "watermarkBefore has " + watermarkBefore.length + " entries for " + events.size() + " events");
    }
  }

  public int size() {
    return events.size();
  }
}
