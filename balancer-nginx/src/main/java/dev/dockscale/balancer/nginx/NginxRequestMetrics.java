package dev.dockscale.balancer.nginx;

import dev.dockscale.balancer.nginx.RequestWindow.ServiceLoad;
import dev.dockscale.metrics.Metric;
import dev.dockscale.metrics.MetricsSource;
import dev.dockscale.metrics.ReplicaMetrics;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request rate, requests in flight and latency per replica, read at the balancer: nginx logs each
 * request to a tmpfs in its container, and a thread of this source reads the new lines once a
 * second through the balancer's loopback port ({@link RequestLogTail}) into a window of the last
 * {@link #WINDOW_SECONDS} whole seconds ({@link RequestWindow}). {@link #read} never waits for
 * nginx: it answers from the latest window.
 *
 * <p>A replica is matched to nginx's upstream address by its IP on the project network. A replica
 * nginx sent no request in the window reads 0 requests per second and 0 in flight, and has no
 * latency; one first asked about less than a window ago has no reading yet (it may not have been
 * routed for the whole window, and a 0 would understate its share). When the log cannot be read, or
 * the latest read is older than {@link #STALE}, no replica has these readings and {@link
 * #troubles()} says why.
 */
public final class NginxRequestMetrics implements MetricsSource {

  private static final Logger LOG = LoggerFactory.getLogger(NginxRequestMetrics.class);

  /** Readings are over this many whole seconds. */
  public static final int WINDOW_SECONDS = 3;

  /** How often the log is read. */
  static final Duration EVERY = Duration.ofSeconds(1);

  /** A window older than this is not used. */
  static final Duration STALE = Duration.ofSeconds(3);

  private static final Set<Metric> PROVIDES =
      Set.of(Metric.RPS, Metric.ARRIVALS, Metric.INFLIGHT, Metric.LATENCY);

  private final RequestLogTail tail;

  /** The size of the log's tmpfs. */
  private final long logBytes;

  private final RequestWindow window = new RequestWindow(WINDOW_SECONDS);
  private final Clock clock;
  private final ScheduledExecutorService poller;
  private final Map<String, Asked> asked = new HashMap<>();

  /**
   * A replica not asked about for this long is forgotten (asked again, it is new): the longest
   * {@code interval} a config may set, so that a slow loop still gets readings. Replica ids are
   * never reused; this only bounds what is kept of replicas that are gone.
   */
  static final Duration ABSENT = Duration.ofHours(1);

  /** When a replica was first and last asked about. */
  private static final class Asked {
    final Instant first;
    Instant last;

    Asked(Instant first) {
      this.first = first;
    }
  }

  private volatile Snapshot latest = new Snapshot(Instant.EPOCH, Map.of(), "not read yet");

  /** What the last read of the log gave, and when; {@code problem} is null after a good read. */
  private record Snapshot(Instant at, Map<String, ServiceLoad> loads, String problem) {}

  /** Reads through {@code port}, the balancer's loopback port on 127.0.0.1 (0: none yet). */
  public NginxRequestMetrics(IntSupplier port, Clock clock) {
    this(new RequestLogTail(port), clock, true, NginxConfig.REQUEST_LOG_BYTES);
  }

  NginxRequestMetrics(RequestLogTail tail, Clock clock, boolean poll, long logBytes) {
    this.tail = tail;
    this.logBytes = logBytes;
    this.clock = clock;
    ScheduledThreadPoolExecutor s =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "dockscale-requests");
              t.setDaemon(true);
              return t;
            });
    s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.poller = s;
    if (poll) {
      poller.scheduleWithFixedDelay(this::pollQuietly, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      LOG.warn("reading the balancer's request log failed: {}", e.toString());
      latest = new Snapshot(clock.instant(), Map.of(), e.toString());
    }
  }

  /** Reads the new lines and makes the window of now. The poller thread calls it once a second. */
  void poll() {
    boolean wasPrimed = tail.primed();
    // Before the read: a line written while it runs belongs to a second not yet complete at now.
    Instant now = clock.instant();
    try {
      List<RequestLine> lines = tail.poll();
      if (!wasPrimed) {
        window.coveredFrom(now.toEpochMilli());
      }
      lines.forEach(window::add);
    } catch (IOException e) {
      String problem = "the balancer's request log cannot be read (" + e.getMessage() + ")";
      if (latest.problem() == null) {
        LOG.warn("{}: rps, inflight and latency have no reading until it can", problem);
      }
      latest = new Snapshot(clock.instant(), Map.of(), problem);
      return;
    }
    Map<String, ServiceLoad> loads = window.loads(now.toEpochMilli());
    if (tail.bytesHeld() > logBytes * 9 / 10) {
      // Two minutes of log fill the tmpfs (some 20,000 requests per second): once it is full
      // nginx logs no more, and a rate read from it would be too low to scale on.
      latest =
          new Snapshot(
              now,
              Map.of(),
              "the balancer's request log holds "
                  + tail.bytesHeld()
                  + " bytes of its tmpfs's "
                  + logBytes
                  + "; readings from a full log would be too low");
      return;
    }
    if (latest.problem() != null && !latest.problem().equals("not read yet")) {
      LOG.info("the balancer's request log is read again");
    }
    latest =
        new Snapshot(
            now,
            loads,
            window.covers(now.toEpochMilli())
                ? null
                : "the first "
                    + WINDOW_SECONDS
                    + " s of the balancer's request log are being read");
  }

  /**
   * A service's load over the latest window (every request of the service, with nginx's own 503s),
   * and when that window ended.
   */
  public Optional<ServiceWindow> service(String service) {
    Snapshot s = usable();
    if (s == null) {
      return Optional.empty();
    }
    ServiceLoad load = s.loads().get(service);
    return Optional.of(
        new ServiceWindow(
            Instant.ofEpochSecond(s.at().getEpochSecond()),
            load == null ? RequestLoad.idle() : load.total()));
  }

  /**
   * A service's load over the {@link #WINDOW_SECONDS} whole seconds before {@code end}.
   *
   * @param end the end of the window, a whole second, exclusive
   */
  public record ServiceWindow(Instant end, RequestLoad load) {}

  /** Lines of the log that could not be parsed, since the start. */
  public long badLines() {
    return tail.badLines();
  }

  private Snapshot usable() {
    Snapshot s = latest;
    if (s.problem() != null || Duration.between(s.at(), clock.instant()).compareTo(STALE) > 0) {
      return null;
    }
    return s;
  }

  @Override
  public synchronized Map<String, ReplicaMetrics> read(Collection<MeasuredReplica> replicas) {
    Instant now = clock.instant();
    asked.values().removeIf(a -> Duration.between(a.last, now).compareTo(ABSENT) > 0);
    replicas.forEach(r -> asked.computeIfAbsent(r.id(), id -> new Asked(now)).last = now);
    Snapshot s = usable();
    if (s == null) {
      return Map.of();
    }
    Instant windowStart = s.at().minusSeconds(WINDOW_SECONDS + 1);
    Map<String, ReplicaMetrics> result = new HashMap<>();
    for (MeasuredReplica r : replicas) {
      if (r.address().isEmpty() || asked.get(r.id()).first.isAfter(windowStart)) {
        continue;
      }
      ServiceLoad service = s.loads().get(r.service());
      RequestLoad load = service == null ? null : service.replicas().get(r.address());
      if (load == null) {
        load = RequestLoad.idle();
      }
      Map<Metric, Double> readings = new EnumMap<>(Metric.class);
      readings.put(Metric.RPS, load.rps());
      readings.put(Metric.ARRIVALS, load.arrivals());
      readings.put(Metric.INFLIGHT, load.inflight());
      load.p95Millis().ifPresent(p95 -> readings.put(Metric.LATENCY, p95));
      result.put(r.id(), new ReplicaMetrics(r.id(), s.at(), readings));
    }
    return result;
  }

  @Override
  public List<Trouble> troubles() {
    Snapshot s = latest;
    if (s.problem() != null) {
      return List.of(new Trouble(PROVIDES, s.problem()));
    }
    Duration age = Duration.between(s.at(), clock.instant());
    if (age.compareTo(STALE) > 0) {
      return List.of(
          new Trouble(
              PROVIDES, "the balancer's request log was last read " + age.toMillis() + " ms ago"));
    }
    return List.of();
  }

  @Override
  public void close() {
    poller.shutdownNow();
    tail.close();
  }
}
