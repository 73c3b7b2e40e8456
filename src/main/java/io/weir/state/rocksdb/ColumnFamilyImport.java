package io.weir.state.rocksdb;

import io.weir.state.Durability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ExportImportFilesMetaData;
import org.rocksdb.ImportColumnFamilyOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A snapshot (a whole-instance RocksDB checkpoint) opened in a scratch directory so that one of
 * its column families can be imported into the live database. The snapshot is never written to:
 * its SST files, which RocksDB never modifies, are hard-linked into the scratch directory and the
 * small files RocksDB rewrites or appends to on open (MANIFEST, CURRENT, OPTIONS, logs) are
 * copied. {@link #close()} closes the scratch database (handles, database, options, in that
 * order) and deletes the scratch directory. Blocking; used by one thread.
 */
final class ColumnFamilyImport implements AutoCloseable {
  private final Path scratch;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final RocksDB db;
  private final ColumnFamilyHandle source;

  private ColumnFamilyImport(Path checkpoint, byte[] family, Path scratch) throws IOException, RocksDBException {
    this.scratch = scratch;
    linkOrCopy(checkpoint, scratch);
    this.dbOptions = new DBOptions();
    this.cfOptions = new ColumnFamilyOptions();
    List<byte[]> names;
    try (Options listOptions = new Options()) {
      names = RocksDB.listColumnFamilies(listOptions, scratch.toString());
    }
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    int index = -1;
    for (byte[] name : names) {
      if (Arrays.equals(name, family)) {
        index = descriptors.size();
      }
      descriptors.add(new ColumnFamilyDescriptor(name, cfOptions));
    }
    if (index < 0) {
      cfOptions.close();
      dbOptions.close();
      throw new IOException(
          "the snapshot has no column family '" + new String(family, StandardCharsets.UTF_8) + "'");
    }
    try {
      this.db = RocksDB.open(dbOptions, scratch.toString(), descriptors, handles);
    } catch (RocksDBException | RuntimeException e) {
      cfOptions.close();
      dbOptions.close();
      throw e;
    }
    this.source = handles.get(index);
  }

  /**
   * Opens the checkpoint in {@code checkpoint} through a new scratch directory.
   *
   * @param family name of the column family to import
   * @param scratch a directory that does not exist yet, on the same file system as the live
   *     database (so that links, not copies, are made)
   */
  static ColumnFamilyImport open(Path checkpoint, byte[] family, Path scratch) throws IOException, RocksDBException {
    try {
      return new ColumnFamilyImport(checkpoint, family, scratch);
    } catch (IOException | RocksDBException | RuntimeException e) {
      Durability.deleteTree(scratch);
      throw e;
    }
  }

  /**
   * Creates column family {@code target} in {@code live} holding the content of the source column
   * family, moving hard links of its files through {@code exportDir} (which must not exist; it is
   * deleted afterwards).
   */
  ColumnFamilyHandle importInto(RocksDB live, ColumnFamilyDescriptor target, Path exportDir)
      throws IOException, RocksDBException {
    if (isEmpty()) {
      // An export of an empty column family has no files, and RocksDB refuses to import none.
      return live.createColumnFamily(target);
    }
    try (Checkpoint checkpoint = Checkpoint.create(db);
        ExportImportFilesMetaData metadata = checkpoint.exportColumnFamily(source, exportDir.toString());
        ImportColumnFamilyOptions options = new ImportColumnFamilyOptions().setMoveFiles(true)) {
      return live.createColumnFamilyWithImport(target, options, metadata);
    } finally {
      Durability.deleteTree(exportDir);
    }
  }

  private boolean isEmpty() throws RocksDBException {
    try (RocksIterator it = db.newIterator(source)) {
      it.seekToFirst();
      boolean empty = !it.isValid();
      it.status();
      return empty;
    }
  }

  private static void linkOrCopy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(file.getFileName());
        if (file.getFileName().toString().endsWith(".sst")) {
          Files.createLink(target, file);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    cfOptions.close();
    dbOptions.close();
    Durability.deleteTree(scratch);
  }
}
