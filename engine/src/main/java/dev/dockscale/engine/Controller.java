package dev.dockscale.engine;

import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.config.ServiceSpec;
import dev.dockscale.metrics.MetricsSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The reconcile loop: every {@code interval}, each service is reconciled in turn (so at most one
 * reconcile is in flight per service), then the balancer is made to route exactly the ready
 * replicas. A failing tick is retried after a back-off (interval doubling, capped at 30 s); nothing
 * running is touched because of it.
 */
public final class Controller implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final DockscaleConfig config;
  private final ContainerRuntime runtime;
  private final Balancer balancer;
  private final boolean dryRun;
  private final List<ServiceReconciler> reconcilers = new ArrayList<>();
  private final List<Consumer<List<ServiceStatus>>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService loop;
  private final ExecutorService stopper;
  private int failures;
  private volatile boolean closed;

  public Controller(
      DockscaleConfig config,
      ContainerRuntime runtime,
      MetricsSource metrics,
      Balancer balancer,
      Clock clock,
      boolean dryRun) {
    this.config = config;
    this.runtime = runtime;
    this.balancer = balancer;
    this.dryRun = dryRun;
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "dockscale-loop"));
    this.stopper = Executors.newCachedThreadPool(r -> daemon(r, "dockscale-stop"));
    for (ServiceSpec spec : config.services().values()) {
      reconcilers.add(
          new ServiceReconciler(
              config.project(),
              config.networkName(),
              spec,
              runtime,
              metrics,
              clock,
              dryRun,
              stopper));
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Called after every tick with each service's status. */
  public void onTick(Consumer<List<ServiceStatus>> listener) {
    listeners.add(listener);
  }

  public void start() {
    loop.execute(this::tickAndReschedule);
  }

  private void tickAndReschedule() {
    if (closed) {
      return;
    }
    Duration next = config.interval();
    try {
      tick();
      failures = 0;
    } catch (RuntimeException e) {
      failures++;
      next = backoff(config.interval(), failures);
      LOG.warn(
          "tick failed ({} in a row), next try in {}: {}",
          failures,
          dev.dockscale.policy.Durations.format(next),
          e.toString());
    }
    if (!closed) {
      loop.schedule(this::tickAndReschedule, next.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  static Duration backoff(Duration interval, int failures) {
    Duration d = interval.multipliedBy(1L << Math.min(failures, 10));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  /** One pass over every service, then the balancer. Public for tests and one-shot use. */
  public List<ServiceStatus> tick() {
    if (!dryRun) {
      runtime.ensureNetwork(config.project(), config.networkName());
      balancer.ensureRunning();
    }
    List<ServiceStatus> statuses = new ArrayList<>();
    List<Balancer.Route> routes = new ArrayList<>();
    for (ServiceReconciler reconciler : reconcilers) {
      MDC.put("service", reconciler.spec().name());
      try {
        ServiceStatus status = reconciler.reconcile();
        statuses.add(status);
        routes.add(
            new Balancer.Route(
                reconciler.spec().name(), reconciler.spec().path(), reconciler.backends(status)));
      } finally {
        MDC.remove("service");
      }
    }
    if (!dryRun) {
      Balancer.Outcome outcome = balancer.apply(routes);
      if (outcome != Balancer.Outcome.REJECTED) {
        for (int i = 0; i < reconcilers.size(); i++) {
          reconcilers.get(i).balancerConfirmed(statuses.get(i));
        }
      }
    }
    for (Consumer<List<ServiceStatus>> listener : listeners) {
      try {
        listener.accept(statuses);
      } catch (RuntimeException e) {
        LOG.warn("tick listener failed: {}", e.toString());
      }
    }
    return statuses;
  }

  /** Stops the loop; the replicas and the balancer keep serving. */
  @Override
  public void close() {
    closed = true;
    loop.shutdown();
    try {
      loop.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopper.shutdown();
    try {
      stopper.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
