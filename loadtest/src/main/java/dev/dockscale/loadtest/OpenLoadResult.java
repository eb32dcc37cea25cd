package dev.dockscale.loadtest;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an open-model load saw, at the end or at any moment of it. Every arrival is counted once:
 * {@link #arrivals()} {@code = sent + dropped} and {@code sent = ok + failed() + timeouts +
 * inFlight}.
 *
 * @param sent requests handed to the HTTP client
 * @param ok 2xx answers
 * @param failures non-2xx answers ("status 503") and requests that got no answer, by exception
 *     ("ConnectException"); timeouts are apart
 * @param timeouts requests not answered within the per-request timeout
 * @param dropped arrivals not sent because the cap on requests in flight was reached: demand the
 *     client could not even offer, which a closed loop would have silently never sent
 * @param inFlight requests sent and not yet answered
 * @param resent requests sent once more because the server closed their connection before any byte
 *     of an answer, as nginx does to idle kept-alive connections when it reloads ({@link
 *     Unanswered}); each is counted once, in {@code ok}, {@code failures}, {@code timeouts} or
 *     {@code inFlight}, by how its second try ended so far
 * @param latencies of the 2xx answers, from each request's intended send time (so time spent
 *     waiting behind a late client counts: no coordinated omission)
 * @param sendLag how late the client sent each request after its intended time: if this grows, the
 *     generator, not the server, limits the load
 * @param slo the latency bound asked for
 * @param withinSlo 2xx answers within {@code slo} (from the intended time), as a share of the
 *     arrivals; 0 when nothing arrived
 */
public record OpenLoadResult(
    long sent,
    long ok,
    Map<String, Long> failures,
    long timeouts,
    long dropped,
    long inFlight,
    long resent,
    Latencies latencies,
    Latencies sendLag,
    Duration slo,
    double withinSlo) {

  public OpenLoadResult {
    failures = Map.copyOf(failures);
    if (sent < 0 || ok < 0 || timeouts < 0 || dropped < 0 || inFlight < 0 || resent < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    if (ok + failed(failures) + timeouts + inFlight != sent) {
      throw new IllegalArgumentException(
          "sent "
              + sent
              + " != ok + failed + timeouts + in flight: "
              + ok
              + " + "
              + failed(failures)
              + " + "
              + timeouts
              + " + "
              + inFlight);
    }
  }

  /** Requests whose intended send time has come: sent or dropped at the client. */
  public long arrivals() {
    return sent + dropped;
  }

  /** Non-2xx answers and requests that got no answer for another reason than the timeout. */
  public long failed() {
    return failed(failures);
  }

  private static long failed(Map<String, Long> failures) {
    return failures.values().stream().mapToLong(Long::longValue).sum();
  }

  @Override
  public String toString() {
    return String.format(
        "arrivals %d, sent %d, ok %d, failed %d %s, timeouts %d, dropped at the client %d, in"
            + " flight %d, sent once more %d; latency %s; %.1f %% of arrivals answered 2xx"
            + " within %d ms; send lag p99 %.1f ms",
        arrivals(),
        sent,
        ok,
        failed(),
        new TreeMap<>(failures),
        timeouts,
        dropped,
        inFlight,
        resent,
        latencies,
        100 * withinSlo,
        slo.toMillis(),
        sendLag.p99().toNanos() / 1e6);
  }
}
