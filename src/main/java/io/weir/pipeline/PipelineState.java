package io.weir.pipeline;

/** Lifecycle of a pipeline as the REST API shows it. */
public enum PipelineState {
  STARTING,
  RUNNING,
  /** Stopped by request: the source reads nothing, window state is kept. */
  STOPPED,
  /** Every source partition ended and every operator has fired all its windows. */
  FINISHED,
  FAILED,
  SHUTTING_DOWN
}
