package dev.dockscale.engine;

import java.util.Map;

/**
 * The labels dockscale puts on everything it creates, and finds it by. A container, network or
 * image without {@link #MANAGED} is never touched.
 */
public final class Labels {
  public static final String MANAGED = "dockscale.managed";
  public static final String PROJECT = "dockscale.project";
  public static final String SERVICE = "dockscale.service";
  public static final String ROLE = "dockscale.role";
  public static final String INDEX = "dockscale.index";
  public static final String LISTEN = "dockscale.listen";

  public static final String ROLE_REPLICA = "replica";
  public static final String ROLE_BALANCER = "balancer";

  private Labels() {}

  /** The labels every object of a project carries. */
  public static Map<String, String> project(String project) {
    return Map.of(MANAGED, "true", PROJECT, project);
  }
}
