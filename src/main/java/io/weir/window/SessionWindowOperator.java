package io.weir.window;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link WindowOperator} for session windows, as Flink's {@code WindowOperator} over a {@code
 * MergingWindowSet}: a new element's window {@code [ts, ts + gap)} merges with every session of
 * its key that it overlaps or touches; the aggregates merge, the merged sessions' timers are
 * dropped and the merged session gets its own. Merging happens before the lateness check, so an
 * element whose own window is too late is still accepted when it touches a live session. A
 * merged session is a new window (new bounds); an earlier emission of a part of it is not
 * retracted, and its first firing has {@code is_update} set when any part had fired before.
 * Single-threaded.
 */
public final class SessionWindowOperator implements WindowOperator {
  private final long gap;
  private final long allowedLateness;
  private final WindowOutput output;
  private final Accumulator.Spec spec;
  private final EmitPolicy emit;
  private final Map<String, List<Session>> sessionsByKey = new HashMap<>();
  /** Sessions waiting to fire, by {@code end - 1}. */
  private final TreeMap<Long, LinkedHashSet<Session>> fireTimers = new TreeMap<>();
  /** Sessions to purge, by {@code end - 1 + lateness}. */
  private final TreeMap<Long, LinkedHashSet<Session>> cleanupTimers = new TreeMap<>();
  private final List<Session> overlapping = new ArrayList<>();
  private long watermark = Long.MIN_VALUE;
  private long sessions;

  public SessionWindowOperator(SessionWindows windows, long allowedLateness, WindowOutput output) {
    this(windows, allowedLateness, output, Accumulator.Spec.BASIC, EmitPolicy.ON_TIME_AND_LATE);
  }

  /** @param spec the optional sketches each session keeps */
  public SessionWindowOperator(
      SessionWindows windows,
      long allowedLateness,
      WindowOutput output,
      Accumulator.Spec spec,
      EmitPolicy emit) {
    if (allowedLateness < 0) {
      throw new IllegalArgumentException("allowed lateness must be >= 0, got " + allowedLateness);
    }
    this.gap = windows.gap();
    this.allowedLateness = allowedLateness;
    this.output = output;
    this.spec = spec;
    this.emit = emit;
  }

  @Override
  public void processElement(
      String key, long timestamp, double value, String distinctItem, Object element) {
    long end = WindowOperator.saturatedAdd(timestamp, gap);
    List<Session> keySessions = sessionsByKey.computeIfAbsent(key, k -> new ArrayList<>(2));
    overlapping.clear();
    for (Session s : keySessions) {
      if (s.start <= end && s.end >= timestamp) {
        overlapping.add(s);
      }
    }
    Session session;
    if (overlapping.isEmpty()) {
      if (cleanupTime(end - 1) <= watermark) {
        // Its own window is past lateness and it touches no live session: dropped. (Then
        // timestamp + lateness <= end - 1 + lateness <= watermark: it is late by Flink's rule.)
        if (keySessions.isEmpty()) {
          sessionsByKey.remove(key);
        }
        output.late(element, timestamp, new Window(timestamp, end), watermark);
        return;
      }
      session = new Session(key, timestamp, end, spec);
      sessions++;
    } else {
      session = merge(key, timestamp, end);
    }
    keySessions.add(session);
    schedule(cleanupTimers, cleanupTime(session.end - 1), session);
    session.aggregate.add(timestamp, value, distinctItem);
    session.dirty = true;
    if (session.end - 1 <= watermark) {
      // Within lateness but past its end: EventTimeTrigger fires at once.
      session.hadLate = true;
      if (emit == EmitPolicy.ON_TIME_AND_LATE) {
        fire(session, Pane.Timing.LATE);
      }
    } else {
      session.fireAt = session.end - 1;
      schedule(fireTimers, session.fireAt, session);
    }
  }

  /** Replaces the overlapping sessions of {@code key} by one covering them and the new window. */
  private Session merge(String key, long start, long end) {
    long mergedStart = start;
    long mergedEnd = end;
    for (Session s : overlapping) {
      mergedStart = Math.min(mergedStart, s.start);
      mergedEnd = Math.max(mergedEnd, s.end);
    }
    Session merged = new Session(key, mergedStart, mergedEnd, spec);
    List<Session> keySessions = sessionsByKey.get(key);
    for (Session s : overlapping) {
      merged.aggregate.merge(s.aggregate);
      merged.firings += s.firings;
      merged.hadLate |= s.hadLate;
      keySessions.remove(s);
      unschedule(fireTimers, s.fireAt, s);
      unschedule(cleanupTimers, cleanupTime(s.end - 1), s);
    }
    sessions -= overlapping.size() - 1;
    return merged;
  }

