package io.weir.source;

import io.weir.event.StreamEvent;

/**
 * A line after parsing: an event, or the reason it could not be one (with what parsed of it, for
 * the dead-letter record).
 */
record ParsedLine(StreamEvent event, String reason, String detail, Object payload) {

  static ParsedLine ok(StreamEvent event) {
    return new ParsedLine(event, null, null, null);
  }

  static ParsedLine failed(String reason, String detail, Object payload) {
    return new ParsedLine(null, reason, detail, payload);
  }

  boolean failed() {
    return event == null;
  }
}
