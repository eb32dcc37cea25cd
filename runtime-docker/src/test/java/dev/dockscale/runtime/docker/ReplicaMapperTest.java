package dev.dockscale.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.engine.Replica;
import org.junit.jupiter.api.Test;

class ReplicaMapperTest {

  @Test
  void mapsEveryEngineStateAndTreatsAPausedContainerAsPaused() {
    assertThat(ReplicaMapper.state("created", false)).isEqualTo(Replica.State.CREATED);
    assertThat(ReplicaMapper.state("running", false)).isEqualTo(Replica.State.RUNNING);
    assertThat(ReplicaMapper.state("running", true)).isEqualTo(Replica.State.PAUSED);
    assertThat(ReplicaMapper.state("paused", false)).isEqualTo(Replica.State.PAUSED);
    assertThat(ReplicaMapper.state("restarting", false)).isEqualTo(Replica.State.RESTARTING);
    assertThat(ReplicaMapper.state("exited", false)).isEqualTo(Replica.State.EXITED);
    assertThat(ReplicaMapper.state("dead", false)).isEqualTo(Replica.State.EXITED);
    assertThat(ReplicaMapper.state(null, false)).isEqualTo(Replica.State.EXITED);
  }

  @Test
  void anOomKillSaysWhatToRaise() {
    assertThat(new Replica.Exit(137, true, "").describe())
        .isEqualTo("OOM-killed (exit code 137): raise resources.memory");
    assertThat(new Replica.Exit(1, false, "").describe()).isEqualTo("exited with code 1");
  }
}
