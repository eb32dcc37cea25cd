package dev.dockscale.balancer.nginx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Requests of the last few whole seconds, per service and per replica, from nginx's request log:
 * the lines go into a bucket per second of their end; {@link #loads} sums the {@code seconds}
 * complete seconds before a moment. A second is complete once it is over, because dockscale reads
 * what nginx wrote up to the moment it reads.
 *
 * <p>Request rate is requests ended per second. Requests in flight are by Little's law: the time
 * requests spent, summed over those that ended in the window, per second of the window (at the
 * replica, the upstream time; for the service, nginx's whole request time, which includes requests
 * nginx answered itself). Requests still running at the window's end are not in it until they end,
 * so a replica that hangs shows as fewer requests, not as more in flight. Latency percentiles are
 * of the upstream time, from HdrHistogram (two significant digits, 1 ms to an hour).
 *
 * <p>Arrivals are estimated from when the requests that ended in the window started (their end less
 * nginx's request time): a replica answers its requests about in the order they came, so while a
 * backlog grows, the {@code n} requests answered in the window started closer together than they
 * ended. The rate is {@code n} over the span of their starts, widened by one mean gap at each end
 * ({@code span * (n + 1) / (n - 1)}, which makes it {@code n / window} on average when there is no
 * backlog). With fewer than {@link #FEW} requests the estimate is too loose, and arrivals read as
 * the request rate.
 */
final class RequestWindow {

  private static final long HIGHEST_MILLIS = 3_600_000;

  /** Below this many requests in a window, arrivals are not estimated. */
  static final int FEW = 10;

  private final int seconds;

  /** Buckets by epoch second of the requests' end. */
  private final TreeMap<Long, Map<Key, Tally>> buckets = new TreeMap<>();

  /** The first second whose every request was read: readings need a window after it. */
  private long coveredFrom = Long.MAX_VALUE;

  /** Seconds before this were dropped: a line of one of them arrived too late to count. */
  private long dropBefore = Long.MIN_VALUE;

  private long late;
  private final Histogram scratch = new Histogram(HIGHEST_MILLIS, 2);

  RequestWindow(int seconds) {
    if (seconds < 1) {
      throw new IllegalArgumentException("a window of at least 1 s, got " + seconds);
    }
    this.seconds = seconds;
  }

  /** Requests ending from {@code epochMillis} on are all read from now on. */
  void coveredFrom(long epochMillis) {
    coveredFrom = Math.floorDiv(epochMillis + 999, 1000);
  }

  /** Lines ended before the oldest second kept are counted as late and left out. */
  void add(RequestLine line) {
    long second = Math.floorDiv(line.endMillis(), 1000);
    if (second < dropBefore) {
      late++;
      return;
    }
    buckets
        .computeIfAbsent(second, s -> new HashMap<>())
        .computeIfAbsent(new Key(line.service(), line.upstreamHost()), k -> new Tally())
        .add(line);
  }

  long late() {
    return late;
  }

  /**
   * The load of the {@code seconds} whole seconds before {@code nowMillis}, per service; empty when
   * those seconds were not all read (right after the first read). Older buckets are dropped.
   */
  Map<String, ServiceLoad> loads(long nowMillis) {
    long end = Math.floorDiv(nowMillis, 1000);
    long start = end - seconds;
    buckets.headMap(start, false).clear();
    dropBefore = Math.max(dropBefore, start);
    if (start < coveredFrom) {
      return Map.of();
    }
    Map<Key, List<Tally>> byKey = new HashMap<>();
    for (Map<Key, Tally> bucket : buckets.subMap(start, true, end, false).values()) {
      bucket.forEach((k, t) -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(t));
    }
    Map<String, List<Tally>> byService = new HashMap<>();
    Map<String, Map<String, RequestLoad>> replicas = new HashMap<>();
    byKey.forEach(
        (k, tallies) -> {
          byService.computeIfAbsent(k.service(), s -> new ArrayList<>()).addAll(tallies);
          if (!k.host().isEmpty()) {
            replicas
                .computeIfAbsent(k.service(), s -> new HashMap<>())
                .put(k.host(), load(tallies, true));
          }
        });
    Map<String, ServiceLoad> result = new HashMap<>();
    byService.forEach(
        (service, tallies) ->
            result.put(
                service,
                new ServiceLoad(load(tallies, false), replicas.getOrDefault(service, Map.of()))));
    return result;
  }

  /** Whether the window before {@code nowMillis} was all read. */
  boolean covers(long nowMillis) {
    return Math.floorDiv(nowMillis, 1000) - seconds >= coveredFrom;
  }

  private RequestLoad load(List<Tally> tallies, boolean atReplica) {
    long requests = 0;
    long errors = 0;
    long busyMillis = 0;
    long firstStart = Long.MAX_VALUE;
    long lastStart = Long.MIN_VALUE;
    scratch.reset();
    for (Tally t : tallies) {
      firstStart = Math.min(firstStart, t.firstStart);
      lastStart = Math.max(lastStart, t.lastStart);
      requests += t.requests;
      errors += t.errors;
      busyMillis += atReplica ? t.upstreamMillis : t.requestMillis;
      for (int i = 0; i < t.latencies.size(); i++) {
        scratch.recordValue(Math.min(HIGHEST_MILLIS, t.latencies.get(i)));
      }
    }
    boolean any = scratch.getTotalCount() > 0;
    double rps = requests / (double) seconds;
    return new RequestLoad(
        requests,
        errors,
        rps,
        arrivals(requests, lastStart - firstStart, rps),
        busyMillis / 1000.0 / seconds,
        any ? OptionalDouble.of(scratch.getValueAtPercentile(50)) : OptionalDouble.empty(),
        any ? OptionalDouble.of(scratch.getValueAtPercentile(95)) : OptionalDouble.empty());
  }

  private static double arrivals(long requests, long spanMillis, double rps) {
    if (requests < FEW || spanMillis <= 0) {
      return rps;
    }
    return requests * 1000.0 / (spanMillis * (requests + 1.0) / (requests - 1.0));
  }

  /** A service's load, and its replicas' by IP address (replicas without a request are absent). */
  record ServiceLoad(RequestLoad total, Map<String, RequestLoad> replicas) {}

  private record Key(String service, String host) {}

  /** The requests of one second for one service and replica. */
  private static final class Tally {
    long requests;
    long errors;
    long requestMillis;
    long upstreamMillis;
    long firstStart = Long.MAX_VALUE;
    long lastStart = Long.MIN_VALUE;
    final IntList latencies = new IntList();

    void add(RequestLine line) {
      long start = line.endMillis() - line.requestMillis();
      firstStart = Math.min(firstStart, start);
      lastStart = Math.max(lastStart, start);
      requests++;
      if (line.status() >= 500) {
        errors++;
      }
      requestMillis += line.requestMillis();
      if (line.upstreamMillis() >= 0) {
        upstreamMillis += line.upstreamMillis();
        latencies.add((int) Math.min(Integer.MAX_VALUE, line.upstreamMillis()));
      }
    }
  }

  /** Upstream times of a second, kept until the histogram of a window is made of them. */
  private static final class IntList {
    private int[] values = new int[16];
    private int size;

    void add(int value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    int size() {
      return size;
    }

    int get(int i) {
      return values[i];
    }
  }
}
