package dev.dockscale.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockscale.config.ServiceSpec;
import dev.dockscale.metrics.Metric;
import dev.dockscale.policy.Behavior;
import dev.dockscale.policy.Decision;
import dev.dockscale.policy.ManualClock;
import dev.dockscale.policy.ReplicaView;
import dev.dockscale.policy.ScalingPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision log on disk: appended, rotated at its cap, read back whatever a crash left. */
class DecisionJournalTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  private static LoggedDecision decision(long seq, String service, int desired) {
    Decision d =
        Decision.scaleTo(
            T0.plusSeconds(seq),
            1,
            1,
            desired,
            "scale up: cpu 90.0% over 1 replica(s) asks " + desired,
            List.of(new Decision.Proposal("cpu", "threshold", 90.0, 1, desired, false, "")),
            List.of(),
            List.of(ReplicaView.of("p-web-1", T0, true, Map.of(Metric.CPU, 90.0))));
    return new LoggedDecision(seq, service, d, new LoggedDecision.Scaled(1, desired), "0123abcd");
  }

  @Test
  void aDecisionReadsBackAsItWasWritten() {
    LoggedDecision d = decision(7, "web", 2);
    try (DecisionJournal journal = new DecisionJournal(dir)) {
      journal.append(d);
    }
    assertThat(new DecisionJournal(dir).load().decisions()).containsExactly(d);
  }

  @Test
  void rotatesAtItsCapAndKeepsOnlyTheRotatedFilesItIsToldOf() throws IOException {
    try (DecisionJournal journal = new DecisionJournal(dir, 2048, 2)) {
      for (int i = 1; i <= 40; i++) {
        journal.append(decision(i, "web", 2));
      }
    }
    assertThat(dir.resolve("decisions.jsonl")).exists();
    assertThat(dir.resolve("decisions.1.jsonl")).exists();
    assertThat(dir.resolve("decisions.2.jsonl")).exists();
    assertThat(dir.resolve("decisions.3.jsonl")).doesNotExist();
    for (String f : List.of("decisions.jsonl", "decisions.1.jsonl", "decisions.2.jsonl")) {
      assertThat(Files.size(dir.resolve(f))).isLessThanOrEqualTo(2048);
    }
    List<LoggedDecision> loaded = new DecisionJournal(dir, 2048, 2).load().decisions();
    // The newest survive, oldest first and without a gap; the oldest went with the third file.
    assertThat(loaded.get(loaded.size() - 1).seq()).isEqualTo(40);
    assertThat(loaded.get(0).seq()).isGreaterThan(1);
    for (int i = 1; i < loaded.size(); i++) {
      assertThat(loaded.get(i).seq()).isEqualTo(loaded.get(i - 1).seq() + 1);
    }
  }

  @Test
  void aCorruptOrTruncatedLineIsSkippedAndTheRestRead() throws IOException {
    try (DecisionJournal journal = new DecisionJournal(dir)) {
      journal.append(decision(1, "web", 2));
    }
    Path file = dir.resolve("decisions.jsonl");
    Files.writeString(file, "not json\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    try (DecisionJournal journal = new DecisionJournal(dir)) {
      journal.append(decision(2, "web", 3));
    }
    String whole = Json.mapper().writeValueAsString(decision(3, "web", 4));
    // A crash in the middle of a line.
    Files.writeString(
        file,
        whole.substring(0, whole.length() / 2),
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    assertThat(new DecisionJournal(dir).load().decisions())
        .extracting(LoggedDecision::seq)
        .containsExactly(1L, 2L);
    assertThat(new DecisionJournal(dir).load().skipped())
        .hasSize(2)
        .allMatch(p -> p.contains(file.toString()) && p.contains("skipped, not a decision record"))
        .anyMatch(p -> p.startsWith(file + ":2: "))
        .anyMatch(p -> p.startsWith(file + ":4: "));

    // Appending after the cut keeps the next decision readable.
    try (DecisionJournal journal = new DecisionJournal(dir)) {
      journal.append(decision(4, "web", 2));
    }
    assertThat(new DecisionJournal(dir).load().decisions())
        .extracting(LoggedDecision::seq)
        .containsExactly(1L, 2L, 4L);
  }

  @Test
  void aByteThatIsNotUtf8CostsItsLineNotTheRestOfTheFile() throws IOException {
    Path file = dir.resolve("decisions.jsonl");
    Files.createDirectories(dir);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write((Json.mapper().writeValueAsString(decision(1, "web", 2)) + "\n").getBytes(UTF_8));
    bytes.write(0xFF);
    bytes.write((Json.mapper().writeValueAsString(decision(2, "web", 3)) + "\n").getBytes(UTF_8));
    bytes.write((Json.mapper().writeValueAsString(decision(3, "web", 4)) + "\n").getBytes(UTF_8));
    Files.write(file, bytes.toByteArray());

    DecisionJournal.History h = new DecisionJournal(dir).load();
    assertThat(h.decisions()).extracting(LoggedDecision::seq).containsExactly(1L, 3L);
    assertThat(h.skipped()).singleElement().asString().startsWith(file + ":2: ");
  }

  @Test
  void aLineLongerThanAnyDecisionIsSkippedUnread() throws IOException {
    Path file = dir.resolve("decisions.jsonl");
    Files.createDirectories(dir);
    String huge = "x".repeat(DecisionJournal.MAX_LINE + 10);
    Files.writeString(
        file,
        Json.mapper().writeValueAsString(decision(1, "web", 2))
            + "\n"
            + huge
            + "\n"
            + Json.mapper().writeValueAsString(decision(2, "web", 3))
            + "\n",
        UTF_8);

    DecisionJournal.History h = new DecisionJournal(dir).load();
    assertThat(h.decisions()).extracting(LoggedDecision::seq).containsExactly(1L, 2L);
    assertThat(h.skipped())
        .singleElement()
        .asString()
        .startsWith(file + ":2: ")
        .contains("longer than");
  }

  @Test
  void aSecondDockscaleCannotTakeAJournalInUse() {
    try (DecisionJournal first = new DecisionJournal(dir)) {
      first.lock();
      DecisionJournal second = new DecisionJournal(dir);
      assertThatThrownBy(second::lock)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(dir.toString())
          .hasMessageContaining("in use by another dockscale")
          .hasMessageContaining("another state.dir");
    }
    // Released at close: the next start takes it.
    try (DecisionJournal again = new DecisionJournal(dir)) {
      again.lock();
    }
  }

  @Test
  void nothingWrittenYetLoadsAsNoHistory() {
    assertThat(new DecisionJournal(dir.resolve("absent")).load().decisions()).isEmpty();
  }

  private static ServiceSpec withCooldown(Duration upCooldown) {
    ScalingPolicy cpu = Fakes.service("web", "/", 1, 4).policy();
    return Fakes.service("web", "/", 1, 4)
        .withPolicy(
            new ScalingPolicy(
                "test", 1, 4, cpu.rules(), Behavior.none().withUpCooldown(upCooldown)));
  }

  /** A first run of {@code spec}: web scales 1 -> 2 at 90 % CPU, its decisions in the journal. */
  private void scaleUpOnce(
      ServiceSpec spec,
      Fakes.Runtime runtime,
      Fakes.Metrics metrics,
      Fakes.Probe probe,
      ManualClock clock) {
    try (DecisionJournal journal = new DecisionJournal(dir);
        Controller first = controller(spec, runtime, metrics, probe, clock)) {
      first.onDecision(journal::append);
      first.tick();
      runtime.containers.values().forEach(r -> probe.serving.add(r.name()));
      clock.advance(Prober.EAGER);
      first.pollProbes();
      metrics.cpu.put("web", 90.0);
      first.tick();
      assertThat(runtime.count("web")).isEqualTo(2);
    }
  }

  @Test
  void aRestartUnderAnotherPolicyDoesNotRecallTheOldPolicysCooldown() {
    ManualClock clock = new ManualClock(T0);
    Fakes.Runtime runtime = new Fakes.Runtime(clock);
    Fakes.Metrics metrics = new Fakes.Metrics(runtime);
    Fakes.Probe probe = new Fakes.Probe();
    scaleUpOnce(withCooldown(Duration.ofSeconds(60)), runtime, metrics, probe, clock);

    clock.advance(Duration.ofSeconds(30));
    ServiceSpec changed = withCooldown(Duration.ofSeconds(50));
    try (Controller second = controller(changed, runtime, metrics, probe, clock)) {
      second.remember(new DecisionJournal(dir).load().decisions());
      // The log still shows the earlier decisions.
      assertThat(second.decisions("web", null, null, 10).decisions()).hasSize(2);
      runtime.containers.values().forEach(r -> probe.serving.add(r.name()));
      second.pollProbes();
      Decision d = second.tick().get(0).decision();
      // A fresh core, as a reload to this policy would make: no recalled cooldown.
      assertThat(d.desired()).as(d.line()).isEqualTo(3);
      assertThat(d.adjustments()).isEmpty();
    }
  }

  @Test
  void aRestartedControllerShowsTheHistoryAndContinuesTheCooldownWhereItWas() {
    ManualClock clock = new ManualClock(T0);
    Fakes.Runtime runtime = new Fakes.Runtime(clock);
    Fakes.Metrics metrics = new Fakes.Metrics(runtime);
    Fakes.Probe probe = new Fakes.Probe();
    ServiceSpec spec = withCooldown(Duration.ofSeconds(60));
    scaleUpOnce(spec, runtime, metrics, probe, clock);

    clock.advance(Duration.ofSeconds(30));
    try (Controller second = controller(spec, runtime, metrics, probe, clock)) {
      second.remember(new DecisionJournal(dir).load().decisions());
      assertThat(second.decisions("web", null, null, 10).decisions()).hasSize(2);
      runtime.containers.values().forEach(r -> probe.serving.add(r.name()));
      second.pollProbes();
      Decision held = second.tick().get(0).decision();
      assertThat(held.desired()).as(held.line()).isEqualTo(2);
      assertThat(held.reason()).contains("cooldown.up 1m");
      // Sequence numbers go on from the earlier run's.
      assertThat(second.decisions("web", null, null, 1).decisions().get(0).seq()).isEqualTo(3);

      clock.advance(Duration.ofSeconds(31));
      assertThat(second.tick().get(0).decision().desired()).isEqualTo(3);
    }
  }

  private static Controller controller(
      ServiceSpec spec,
      Fakes.Runtime runtime,
      Fakes.Metrics metrics,
      Fakes.Probe probe,
      ManualClock clock) {
    return new Controller(
        Fakes.config(spec),
        runtime,
        metrics,
        new Fakes.Balancer(),
        probe,
        clock,
        false,
        new Fakes.Direct());
  }
}
