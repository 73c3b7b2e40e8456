package io.weir.config;

/** One configured source. Each pipeline that names it reads it with its own reader. */
public sealed interface SourceConfig permits MockSourceConfig, FileSourceConfig {
  String id();

  /** Number of source partitions (input channels of each operator). */
  int partitions();

  /** Dead-letter sink id for malformed records, or null. */
  String deadLetter();
}