  @Override
  public void advanceWatermark(long newWatermark) {
    if (newWatermark <= watermark) {
      return;
    }
    watermark = newWatermark;
    while (!fireTimers.isEmpty() && fireTimers.firstKey() <= watermark) {
      for (Session s : fireTimers.pollFirstEntry().getValue()) {
        s.fireAt = Long.MIN_VALUE;
        if (emit == EmitPolicy.ON_TIME_AND_LATE) {
          fire(s, Pane.Timing.ON_TIME);
        }
      }
    }
    while (!cleanupTimers.isEmpty() && cleanupTimers.firstKey() <= watermark) {
      for (Session s : cleanupTimers.pollFirstEntry().getValue()) {
        if (emit == EmitPolicy.FINAL_ONLY) {
          fire(s, s.hadLate ? Pane.Timing.LATE : Pane.Timing.ON_TIME);
        }
        List<Session> keySessions = sessionsByKey.get(s.key);
        keySessions.remove(s);
        if (keySessions.isEmpty()) {
          sessionsByKey.remove(s.key);
        }
        sessions--;
        output.purged(s.key);
      }
    }
  }

  private void fire(Session s, Pane.Timing timing) {
    boolean isFinal = cleanupTime(s.end - 1) <= watermark;
    output.fire(s.key, new Window(s.start, s.end), s.aggregate, new Pane(s.firings, timing, isFinal), watermark);
    s.firings++;
    s.dirty = false;
  }

  @Override
  public void emitEarly() {
    for (List<Session> keySessions : sessionsByKey.values()) {
      for (Session s : keySessions) {
        if (s.dirty && s.end - 1 > watermark) {
          fire(s, Pane.Timing.EARLY);
        }
      }
    }
  }

  private long cleanupTime(long maxTimestamp) {
    return WindowOperator.saturatedAdd(maxTimestamp, allowedLateness);
  }

  private static void schedule(TreeMap<Long, LinkedHashSet<Session>> timers, long time, Session s) {
    timers.computeIfAbsent(time, t -> new LinkedHashSet<>()).add(s);
  }

  private static void unschedule(TreeMap<Long, LinkedHashSet<Session>> timers, long time, Session s) {
    LinkedHashSet<Session> at = timers.get(time);
    if (at != null && at.remove(s) && at.isEmpty()) {
      timers.remove(time);
    }
  }

  @Override
  public long watermark() {
    return watermark;
  }

  @Override
  public long activeKeyWindows() {
    return sessions;
  }

  @Override
  public int activeWindows() {
    return (int) Math.min(Integer.MAX_VALUE, sessions);
  }

  @Override
  public String typeName() {
    return "session";
  }

  @Override
  public List<KeyWindowView> view(String keyOrNull, int limit) {
    List<Session> selected = new ArrayList<>();
    if (keyOrNull != null) {
      selected.addAll(sessionsByKey.getOrDefault(keyOrNull, List.of()));
    } else {
      sessionsByKey.values().forEach(selected::addAll);
    }
    selected.sort(Comparator.comparingLong((Session s) -> s.end).thenComparing(s -> s.key));
    List<KeyWindowView> out = new ArrayList<>();
    for (Session s : selected.subList(0, Math.min(limit, selected.size()))) {
      out.add(KeyWindowView.of(s.key, new Window(s.start, s.end), s.aggregate, s.firings, cleanupTime(s.end - 1)));
    }
    return out;
  }

