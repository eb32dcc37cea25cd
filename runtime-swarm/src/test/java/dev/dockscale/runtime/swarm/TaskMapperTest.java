package dev.dockscale.runtime.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockscale.engine.Replica;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Swarm tasks (the Engine's JSON, as 20.10 answers it) read as replicas. */
class TaskMapperTest {

  private static final Instant NOW = Instant.parse("2026-11-27T06:00:00Z");
  private static final FoundService WEB =
      new FoundService("svc1", "shop-web", "web", 12, 2, "abc", true, null);

  private static Optional<Replica> map(String state, String desired, String timestamp)
      throws Exception {
    JsonNode task =
        new ObjectMapper()
            .readTree(
                """
                {"ID": "v9dyvuf9qk47f7m5o3ovir1z9", "Slot": 3, "ServiceID": "svc1",
                 "CreatedAt": "2026-11-27T05:59:00.123456789Z", "DesiredState": "%s",
                 "Status": {"Timestamp": "%s", "State": "%s", "Err": "%s",
                   "ContainerStatus": {"ContainerID": "c0ffee", "ExitCode": %d}},
                 "NetworksAttachments": [
                   {"Network": {"Spec": {"Name": "ingress"}}, "Addresses": ["10.0.0.9/24"]},
                   {"Network": {"Spec": {"Name": "shop-net"}}, "Addresses": ["10.0.1.5/24"]}]}
                """
                    .formatted(
                        desired,
                        timestamp,
                        state,
                        state.equals("failed") ? "task: non-zero exit (1)" : "",
                        state.equals("failed") ? 1 : 0));
    return TaskMapper.replica(task, WEB, "shop-net", NOW, Duration.ofMinutes(1));
  }

  @Test
  void aRunningTaskIsAReplicaNamedAsItsContainerAtItsAddressOnTheProjectNetwork() throws Exception {
    Replica r = map("running", "running", "2026-11-27T05:59:01.5Z").orElseThrow();
    assertThat(r.id()).isEqualTo("c0ffee");
    assertThat(r.name()).isEqualTo("shop-web.3.v9dyvuf9qk47f7m5o3ovir1z9");
    assertThat(r.service()).isEqualTo("web");
    assertThat(r.index()).isEqualTo(3);
    assertThat(r.address()).isEqualTo("10.0.1.5");
    assertThat(r.state()).isEqualTo(Replica.State.RUNNING);
    assertThat(r.active()).isTrue();
    assertThat(r.template()).isEqualTo("abc");
    assertThat(r.startedAt()).isEqualTo(Instant.parse("2026-11-27T05:59:01.5Z"));
  }

  @Test
  void aTaskToldToStopIsDrainingUntilItHasStopped() throws Exception {
    Replica r = map("running", "shutdown", "2026-11-27T05:59:01Z").orElseThrow();
    assertThat(r.draining()).isTrue();
    assertThat(r.active()).isFalse();
    assertThat(map("shutdown", "shutdown", "2026-11-27T05:59:58Z")).isEmpty();
    assertThat(map("complete", "shutdown", "2026-11-27T05:59:58Z")).isEmpty();
  }

  @Test
  void aStartingTaskIsCreatedAndOneThatWillNotRunIsHistory() throws Exception {
    assertThat(map("preparing", "running", "2026-11-27T05:59:59Z"))
        .map(Replica::state)
        .contains(Replica.State.CREATED);
    assertThat(map("pending", "shutdown", "2026-11-27T05:59:59Z")).isEmpty();
  }

  @Test
  void aTaskThatFailedIsShownWithItsErrorForAMinuteThenIsHistory() throws Exception {
    Replica r = map("failed", "shutdown", "2026-11-27T05:59:30Z").orElseThrow();
    assertThat(r.state()).isEqualTo(Replica.State.EXITED);
    assertThat(r.exit()).isEqualTo(new Replica.Exit(1, false, "task: non-zero exit (1)"));
    assertThat(map("failed", "shutdown", "2026-11-27T05:58:59Z")).isEmpty();
  }

  @Test
  void aTaskThatWaitsToStartSaysWhyAndFieldsTheEngineLeftOutAreNotGuessedAsTrouble()
      throws Exception {
    ObjectMapper json = new ObjectMapper();
    Replica pending =
        TaskMapper.replica(
                json.readTree(
                    """
                    {"ID": "v9dyvuf9qk47f7m5o3ovir1z9", "Slot": 1, "DesiredState": "running",
                     "Status": {"State": "pending", "Err": "no suitable node (1 node not available)"}}
                    """),
                WEB,
                "shop-net",
                NOW,
                Duration.ofMinutes(1))
            .orElseThrow();
    assertThat(pending.state()).isEqualTo(Replica.State.CREATED);
    assertThat(pending.exit().error()).isEqualTo("no suitable node (1 node not available)");
    assertThat(pending.draining()).as("no DesiredState: it is to run").isFalse();
    assertThat(
            TaskMapper.replica(
                json.readTree("{\"ID\": \"x\", \"Status\": {\"State\": \"failed\"}}"),
                WEB,
                "shop-net",
                NOW,
                Duration.ofMinutes(1)))
        .as("a failure of unknown time is history, not recent")
        .isEmpty();
    assertThat(
            TaskMapper.replica(
                json.readTree("{\"Status\": {\"State\": \"running\"}}"),
                WEB,
                "shop-net",
                NOW,
                Duration.ofMinutes(1)))
        .as("no task id")
        .isEmpty();
  }
}
