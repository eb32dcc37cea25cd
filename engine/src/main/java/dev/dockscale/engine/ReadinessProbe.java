package dev.dockscale.engine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Checks whether a replica serves, from outside the replica: the probe costs it the one request (or
 * connection) it answers, needs nothing inside its image, and never runs a process in it.
 */
public interface ReadinessProbe {

  /** One replica to probe: by container name on the project network, HTTP {@code path} or TCP. */
  record Target(String name, int port, String path, boolean tcp, Duration timeout) {}

  /** What one probe saw. */
  record Result(Outcome outcome, String detail) {
    public static Result pass() {
      return new Result(Outcome.PASS, "");
    }

    public static Result fail(String detail) {
      return new Result(Outcome.FAIL, detail);
    }

    /** No answer within the probe's timeout: a failure, unless most replicas time out at once. */
    public static Result timedOut(String detail) {
      return new Result(Outcome.TIMEOUT, detail);
    }

    /** The probe itself could not be made (its channel is down): says nothing of the replica. */
    public static Result unknown(String detail) {
      return new Result(Outcome.UNKNOWN, detail);
    }
  }

  enum Outcome {
    PASS,
    FAIL,
    TIMEOUT,
    UNKNOWN
  }

  /** Probes once; completes within about {@code target.timeout()}, never exceptionally. */
  CompletableFuture<Result> probe(Target target);
}