  @Override
  public void snapshot(java.util.Set<String> only, java.util.function.BiConsumer<String, byte[]> out) {
    if (only != null) {
      for (String key : only) {
        if (!sessionsByKey.containsKey(key)) {
          out.accept(key, null);
        }
      }
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(256);
    java.util.Collection<Map.Entry<String, List<Session>>> entries = sessionsByKey.entrySet();
    if (only != null && only.size() < sessionsByKey.size()) {
      // Few changed keys (writing behind): look them up instead of testing every key.
      entries = new ArrayList<>();
      for (String key : only) {
        List<Session> sessions = sessionsByKey.get(key);
        if (sessions != null) {
          entries.add(Map.entry(key, sessions));
        }
      }
    }
    for (Map.Entry<String, List<Session>> e : entries) {
      if (only != null && !only.contains(e.getKey())) {
        continue;
      }
      bytes.reset();
      try (java.io.DataOutputStream data = new java.io.DataOutputStream(bytes)) {
        data.writeInt(e.getValue().size());
        for (Session s : e.getValue()) {
          data.writeLong(s.start);
          data.writeLong(s.end);
          data.writeInt(s.firings);
          data.writeLong(s.fireAt);
          data.writeBoolean(s.dirty);
          data.writeBoolean(s.hadLate);
          s.aggregate.writeTo(data);
        }
      } catch (java.io.IOException impossible) {
        throw new java.io.UncheckedIOException(impossible);
      }
      out.accept(e.getKey(), bytes.toByteArray());
    }
  }

  @Override
  public void restoreKey(String key, byte[] state) {
    try (java.io.DataInputStream data = new java.io.DataInputStream(new java.io.ByteArrayInputStream(state))) {
      int n = data.readInt();
      List<Session> keySessions = new ArrayList<>(Math.max(2, n));
      for (int i = 0; i < n; i++) {
        long start = data.readLong();
        long end = data.readLong();
        Session s = new Session(key, start, end, data.readInt(), Accumulator.Spec.BASIC);
        s.fireAt = data.readLong();
        s.dirty = data.readBoolean();
        s.hadLate = data.readBoolean();
        s.restored(Accumulator.readFrom(data));
        if (cleanupTime(s.end - 1) <= watermark) {
          continue; // purged after the key was last written: it can never emit again
        }
        keySessions.add(s);
        sessions++;
        schedule(cleanupTimers, cleanupTime(s.end - 1), s);
        if (s.fireAt != Long.MIN_VALUE) {
          schedule(fireTimers, s.fireAt, s);
        }
      }
      if (!keySessions.isEmpty()) {
        sessionsByKey.put(key, keySessions);
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("state of key " + key + " is corrupt: " + e.getMessage(), e);
    }
  }

  @Override
  public void restoreWatermark(long restored) {
    watermark = restored;
  }

  @Override
  public long nextTimer(String key) {
    List<Session> keySessions = sessionsByKey.get(key);
    if (keySessions == null) {
      return NO_STATE;
    }
    long timer = Long.MAX_VALUE;
    for (Session s : keySessions) {
      timer = Math.min(timer, s.fireAt != Long.MIN_VALUE ? s.fireAt : cleanupTime(s.end - 1));
    }
    return timer;
  }

  @Override
  public long evict(String key) {
    List<Session> keySessions = sessionsByKey.remove(key);
    long timer = Long.MAX_VALUE;
    if (keySessions == null) {
      return timer;
    }
    for (Session s : keySessions) {
      unschedule(fireTimers, s.fireAt, s);
      unschedule(cleanupTimers, cleanupTime(s.end - 1), s);
      sessions--;
      timer = Math.min(timer, s.fireAt != Long.MIN_VALUE ? s.fireAt : cleanupTime(s.end - 1));
    }
    return timer;
  }

  @Override
  public long estimatedBytes() {
    long bytes = 0;
    for (List<Session> keySessions : sessionsByKey.values()) {
      for (Session s : keySessions) {
        bytes += 96 + s.aggregate.estimatedBytes();
      }
    }
    return bytes;
  }

  @Override
  public void forEachKey(java.util.function.Consumer<String> action) {
    sessionsByKey.keySet().forEach(action);
  }

  /** One key's session. Identity matters: it is a member of timer sets. */
  private static final class Session {
    final String key;
    final long start;
    final long end;
    Accumulator aggregate;
    int firings;
    long fireAt = Long.MIN_VALUE;
    boolean dirty;
    boolean hadLate;

    Session(String key, long start, long end, Accumulator.Spec spec) {
      this.aggregate = new Accumulator(spec);
      this.key = key;
      this.start = start;
      this.end = end;
    }

    Session(String key, long start, long end, int firings, Accumulator.Spec spec) {
      this(key, start, end, spec);
      this.firings = firings;
    }

    void restored(Accumulator a) {
      this.aggregate = a;
    }
  }
}
