package io.weir.sink;

/**
 * What a transactional sink pre-committed for one checkpoint, recorded in the checkpoint's
 * metadata so that any later process can finish the commit idempotently: the staged bytes in
 * {@code pending} are appended to {@code target}, which had {@code lengthBefore} committed bytes
 * and has {@code lengthAfter} once the commit is done.
 *
 * @param sink the sink id
 * @param checkpointId the checkpoint this transaction belongs to
 * @param target the file readers see (absolute path)
 * @param pending the staged, fsynced bytes of this transaction (absolute path), or null when the
 *     transaction is empty
 * @param lengthBefore committed length of {@code target} before this transaction
 * @param lengthAfter committed length of {@code target} after it
 * @param records records in this transaction
 */
public record SinkCommit(
    String sink,
    long checkpointId,
    String target,
    String pending,
    long lengthBefore,
    long lengthAfter,
    long records) {}
