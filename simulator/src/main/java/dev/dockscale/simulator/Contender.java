package dev.dockscale.simulator;

import dev.dockscale.policy.ScalingPolicy;
import java.util.Objects;

/** A policy as it runs: its rules and behaviour, and the pipeline its readings come through. */
public record Contender(String name, ScalingPolicy policy, Pipeline pipeline) {
  public Contender {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(pipeline, "pipeline");
  }
}
