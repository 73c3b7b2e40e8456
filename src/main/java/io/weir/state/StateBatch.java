package io.weir.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Puts and deletes applied atomically, in order, by {@link StateStore#write(StateBatch)}. Built
 * by one thread, then handed over.
 */
public final class StateBatch {
  /** A put ({@code value != null}) or a delete ({@code value == null}). */
  public record Mutation(byte[] key, byte[] value) {}

  private final List<Mutation> mutations = new ArrayList<>();

  public StateBatch put(byte[] key, byte[] value) {
    if (value == null) {
      throw new IllegalArgumentException("put needs a value; use delete to remove a key");
    }
    mutations.add(new Mutation(key, value));
    return this;
  }

  public StateBatch delete(byte[] key) {
    mutations.add(new Mutation(key, null));
    return this;
  }

  public List<Mutation> mutations() {
    return Collections.unmodifiableList(mutations);
  }

  public int size() {
    return mutations.size();
  }
}
