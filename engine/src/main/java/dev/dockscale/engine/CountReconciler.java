package dev.dockscale.engine;

import dev.dockscale.config.ServiceSpec;
import dev.dockscale.metrics.ReplicaMetrics;
import dev.dockscale.policy.Decision;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reconciles one service on a runtime that schedules its replicas itself ({@link
 * ServiceScheduler}): each pass takes the tasks as observed, asks the decision core how many there
 * should be (on deciding passes), and sets the service's count when it differs, creating the
 * service (or updating the template of one dockscale created) on the way. The runtime starts,
 * restarts and stops the tasks; on scale-in it picks which go, and the balancer stops routing to a
 * task from the pass that sees it told to stop.
 */
final class CountReconciler implements Reconciler {

  private final String project;
  private final String network;
  private final ServiceScheduler scheduler;
  private final Clock clock;
  private final boolean dryRun;
  private final Decider decider;
  private volatile ServiceSpec spec;

  CountReconciler(
      String project,
      String network,
      ServiceSpec spec,
      ServiceScheduler scheduler,
      Clock clock,
      boolean dryRun,
      Controls controls,
      Consumer<LoggedDecision> log) {
    this.project = project;
    this.network = network;
    this.spec = spec;
    this.scheduler = scheduler;
    this.clock = clock;
    this.dryRun = dryRun;
    this.decider = new Decider(spec.policy(), clock, controls, log);
  }

  @Override
  public ServiceSpec spec() {
    return spec;
  }

  @Override
  public void update(ServiceSpec changed) {
    decider.update(changed.policy());
    this.spec = changed;
  }

  @Override
  public ServiceStatus reconcile(
      List<Replica> observed,
      Map<String, ReplicaMetrics> readings,
      boolean decide,
      Map<String, Prober.State> probed) {
    Instant now = clock.instant();
    List<String> acted = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<Replica> active =
        observed.stream()
            .filter(Replica::active)
            .sorted(Comparator.comparingInt(Replica::index))
            .toList();
    Decider.Pass pass = decider.pass(spec, Decider.views(active, readings), decide, now);
    Decision decision = pass.decision();
    boolean decided = pass.decided();
    taskProblems(observed, problems);
    LoggedDecision.Scaled scaled = null;
    if (!dryRun) {
      ServiceTemplate template = Templates.service(project, network, spec);
      Optional<ServiceScheduler.Scheduled> scheduled = scheduler.scheduled(project, spec.name());
      int set = scheduled.map(ServiceScheduler.Scheduled::replicas).orElse(0);
      // A pass on an event only repairs: it never scales in.
      int target = decided ? pass.desired() : Math.max(pass.desired(), set);
      boolean outdated =
          scheduled.isPresent()
              && scheduled.get().created()
              && !scheduled.get().template().equals(template.template());
      if (scheduled.isEmpty() || target != set || outdated) {
        if (mayCreateOrUpdate(scheduled, outdated, problems)) {
          try {
            scheduler.scale(template, target);
          } catch (RuntimeException e) {
            if (decided) {
              problems.add(e.getMessage());
              decider.notCarriedOut(spec, decision, problems);
              decider.record(spec, decision, null);
            }
            throw e;
          }
          acted.add(describe(scheduled, set, target, outdated));
          if (decided && target != set) {
            scaled = decider.confirm(spec, decision, set, target);
          }
        } else if (decided) {
          decider.notCarriedOut(spec, decision, problems);
        }
      }
    }
    if (decided) {
      decider.record(spec, decision, scaled);
    }
    return new ServiceStatus(spec.name(), observed, decision, acted, problems);
  }

  /**
   * A service is created, or updated to a new template, only from an image that is there (on this
   * node: other nodes get it from a registry); setting a count needs no image.
   */
  private boolean mayCreateOrUpdate(
      Optional<ServiceScheduler.Scheduled> scheduled, boolean outdated, List<String> problems) {
    if (scheduled.isPresent() && !outdated) {
      return true;
    }
    ReplicaRuntime.ImageState image = scheduler.prepareImage(spec.image());
    if (!image.present()) {
      problems.add(image.message());
    }
    return image.present();
  }

  private static String describe(
      Optional<ServiceScheduler.Scheduled> scheduled, int set, int target, boolean outdated) {
    if (scheduled.isEmpty()) {
      return "created the service with " + target + " replica(s)";
    }
    String count = set == target ? "" : "set " + set + " -> " + target + " replica(s)";
    if (outdated) {
      return "updated the service to the new template" + (count.isEmpty() ? "" : ", " + count);
    }
    return count;
  }

  /**
   * What keeps tasks from serving, as problems: the latest failed task the runtime reports (it
   * retries them), a task it cannot place, and a running task with no address on the project's
   * network (a service found by its labels that is not attached to it).
   */
  private void taskProblems(List<Replica> observed, List<String> problems) {
    observed.stream()
        .filter(r -> r.state() == Replica.State.EXITED && r.exit() != Replica.Exit.NONE)
        .max(Comparator.comparing(Replica::startedAt))
        .ifPresent(r -> problems.add("task " + r.name() + " " + r.exit().describe()));
    observed.stream()
        .filter(r -> r.state() == Replica.State.CREATED && !r.exit().error().isEmpty())
        .findFirst()
        .ifPresent(r -> problems.add("task " + r.name() + " is pending: " + r.exit().error()));
    observed.stream()
        .filter(r -> r.active() && r.state() == Replica.State.RUNNING && r.address().isEmpty())
        .findFirst()
        .ifPresent(
            r ->
                problems.add(
                    "task "
                        + r.name()
                        + " has no address on network "
                        + network
                        + ", where the balancer reaches it: attach its service (docker service update --network-add "
                        + network
                        + ")"));
  }

  @Override
  public void recall(LoggedDecision past) {
    decider.recall(past);
  }

  /** The tasks that should take traffic: told to run, running, probed ready. */
  @Override
  public List<Balancer.Backend> backends(ServiceStatus status) {
    return status.replicas().stream()
        .filter(r -> r.active() && r.ready())
        .sorted(Comparator.comparingInt(Replica::index))
        .map(r -> new Balancer.Backend(r.name(), r.address(), spec.port()))
        .toList();
  }
}
