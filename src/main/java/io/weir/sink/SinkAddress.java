package io.weir.sink;

/** Event-bus addresses of sinks: the one place they are spelled. */
public final class SinkAddress {
  private SinkAddress() {}

  public static String of(String sinkId) {
    return "weir.sink." + sinkId;
  }
}
