package io.weir.config;

import java.util.List;

/**
 * A file source: one source partition per file matched by {@code path} (a path or a glob such as
 * {@code data/in/*.jsonl}, files sorted by name). Offsets are line numbers (1-based; the CSV
 * header is line 1).
 *
 * @param files the matched files, resolved when the application starts (empty until then)
 * @param bounded true: the stream ends at the end of each file (replay); false: the files are
 *     tailed, and a rotated or truncated file is reopened from its start
 * @param keyField JSON pointer ({@code /user/id}) or top-level name of the key
 * @param timestampField epoch milliseconds or an ISO-8601 string with offset
 * @param valueField the aggregated number; an event without it is counted but not summed
 * @param idField optional producer id, or null
 * @param pollIntervalMs how often a tailed file at its end is checked for more lines
 */
public record FileSourceConfig(
    String id,
    String path,
    FileFormat format,
    boolean bounded,
    String keyField,
    String timestampField,
    String valueField,
    String idField,
    long pollIntervalMs,
    String deadLetter,
    List<String> files)
    implements SourceConfig {

  public FileSourceConfig {
    files = List.copyOf(files);
  }

  /** Line formats. */
  public enum FileFormat {
    JSONL,
    CSV
  }

  @Override
  public int partitions() {
    return Math.max(1, files.size());
  }

  public FileSourceConfig withFiles(List<String> matched) {
    return new FileSourceConfig(
        id, path, format, bounded, keyField, timestampField, valueField, idField, pollIntervalMs,
        deadLetter, matched);
  }
}
