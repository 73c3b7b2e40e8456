package io.weir.window;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * Running count/sum/min/max of the values in one key's window. Mutable on purpose: it is
 * updated once per event on the hot path, and allocating a value per event would dominate the
 * cost. Owned by one operator thread.
 */
public final class Accumulator {
  private long count;
  private long valueCount;
  private double sum;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  private long firstTime = Long.MAX_VALUE;
  private double first = Double.NaN;
  private long lastTime = Long.MIN_VALUE;
  private double last = Double.NaN;
  /** Quantile sketch of the values, only when quantiles are asked for (it costs memory). */
  private final KllDoublesSketch quantiles;
  /** Distinct-count sketch of a field, only when asked for. */
  private HllSketch distinct;

  /** Which optional sketches an accumulator keeps (they cost memory: a few KB each). */
  public record Spec(boolean quantiles, boolean distinct) {
    public static final Spec BASIC = new Spec(false, false);
  }

  /** HLL precision: 2^12 registers, relative error about 1.6%. */
  private static final int HLL_LG_K = 12;

  /** Count, sum, min, max, avg, first and last. */
  public Accumulator() {
    this(Spec.BASIC);
  }

  /**
   * @param spec also keep a KLL sketch of the values (DataSketches, k = 200: rank error about
   *     1.3%) for {@link #quantile(double)}, and/or an HLL sketch of a field for {@link
   *     #distinctCount()}
   */
  public Accumulator(Spec spec) {
    this.quantiles = spec.quantiles() ? KllDoublesSketch.newHeapInstance(200) : null;
    this.distinct = spec.distinct() ? new HllSketch(HLL_LG_K) : null;
  }

  /**
   * Writes the full state (for checkpoints); {@link #readFrom} reads it back into an accumulator
   * that is equal in every result, sketches included.
   */
  public void writeTo(java.io.DataOutput out) throws java.io.IOException {
    out.writeLong(count);
    out.writeLong(valueCount);
    out.writeDouble(sum);
    out.writeDouble(min);
    out.writeDouble(max);
    out.writeLong(firstTime);
    out.writeDouble(first);
    out.writeLong(lastTime);
    out.writeDouble(last);
    writeBytes(out, quantiles == null ? null : quantiles.toByteArray());
    writeBytes(out, distinct == null ? null : distinct.toCompactByteArray());
  }

  /** Reads what {@link #writeTo} wrote. */
  public static Accumulator readFrom(java.io.DataInput in) throws java.io.IOException {
    long count = in.readLong();
    long valueCount = in.readLong();
    double sum = in.readDouble();
    double min = in.readDouble();
    double max = in.readDouble();
    long firstTime = in.readLong();
    double first = in.readDouble();
    long lastTime = in.readLong();
    double last = in.readDouble();
    byte[] kll = readBytes(in);
    byte[] hll = readBytes(in);
    Accumulator a =
        new Accumulator(
            kll == null
                ? null
                : KllDoublesSketch.heapify(org.apache.datasketches.memory.Memory.wrap(kll)),
            hll == null ? null : HllSketch.heapify(hll));
    a.count = count;
    a.valueCount = valueCount;
    a.sum = sum;
    a.min = min;
    a.max = max;
    a.firstTime = firstTime;
    a.first = first;
    a.lastTime = lastTime;
    a.last = last;
    return a;
  }

  private Accumulator(KllDoublesSketch quantiles, HllSketch distinct) {
    this.quantiles = quantiles;
    this.distinct = distinct;
  }

  private static void writeBytes(java.io.DataOutput out, byte[] bytes) throws java.io.IOException {
    if (bytes == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(bytes.length);
      out.write(bytes);
    }
  }

  private static byte[] readBytes(java.io.DataInput in) throws java.io.IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    return bytes;
  }

  /** Approximate heap bytes of this accumulator, sketches included. */
  public long estimatedBytes() {
    long bytes = 112;
    if (quantiles != null) {
      bytes += 64 + 8L * Math.min(quantiles.getN(), 600);
    }
    if (distinct != null) {
      bytes += 4_200;
    }
    return bytes;
  }

  /** Adds an event with the value of its distinct-count field (null when it has none). */
  public void add(long timestamp, double value, String distinctItem) {
    add(timestamp, value);
    if (distinct != null && distinctItem != null) {
      distinct.update(distinctItem);
    }
  }

  /**
   * Approximate number of distinct values of the distinct-count field (exact for small counts);
   * NaN when not kept.
   */
  public double distinctCount() {
    return distinct == null ? Double.NaN : Math.round(distinct.getEstimate());
  }

  /** Adds a value without an event time: first/last are not tracked for it. */
  public void add(double value) {
    count++;
    addValue(value);
  }

  /**
   * Adds an event's value. {@code first} is the value of the event with the smallest timestamp
   * (the earliest to arrive among equal ones), {@code last} of the largest (the latest to arrive).
   */
  public void add(long timestamp, double value) {
    count++;
    if (!Double.isNaN(value)) {
      if (timestamp < firstTime) {
        firstTime = timestamp;
        first = value;
      }
      if (timestamp >= lastTime) {
        lastTime = timestamp;
        last = value;
      }
    }
    addValue(value);
  }

  private void addValue(double value) {
    if (!Double.isNaN(value)) {
      if (quantiles != null) {
        quantiles.update(value);
      }
      valueCount++;
      sum += value;
      if (value < min) {
        min = value;
      }
      if (value > max) {
        max = value;
      }
    }
  }

  /** Adds everything {@code other} has seen; aggregates are mergeable. */
  public void merge(Accumulator other) {
    if (quantiles != null && other.quantiles != null) {
      quantiles.merge(other.quantiles);
    }
    if (distinct != null && other.distinct != null) {
      Union union = new Union(HLL_LG_K);
      union.update(distinct);
      union.update(other.distinct);
      distinct = union.getResult();
    }
    count += other.count;
    valueCount += other.valueCount;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    // Ties keep this side's first and the other side's last, as if other's events came after.
    if (other.firstTime < firstTime) {
      firstTime = other.firstTime;
      first = other.first;
    }
    if (other.lastTime >= lastTime && other.lastTime != Long.MIN_VALUE) {
      lastTime = other.lastTime;
      last = other.last;
    }
  }

  /** Number of events, with or without a value. */
  public long count() {
    return count;
  }

  /** Sum of the values; 0 when no event carried one. */
  public double sum() {
    return sum;
  }

  /** Smallest value, or NaN when no event carried a value. */
  public double min() {
    return min == Double.POSITIVE_INFINITY ? Double.NaN : min;
  }

  /** Largest value, or NaN when no event carried a value. */
  public double max() {
    return max == Double.NEGATIVE_INFINITY ? Double.NaN : max;
  }

  /**
   * The approximate {@code rank} quantile of the values (0.5 for the median), inclusive
   * search; NaN when no event had a value or quantiles are not kept.
   */
  public double quantile(double rank) {
    if (quantiles == null || quantiles.isEmpty()) {
      return Double.NaN;
    }
    return quantiles.getQuantile(rank, QuantileSearchCriteria.INCLUSIVE);
  }

  /** Value of the earliest event by event time, or NaN when no event carried a value. */
  public double first() {
    return first;
  }

  /** Value of the latest event by event time, or NaN when no event carried a value. */
  public double last() {
    return last;
  }

  /** Mean of the values (events without a value do not count), or NaN when there were none. */
  public double avg() {
    return valueCount == 0 ? Double.NaN : sum / valueCount;
  }
}
