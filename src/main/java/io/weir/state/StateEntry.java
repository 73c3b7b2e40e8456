package io.weir.state;

/** One key/value pair of a state store. The arrays are not copied: treat them as immutable. */
public record StateEntry(byte[] key, byte[] value) {}
