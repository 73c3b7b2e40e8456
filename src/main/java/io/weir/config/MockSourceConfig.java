package io.weir.config;

/**
 * Synthetic source. Event {@code i} of partition {@code p} gets an event time derived from
 * {@code startTime}, the rate and the index, minus a seeded jitter in {@code [0,
 * maxOutOfOrderMs]}; with a seed and a start time the stream is fully deterministic, whatever the
 * wall clock does.
 *
 * @param ratePerSec events per second over all partitions
 * @param keys number of distinct keys ({@code key-0} ... {@code key-(keys-1)}); key {@code k}
 *     lives in partition {@code k mod partitions}
 * @param seed random seed, or null for a random one
 * @param maxOutOfOrderMs bound of the event-time jitter
 * @param startTime event time of the first event (epoch ms), or null for the wall clock at start
 * @param maxEvents total events to emit before ending the stream, or null for unbounded
 * @param valueMin smallest generated value
 * @param valueMax largest generated value
 */
public record MockSourceConfig(
    String id,
    double ratePerSec,
    int keys,
    int partitions,
    Long seed,
    long maxOutOfOrderMs,
    Long startTime,
    Long maxEvents,
    double valueMin,
    double valueMax,
    String deadLetter)
    implements SourceConfig {

  public MockSourceConfig withSeed(Long newSeed) {
    return new MockSourceConfig(
        id, ratePerSec, keys, partitions, newSeed, maxOutOfOrderMs, startTime, maxEvents, valueMin,
        valueMax, deadLetter);
  }

  public MockSourceConfig withStartTime(Long newStartTime) {
    return new MockSourceConfig(
        id, ratePerSec, keys, partitions, seed, maxOutOfOrderMs, newStartTime, maxEvents, valueMin,
        valueMax, deadLetter);
  }
}
