package dev.dockscale.simulator;

/**
 * What a policy cost and missed on a trace.
 *
 * @param containerSeconds replicas alive (starting or ready), integrated over time
 * @param overloadSeconds time during which demand exceeded the ready replicas' capacity
 * @param unservedCoreSeconds demand above capacity, integrated over time
 * @param scaleEvents decisions that changed the count
 * @param directionChanges scale events whose direction differs from the previous event's
 */
public record Summary(
    String policy,
    double containerSeconds,
    double overloadSeconds,
    double unservedCoreSeconds,
    int scaleEvents,
    int directionChanges) {}
