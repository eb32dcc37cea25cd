package dev.dockscale.balancer.nginx;

import java.util.OptionalDouble;

/**
 * What a window of nginx's request log saw of a service or a replica.
 *
 * @param requests requests ended in the window
 * @param errors of them, answered with a 5xx status
 * @param rps requests per second
 * @param arrivals requests per second that arrived, estimated from the start times of the requests
 *     that ended in the window (see {@link RequestWindow}); {@code rps} when too few ended to tell
 * @param inflight requests in flight on average (Little's law)
 * @param p50Millis median upstream time, empty without a request that reached a replica
 * @param p95Millis 95th percentile of the upstream time, likewise
 */
public record RequestLoad(
    long requests,
    long errors,
    double rps,
    double arrivals,
    double inflight,
    OptionalDouble p50Millis,
    OptionalDouble p95Millis) {

  /** A window without a request. */
  static RequestLoad idle() {
    return new RequestLoad(0, 0, 0, 0, 0, OptionalDouble.empty(), OptionalDouble.empty());
  }
}
