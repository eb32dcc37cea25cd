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

  /** The hash of the replica template a replica was created from (see rolling updates). */
  public static final String TEMPLATE = "dockscale.template";

  /** The id of the replica a replica was started to replace. */
  public static final String REPLACES = "dockscale.replaces";

  /** The CPUs a replica was started with until it is first ready (a start-up boost). */
  public static final String STARTUP_CPUS = "dockscale.startup-cpus";

  /** {@code true}: scale-in never chooses this replica. */
  public static final String PROTECT = "dockscale.protect";

  public static final String ROLE_REPLICA = "replica";
  public static final String ROLE_BALANCER = "balancer";

  private Labels() {}

  /** Whether an object with these labels is dockscale's, for this project. */
  public static boolean owned(Map<String, String> labels, String project) {
    return labels != null
        && "true".equals(labels.get(MANAGED))
        && project.equals(labels.get(PROJECT));
  }

  /** The labels every object of a project carries. */
  public static Map<String, String> project(String project) {
    return Map.of(MANAGED, "true", PROJECT, project);
  }
}
