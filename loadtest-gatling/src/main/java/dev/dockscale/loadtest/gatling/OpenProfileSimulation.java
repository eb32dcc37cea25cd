package dev.dockscale.loadtest.gatling;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import dev.dockscale.loadtest.Profile;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.Simulation;
import java.util.List;

/**
 * The {@link Profile} of the {@link GatlingRun} in progress as a Gatling open injection: each
 * virtual user arrives, sends one GET and leaves, so users per second are requests per second and a
 * slow answer delays no arrival. The users share one connection pool: a new connection per arrival
 * would run this machine out of ephemeral ports in under a minute at 2,000 requests/s.
 */
public class OpenProfileSimulation extends Simulation {

  public OpenProfileSimulation() {
    Profile profile = GatlingRun.running();
    List<OpenInjectionStep> steps = profile.phases().stream().map(p -> step(p, profile)).toList();
    setUp(
            scenario(profile.name())
                .exec(
                    http(profile.name())
                        .get(profile.target().toString())
                        .requestTimeout(profile.timeout()))
                .injectOpen(steps))
        .protocols(http.disableWarmUp().shareConnections())
        .maxDuration(profile.duration().plus(profile.timeout()).plusSeconds(5));
  }

  private static OpenInjectionStep step(Profile.Phase phase, Profile profile) {
    if (phase.isConstant()) {
      var step = constantUsersPerSec(phase.from()).during(phase.duration());
      return profile.randomized() ? step.randomized() : step;
    }
    var step = rampUsersPerSec(phase.from()).to(phase.to()).during(phase.duration());
    return profile.randomized() ? step.randomized() : step;
  }
}
