package io.weir.pipeline;

import io.weir.window.WindowOperator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Deduplication by event id within a horizon of event time ({@code dedup_horizon_ms}): the ids an
 * operator partition has seen, per key, with the event time they came with. An id is remembered
 * until the watermark passes its event time plus the horizon; a second event with a remembered id
 * (of the same key) is a duplicate. Part of the operator's checkpointed state, so a source that
 * re-delivers after a restore (at-least-once) does not count twice. Single-threaded.
 */
final class DedupFilter {
  private final long horizonMs;
  private final HashMap<String, HashMap<String, Long>> idsByKey = new HashMap<>();
  private long ids;

  DedupFilter(long horizonMs) {
    this.horizonMs = horizonMs;
  }

  /** True when the event is new (and remembers it); false for a duplicate within the horizon. */
  boolean firstSeen(String key, String id, long timestamp) {
    HashMap<String, Long> seen = idsByKey.computeIfAbsent(key, k -> new HashMap<>());
    if (seen.putIfAbsent(id, timestamp) != null) {
      return false;
    }
    ids++;
    return true;
  }

  /** Forgets ids whose event time plus the horizon the watermark has reached; marks their keys. */
  void expire(long watermark, Set<String> changedKeys) {
    Iterator<Map.Entry<String, HashMap<String, Long>>> keys = idsByKey.entrySet().iterator();
    while (keys.hasNext()) {
      Map.Entry<String, HashMap<String, Long>> e = keys.next();
      int before = e.getValue().size();
      e.getValue().values().removeIf(t -> WindowOperator.saturatedAdd(t, horizonMs) <= watermark);
      int removed = before - e.getValue().size();
      if (removed > 0) {
        ids -= removed;
        changedKeys.add(e.getKey());
      }
      if (e.getValue().isEmpty()) {
        keys.remove();
      }
    }
  }

  /** Ids remembered. */
  long size() {
    return ids;
  }

  /** The remembered ids of {@code key}, serialized; null when none. */
  byte[] snapshot(String key) {
    HashMap<String, Long> seen = idsByKey.get(key);
    if (seen == null || seen.isEmpty()) {
      return null;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * seen.size() + 4);
    try (DataOutputStream data = new DataOutputStream(bytes)) {
      data.writeInt(seen.size());
      for (Map.Entry<String, Long> e : seen.entrySet()) {
        byte[] id = e.getKey().getBytes(StandardCharsets.UTF_8);
        data.writeInt(id.length);
        data.write(id);
        data.writeLong(e.getValue());
      }
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    return bytes.toByteArray();
  }

  void restore(String key, byte[] state) {
    try (DataInputStream data = new DataInputStream(new ByteArrayInputStream(state))) {
      int n = data.readInt();
      HashMap<String, Long> seen = idsByKey.computeIfAbsent(key, k -> new HashMap<>());
      for (int i = 0; i < n; i++) {
        byte[] id = new byte[data.readInt()];
        data.readFully(id);
        if (seen.put(new String(id, StandardCharsets.UTF_8), data.readLong()) == null) {
          ids++;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("dedup state of key " + key + " is corrupt: " + e.getMessage(), e);
    }
  }
}
