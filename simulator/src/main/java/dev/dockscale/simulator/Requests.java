package dev.dockscale.simulator;

/**
 * The requests of one run: a fluid backlog in front of the ready replicas, each replica an M/M/c
 * queue ({@link MmcQueue}) while the service keeps up. Above capacity, arrivals wait behind the
 * backlog (first come, first served) and are dropped on arrival when the wait would pass the
 * timeout. Counts every request, those answered within the SLO bound, those dropped, and (if asked)
 * the latency distribution for percentiles.
 */
final class Requests {

  /**
   * The utilisation the M/M/c figures are taken at, at most: closer to 1 its steady state takes
   * longer to reach than a load lasts, and above it the backlog's wait is added to the queue's.
   * Latency never falls as the load rises.
   */
  static final double RHO_CAP = 0.95;

  /** Latencies the distribution is kept at: 1 ms to about 2 min, 8 points per doubling. */
  private static final double[] GRID = grid();

  private final double mu;
  private final int workers;
  private final double timeout;
  private final double slo;
  private final double[] within;

  private double backlog;
  private double total;
  private double answered;
  private double inSlo;
  private double dropped;

  Requests(SimulatedService service, double sloSeconds, boolean keepDistribution) {
    this.mu = service.requestsPerReplica();
    this.workers = service.workers();
    this.timeout = SimulatedService.seconds(service.timeout());
    this.slo = sloSeconds;
    this.within = keepDistribution ? new double[GRID.length] : null;
  }

  /**
   * One step of {@code dt} seconds: {@code rate} requests per second arrive at replicas worth
   * {@code capacity} full replicas (starting ones serve nothing, bursting ones less).
   *
   * @return the requests per second served in this step
   */
  double step(double rate, double capacity, double dt) {
    double arrivals = rate * dt;
    total += arrivals;
    if (capacity <= 1e-9) {
      // No upstream: nginx answers 502 at once. What waits at the replicas waits on.
      dropped += arrivals;
      return 0;
    }
    double serviceRate = capacity * mu;
    double perServer = mu / workers;
    double perReplica = rate / capacity;
    if (backlog < 1e-9 && perReplica < RHO_CAP * mu) {
      MmcQueue q = new MmcQueue(perReplica, perServer, workers);
      record(arrivals, q::answeredWithin);
      return rate;
    }
    // Above RHO_CAP, or behind a backlog: the queue at RHO_CAP, and the backlog's wait on top. A
    // request is dropped on arrival when its wait would pass the timeout; one admitted is answered,
    // however late (capacity can fall while it waits).
    MmcQueue saturated = new MmcQueue(RHO_CAP * mu, perServer, workers);
    double room = Math.max(0, timeout * serviceRate - backlog);
    double admitted = Math.min(arrivals, room);
    dropped += arrivals - admitted;
    double before = backlog;
    double served = Math.min(backlog + admitted, serviceRate * dt);
    backlog += admitted - served;
    double wait = (before + backlog) / 2 / serviceRate;
    record(admitted, t -> t <= wait ? 0 : saturated.answeredWithin(t - wait));
    return served / dt;
  }

  private void record(double n, java.util.function.DoubleUnaryOperator answeredWithin) {
    if (n <= 0) {
      return;
    }
    answered += n;
    inSlo += n * answeredWithin.applyAsDouble(slo);
    if (within != null) {
      for (int i = 0; i < GRID.length; i++) {
        within[i] += n * answeredWithin.applyAsDouble(GRID[i]);
      }
    }
  }

  double total() {
    return total;
  }

  /** Share of all requests answered within the SLO bound (1 with no requests). */
  double sloShare() {
    return total <= 0 ? 1 : inSlo / total;
  }

  /** Share of all requests dropped: timed out, or with no replica ready. */
  double failedShare() {
    return total <= 0 ? 0 : dropped / total;
  }

  /**
   * The latency below which {@code q} of the answered requests fall, in seconds, interpolated on
   * the grid; NaN without a distribution or requests, infinite past the grid.
   */
  double percentile(double q) {
    if (within == null || answered <= 0) {
      return Double.NaN;
    }
    double wanted = q * answered;
    for (int i = 0; i < GRID.length; i++) {
      if (within[i] >= wanted) {
        if (i == 0) {
          return GRID[0];
        }
        double f = (wanted - within[i - 1]) / (within[i] - within[i - 1]);
        return GRID[i - 1] + f * (GRID[i] - GRID[i - 1]);
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  private static double[] grid() {
    double[] g = new double[8 * 17 + 1];
    for (int i = 0; i < g.length; i++) {
      g[i] = 0.001 * Math.pow(2, i / 8.0);
    }
    return g;
  }
}
