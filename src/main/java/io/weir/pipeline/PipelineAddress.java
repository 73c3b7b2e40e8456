package io.weir.pipeline;

/** Event-bus addresses of pipeline operators: the one place they are spelled. */
public final class PipelineAddress {
  private PipelineAddress() {}

  /** Input address of operator partition {@code index} of {@code pipeline}. */
  public static String operator(String pipeline, int index) {
    return "weir.pipeline." + pipeline + ".operator." + index;
  }
}
