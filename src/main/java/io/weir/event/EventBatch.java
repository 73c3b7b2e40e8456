package io.weir.event;

import java.util.List;
import java.util.Objects;

/**
 * Events of one channel for one operator, in channel order, with the channel's watermark
 * history over the source batch they came from.
 *
 * <p>The source's watermark advances after every event. When the events of one channel are
 * split among several operators by key, each operator must still see every advance, in its
 * place between its own events, or its results would depend on batch size and parallelism
 * (when a window fires, and with which watermark, would change). So {@code watermarkAdvances}
 * lists every value the channel watermark took during the whole source batch, strictly
 * increasing, including after events that went to other operators; and {@code
 * watermarkBefore[i]} is the channel watermark just before {@code events.get(i)}. An operator
 * applies every advance {@code <= watermarkBefore[i]} before event {@code i}, and the rest after
 * its last event: it behaves exactly as if it had received a watermark after every event of the
 * channel. A batch may carry no events at all, only advances.
 *
 * <p>Passed by reference on the local event bus, and {@code watermarkAdvances} is shared by the
 * batches of all operators: neither the list nor the arrays may be mutated after sending.
 */
public record EventBatch(
    int channel, List<StreamEvent> events, long[] watermarkBefore, long[] watermarkAdvances)
    implements StreamElement {

  public EventBatch {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(watermarkBefore, "watermarkBefore");
    Objects.requireNonNull(watermarkAdvances, "watermarkAdvances");
    if (watermarkBefore.length != events.size()) {
      throw new IllegalArgumentException(
          "watermarkBefore has " + watermarkBefore.length + " entries for " + events.size() + " events");
    }
  }

  public int size() {
    return events.size();
  }
}
