package io.weir.state.rocksdb;

import java.nio.charset.StandardCharsets;
import org.rocksdb.ColumnFamilyHandle;

/**
 * The column family that holds one pipeline's state, owned by the backend for the life of the
 * database. A restore replaces the column family by a freshly imported one, so the live name is
 * the pipeline id followed by {@code #<generation>} after the first restore. The handle is closed
 * by the backend before the database. Fields are read and written only by tasks of the pipeline's
 * store, which run one at a time; {@code synchronized} accessors publish them between the worker
 * threads of successive stores of the same pipeline.
 */
final class PipelineColumnFamily {
  final String pipelineId;
  private ColumnFamilyHandle handle;
  private int generation;
  private byte[] sweepCursor;

  PipelineColumnFamily(String pipelineId) {
    this.pipelineId = pipelineId;
  }

  /** The live handle, or null before the column family was created. */
  synchronized ColumnFamilyHandle handle() {
    return handle;
  }

  /** Installs a new live column family and returns the one it replaces (null if none). */
  synchronized ColumnFamilyHandle replace(ColumnFamilyHandle next) {
    ColumnFamilyHandle previous = handle;
    if (previous != null) {
      generation++;
    }
    handle = next;
    sweepCursor = null;
    return previous;
  }

  /** Name of the column family the next {@link #replace} installs. */
  synchronized byte[] nextName() {
    String name = handle == null ? pipelineId : pipelineId + "#" + (generation + 1);
    return name.getBytes(StandardCharsets.UTF_8);
  }

  /** Where the incremental TTL sweep continues; null to start from the first key. */
  synchronized byte[] sweepCursor() {
    return sweepCursor;
  }

  synchronized void sweepCursor(byte[] cursor) {
    this.sweepCursor = cursor;
  }
}
