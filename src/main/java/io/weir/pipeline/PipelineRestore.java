package io.weir.pipeline;

import io.weir.checkpoint.ChannelState;
import java.util.List;

/**
 * What a pipeline resumes from: the checkpoint id, every source partition's offset and watermark,
 * and the operators' combined watermark (all operators see the same channel history, so they
 * share it). Keyed state is read from the restored state store.
 */
public record PipelineRestore(long checkpointId, List<ChannelState> channels, long watermark) {

  public ChannelState channel(int partition) {
    for (ChannelState c : channels) {
      if (c.partition() == partition) {
        return c;
      }
    }
    return null;
  }
}
