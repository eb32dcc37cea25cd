package dev.dockscale.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.config.ServiceSpec;
import dev.dockscale.policy.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loop on a runtime that schedules replicas itself (Swarm), against a fake one and a manual
 * clock: the count is set, never a container started or stopped.
 */
class CountReconcilerTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Scheduler scheduler = new Scheduler(clock);
  private final Fakes.Balancer balancer = new Fakes.Balancer();
  private final Fakes.Metrics metrics = new Fakes.Metrics(new Fakes.Runtime(clock));
  private final Fakes.Probe probe = new Fakes.Probe();
  private final List<LoggedDecision> decisions = new ArrayList<>();
  private Controller controller;

  private Controller controller(ServiceSpec... services) {
    controller =
        new Controller(
            Fakes.config(services),
            scheduler,
            metrics,
            balancer,
            probe,
            clock,
            false,
            new Fakes.Direct());
    controller.onDecision(decisions::add);
    return controller;
  }

  @AfterEach
  void close() {
    if (controller != null) {
      controller.close();
    }
  }

  private void allServe() {
    scheduler.tasks.values().forEach(r -> probe.serving.add(r.name()));
    clock.advance(Prober.EAGER);
    controller.pollProbes();
    controller.repair();
  }

  private static ServiceStatus status(List<ServiceStatus> statuses, String service) {
    return statuses.stream().filter(s -> s.service().equals(service)).findFirst().orElseThrow();
  }

  @Test
  void createsTheServiceAtMinAndRoutesItsTasksOnlyOnceTheyAnswer() {
    metrics.defaultCpu = 40;
    List<ServiceStatus> s = controller(Fakes.service("web", "/", 2, 4)).tick();
    assertThat(scheduler.log).containsExactly("create web 2");
    assertThat(status(s, "web").acted()).containsExactly("created the service with 2 replica(s)");
    assertThat(balancer.backends("web")).isEmpty();

    allServe();
    assertThat(balancer.backends("web"))
        .containsExactly("p-web.1." + Scheduler.id(1), "p-web.2." + Scheduler.id(2));
    controller.tick();
    assertThat(scheduler.log).as("nothing more to set").hasSize(1);
  }

  @Test
  void scalesOutBySettingTheCountAndInOnlyOnADecidingPass() {
    controller(Fakes.service("web", "/", 1, 4)).tick();
    allServe();
    metrics.defaultCpu = 90;
    controller.tick();
    assertThat(scheduler.log).containsExactly("create web 1", "scale web 2");
    assertThat(decisions.get(decisions.size() - 1).scaled())
        .isEqualTo(new LoggedDecision.Scaled(1, 2));
    allServe();
    assertThat(balancer.backends("web")).hasSize(2);

    metrics.defaultCpu = 5;
    controller.repair();
    assertThat(scheduler.log).as("a repairing pass never scales in").hasSize(2);
    clock.advance(Duration.ofSeconds(3));
    controller.tick();
    assertThat(scheduler.log).endsWith("scale web 1");
    // The runtime picked the task to stop and told it to: it is routed no more.
    controller.repair();
    assertThat(balancer.backends("web")).containsExactly("p-web.1." + Scheduler.id(1));
  }

  @Test
  void aCountSomeoneElseRaisedIsLeftByRepairingPassesAndDecidedOnAtTheTick() {
    controller(Fakes.service("web", "/", 1, 4)).tick();
    allServe();
    scheduler.services.put(
        "web", new ServiceScheduler.Scheduled(3, scheduler.services.get("web").template()));
    metrics.defaultCpu = 40;
    controller.repair();
    assertThat(scheduler.log).containsExactly("create web 1");
    controller.tick();
    assertThat(scheduler.log).containsExactly("create web 1", "scale web 1");
  }

  @Test
  void aServiceFoundByItsLabelsHasOnlyItsCountSetAndOneDockscaleCreatedItsTemplateToo() {
    scheduler.adopt("web", 1);
    ServiceSpec web = Fakes.service("web", "/", 2, 4);
    controller(web).tick();
    assertThat(scheduler.log).containsExactly("scale web 2");

    scheduler.log.clear();
    scheduler.services.put("web", new ServiceScheduler.Scheduled(2, "old-template"));
    controller.tick();
    assertThat(scheduler.log).containsExactly("update web 2");
  }

  @Test
  void aServiceWhoseImageIsMissingIsNotCreatedAndSaysWhyWhileTheOthersRun() {
    scheduler.missingImages.add("ghost:1");
    List<ServiceStatus> s =
        controller(
                Fakes.service("web", "/", 1, 2), Fakes.service("ghost", "/ghost", "ghost:1", 1, 2))
            .tick();
    assertThat(scheduler.log).containsExactly("create web 1");
    assertThat(status(s, "ghost").problems()).anyMatch(p -> p.contains("ghost:1 not found"));
  }

  @Test
  void aFailedTaskTheRuntimeReportsIsTheServicesProblemUntilItIsHistory() {
    controller(Fakes.service("web", "/", 1, 2)).tick();
    scheduler.fail(1, "No such image: app:1");
    assertThat(status(controller.repair(), "web").problems())
        .containsExactly(
            "task p-web.1." + Scheduler.id(1) + " exited with code 1 (No such image: app:1)");
    scheduler.tasks.remove(Scheduler.id(1)); // history now: the runtime reports it no more
    assertThat(status(controller.repair(), "web").problems()).isEmpty();
  }

  @Test
  void aScaleTheRuntimeRefusesIsRecordedAsNotCarriedOutAndStopsNoOtherService() {
    controller(Fakes.service("web", "/", 1, 4), Fakes.service("api", "/api", 1, 4)).tick();
    allServe();
    scheduler.refuse.add("web");
    metrics.defaultCpu = 90;
    List<ServiceStatus> s = controller.tick();
    assertThat(status(s, "web").problems()).anyMatch(p -> p.contains("refused by the fake"));
    assertThat(scheduler.log).contains("scale api 2");
    LoggedDecision web =
        decisions.stream().filter(d -> d.service().equals("web")).reduce((a, b) -> b).orElseThrow();
    assertThat(web.decision().desired()).isEqualTo(2);
    assertThat(web.scaled()).as("nothing carried out").isNull();
  }

  @Test
  void aTemplateUpdateIsNotAScaleAndWaitsForItsImage() {
    controller(Fakes.service("web", "/", 1, 4)).tick();
    allServe();
    scheduler.services.put("web", new ServiceScheduler.Scheduled(1, "old-template"));
    scheduler.missingImages.add("app:2");
    controller.applyConfig(Fakes.config(Fakes.service("web", "/", "app:2", 1, 4)));
    List<ServiceStatus> s = controller.tick();
    assertThat(scheduler.log).containsExactly("create web 1");
    assertThat(status(s, "web").problems()).anyMatch(p -> p.contains("app:2 not found"));

    scheduler.missingImages.clear();
    controller.tick();
    assertThat(scheduler.log).containsExactly("create web 1", "update web 1");
    assertThat(decisions.get(decisions.size() - 1).scaled()).as("no count changed").isNull();
  }

  @Test
  void tasksThatWaitForANodeOrHaveNoAddressSayWhy() {
    controller(Fakes.service("web", "/", 2, 4)).tick();
    scheduler.pending(1, "no suitable node (insufficient resources on 1 node)");
    scheduler.unreachable(2);
    assertThat(status(controller.repair(), "web").problems())
        .anyMatch(p -> p.contains("is pending: no suitable node"))
        .anyMatch(p -> p.contains("has no address on network p-net"));
  }

  @Test
  void aRepairingPassKeepsWithinAMaxLoweredByAReload() {
    controller(Fakes.service("web", "/", 1, 4)).tick();
    allServe();
    metrics.defaultCpu = 90;
    controller.tick();
    controller.applyConfig(Fakes.config(Fakes.service("web", "/", 1, 1)));
    scheduler.log.clear();
    controller.repair();
    assertThat(scheduler.log).as("not back to the old decision's 2").isEmpty();
  }

  @Test
  void aPausedServiceKeepsItsCountUnderLoad() {
    controller(Fakes.service("web", "/", 1, 4)).tick();
    allServe();
    controller.pause("web", "test");
    metrics.defaultCpu = 95;
    controller.tick();
    assertThat(scheduler.log).containsExactly("create web 1");
    assertThat(decisions.get(decisions.size() - 1).decision().reason()).contains("paused by test");
  }

  @Test
  void aServiceNoLongerConfiguredIsHandedBackToTheRuntimeOnce() {
    controller(Fakes.service("web", "/", 1, 2), Fakes.service("api", "/api", 1, 2)).tick();
    controller.applyConfig(Fakes.config(Fakes.service("web", "/", 1, 2)));
    controller.repair();
    assertThat(scheduler.log).containsOnlyOnce("retire api");
    assertThat(balancer.routes.stream().map(Balancer.Route::service)).containsExactly("web");
  }

  /**
   * Sets counts and schedules at once: a new task runs at once, a scale-in tells the highest slots
   * to stop (they stay, draining, until a test removes them).
   */
  static final class Scheduler implements ServiceScheduler {
    final ManualClock clock;
    final Map<String, Scheduled> services = new LinkedHashMap<>();
    final Map<String, Replica> tasks = new LinkedHashMap<>();
    final Set<String> missingImages = new HashSet<>();
    final List<String> log = new ArrayList<>();
    final Set<String> refuse = new HashSet<>();
    private int next = 1;

    Scheduler(ManualClock clock) {
      this.clock = clock;
    }

    /** A 25-character task id, as Swarm's. */
    static String id(int n) {
      return String.format("%025d", n);
    }

    void adopt(String service, int replicas) {
      services.put(service, new Scheduled(replicas, ""));
      for (int i = 0; i < replicas; i++) {
        add(service, "");
      }
    }

    @Override
    public void ensureNetwork(String project, String network) {}

    @Override
    public synchronized List<Replica> replicas(String project, String network) {
      return List.copyOf(tasks.values());
    }

    @Override
    public ImageState prepareImage(String image) {
      return missingImages.contains(image)
          ? ImageState.failed("image " + image + " not found")
          : ImageState.PRESENT_STATE;
    }

    @Override
    public AutoCloseable watch(String project, Consumer<RuntimeEvent> onEvent) {
      return () -> {};
    }

    @Override
    public List<String> removeProject(String project, String network) {
      return List.of();
    }

    @Override
    public Optional<Scheduled> scheduled(String project, String service) {
      return Optional.ofNullable(services.get(service));
    }

    @Override
    public synchronized void scale(ServiceTemplate template, int replicas) {
      if (refuse.contains(template.service())) {
        throw new IllegalStateException("refused by the fake");
      }
      Scheduled was = services.get(template.service());
      if (was == null) {
        log.add("create " + template.service() + " " + replicas);
      } else if (was.created() && !was.template().equals(template.template())) {
        log.add("update " + template.service() + " " + replicas);
      } else {
        log.add("scale " + template.service() + " " + replicas);
      }
      String kept = was != null && !was.created() ? "" : template.template();
      services.put(template.service(), new Scheduled(replicas, kept));
      List<Replica> running =
          tasks.values().stream()
              .filter(t -> t.service().equals(template.service()) && t.active())
              .toList();
      for (int i = running.size(); i < replicas; i++) {
        add(template.service(), kept);
      }
      for (int i = replicas; i < running.size(); i++) {
        Replica r = running.get(i);
        tasks.put(
            r.id(), task(r.id(), r.service(), r.index(), Replica.State.RUNNING, true, r.exit()));
      }
    }

    @Override
    public void retire(String project, String service) {
      log.add("retire " + service);
    }

    private void add(String service, String template) {
      int n = next++;
      String id = id(n);
      tasks.put(id, task(id, service, n, Replica.State.RUNNING, false, null));
    }

    void pending(int n, String why) {
      Replica r = tasks.get(id(n));
      tasks.put(
          r.id(),
          task(
              r.id(),
              r.service(),
              r.index(),
              Replica.State.CREATED,
              false,
              new Replica.Exit(0, false, why)));
    }

    void unreachable(int n) {
      Replica r = tasks.get(id(n));
      tasks.put(
          r.id(),
          new Replica(
              r.id(),
              r.name(),
              r.service(),
              r.index(),
              r.state(),
              r.readiness(),
              "",
              r.createdAt(),
              r.startedAt(),
              false,
              false,
              "",
              "",
              false,
              0,
              null));
    }

    void fail(int n, String error) {
      String id = id(n);
      Replica r = tasks.get(id);
      tasks.put(
          id,
          task(
              id,
              r.service(),
              r.index(),
              Replica.State.EXITED,
              true,
              new Replica.Exit(1, false, error)));
    }

    private Replica task(
        String id,
        String service,
        int slot,
        Replica.State state,
        boolean stopping,
        Replica.Exit exit) {
      Instant now = clock.instant();
      return new Replica(
          id,
          "p-" + service + "." + slot + "." + id,
          service,
          slot,
          state,
          Replica.Readiness.UNKNOWN,
          "10.0.1." + slot,
          now,
          now,
          stopping,
          false,
          "",
          "",
          false,
          0,
          exit);
    }
  }
}
