package io.weir.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DedupFilterTest {

  @Test
  void anIdSeenWithinTheHorizonIsADuplicateUntilTheWatermarkPassesItsTimePlusTheHorizon() {
    DedupFilter f = new DedupFilter(100);
    assertThat(f.firstSeen("k", "e1", 1_000)).isTrue();
    assertThat(f.firstSeen("k", "e1", 1_000)).isFalse();
    assertThat(f.firstSeen("k", "e2", 1_010)).isTrue();
    assertThat(f.firstSeen("other", "e1", 1_000)).as("ids are scoped by key").isTrue();
    Set<String> changed = new HashSet<>();
    f.expire(1_099, changed); // 1000 + 100 > 1099: still remembered
    assertThat(changed).isEmpty();
    assertThat(f.firstSeen("k", "e1", 1_000)).isFalse();
    f.expire(1_100, changed);
    assertThat(changed).containsExactlyInAnyOrder("k", "other");
    assertThat(f.size()).isEqualTo(1); // e2 of k
    assertThat(f.firstSeen("k", "e1", 1_000)).as("forgotten after the horizon").isTrue();
  }

  @Test
  void snapshotAndRestoreKeepTheRememberedIds() {
    DedupFilter f = new DedupFilter(1_000);
    f.firstSeen("k", "a", 5);
    f.firstSeen("k", "b", 6);
    assertThat(f.snapshot("none")).isNull();
    DedupFilter restored = new DedupFilter(1_000);
    restored.restore("k", f.snapshot("k"));
    assertThat(restored.size()).isEqualTo(2);
    assertThat(restored.firstSeen("k", "a", 5)).isFalse();
    assertThat(restored.firstSeen("k", "c", 7)).isTrue();
  }
}
