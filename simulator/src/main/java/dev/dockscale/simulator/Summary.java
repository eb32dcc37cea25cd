package dev.dockscale.simulator;

import java.util.List;

/**
 * What a policy cost and missed on a trace (averaged over the runs at several sync offsets).
 *
 * @param containerSeconds replicas alive (starting, ready or draining), integrated over time
 * @param overloadSeconds time during which demand exceeded the ready replicas' capacity
 * @param unservedCoreSeconds demand above capacity, integrated over time
 * @param requests requests that arrived
 * @param sloShare share of all requests answered within the SLO bound
 * @param failedShare share of all requests dropped (timed out, or no replica ready)
 * @param p95 the 95th percentile latency of answered requests, in seconds (NaN if not kept); over
 *     several offsets, the mean of their p95s
 * @param scaleEvents decisions that changed the count
 * @param directionChanges scale events whose direction differs from the previous event's
 * @param end when the run ended: the trace's end, or later when the policy was not yet back at its
 *     minimum then
 */
public record Summary(
    String policy,
    double containerSeconds,
    double overloadSeconds,
    double unservedCoreSeconds,
    double requests,
    double sloShare,
    double failedShare,
    double p95,
    double scaleEvents,
    double directionChanges,
    double end,
    double replicas) {

  /** The mean of each figure (runs of one policy at different offsets). */
  static Summary mean(List<Summary> runs) {
    int n = runs.size();
    return new Summary(
        runs.get(0).policy(),
        runs.stream().mapToDouble(Summary::containerSeconds).sum() / n,
        runs.stream().mapToDouble(Summary::overloadSeconds).sum() / n,
        runs.stream().mapToDouble(Summary::unservedCoreSeconds).sum() / n,
        runs.stream().mapToDouble(Summary::requests).sum() / n,
        runs.stream().mapToDouble(Summary::sloShare).sum() / n,
        runs.stream().mapToDouble(Summary::failedShare).sum() / n,
        runs.stream().mapToDouble(Summary::p95).sum() / n,
        runs.stream().mapToDouble(Summary::scaleEvents).sum() / n,
        runs.stream().mapToDouble(Summary::directionChanges).sum() / n,
        runs.stream().mapToDouble(Summary::end).max().orElseThrow(),
        runs.stream().mapToDouble(Summary::replicas).sum() / n);
  }

  /**
   * Runs on different traces added up: seconds, requests and events summed, shares weighted by
   * requests, p95 the largest.
   */
  static Summary total(List<Summary> runs) {
    double requests = runs.stream().mapToDouble(Summary::requests).sum();
    double weight = requests <= 0 ? 1 : requests;
    return new Summary(
        runs.get(0).policy(),
        runs.stream().mapToDouble(Summary::containerSeconds).sum(),
        runs.stream().mapToDouble(Summary::overloadSeconds).sum(),
        runs.stream().mapToDouble(Summary::unservedCoreSeconds).sum(),
        requests,
        runs.stream().mapToDouble(s -> s.sloShare() * s.requests()).sum() / weight,
        runs.stream().mapToDouble(s -> s.failedShare() * s.requests()).sum() / weight,
        runs.stream().mapToDouble(Summary::p95).max().orElse(Double.NaN),
        runs.stream().mapToDouble(Summary::scaleEvents).sum(),
        runs.stream().mapToDouble(Summary::directionChanges).sum(),
        runs.stream().mapToDouble(Summary::end).sum(),
        runs.stream().mapToDouble(Summary::replicas).sum());
  }

  /** Requests that were not answered within the SLO bound (late or dropped). */
  public double missedRequests() {
    return requests * (1 - sloShare);
  }
}
