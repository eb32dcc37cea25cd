package dev.dockscale.simulator;

/**
 * Closed-form figures of an M/M/c queue: Poisson arrivals at {@code lambda} per second, {@code c}
 * servers each serving at {@code mu} per second, first come first served. The simulator treats each
 * replica as one such queue while it keeps up ({@code lambda < c * mu}).
 */
record MmcQueue(double lambda, double mu, int c) {

  MmcQueue {
    if (!(lambda >= 0) || !(mu > 0) || c < 1) {
      throw new IllegalArgumentException(
          "an M/M/c queue needs lambda >= 0, mu > 0, c >= 1; got " + lambda + ", " + mu + ", " + c);
    }
  }

  /** Utilisation of each server: {@code lambda / (c * mu)}. */
  double rho() {
    return lambda / (c * mu);
  }

  boolean stable() {
    return rho() < 1;
  }

  /**
   * Erlang's C formula: the probability that an arrival has to wait (from Erlang B's recursion).
   */
  double waitProbability() {
    requireStable();
    double a = lambda / mu;
    double b = 1;
    for (int k = 1; k <= c; k++) {
      b = a * b / (k + a * b);
    }
    return b / (1 - rho() * (1 - b));
  }

  /** Mean time in queue plus service, in seconds. */
  double meanSojourn() {
    return waitProbability() / (c * mu - lambda) + 1 / mu;
  }

  /**
   * The probability that a request is answered within {@code t} seconds (queue plus service). The
   * wait is 0 with probability {@code 1 - C}, else exponential with rate {@code c*mu - lambda}; the
   * service is exponential with rate {@code mu}.
   */
  double answeredWithin(double t) {
    if (t <= 0) {
      return 0;
    }
    double waits = waitProbability();
    double theta = c * mu - lambda;
    double serviceLonger = Math.exp(-mu * t);
    double waitPlusServiceLonger =
        Math.abs(theta - mu) < 1e-9 * mu
            ? Math.exp(-mu * t) * (1 + mu * t)
            : (theta * Math.exp(-mu * t) - mu * Math.exp(-theta * t)) / (theta - mu);
    return 1 - ((1 - waits) * serviceLonger + waits * waitPlusServiceLonger);
  }

  private void requireStable() {
    if (!stable()) {
      throw new IllegalStateException("lambda >= c * mu: the queue grows without bound");
    }
  }
}
