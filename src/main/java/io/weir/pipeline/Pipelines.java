package io.weir.pipeline;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The pipelines of this process, by id, in configuration order. Immutable once built. */
public final class Pipelines {
  private final Map<String, PipelineRuntime> byId;

  public Pipelines(Collection<PipelineRuntime> pipelines) {
    Map<String, PipelineRuntime> map = new LinkedHashMap<>();
    for (PipelineRuntime p : pipelines) {
      map.put(p.id(), p);
    }
    this.byId = Collections.unmodifiableMap(map);
  }

  public Optional<PipelineRuntime> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public Collection<PipelineRuntime> all() {
    return byId.values();
  }
}
