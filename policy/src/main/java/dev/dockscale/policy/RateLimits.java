package dev.dockscale.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The rate limits for one direction and how to choose among them: {@link Select#MAX} allows the
 * largest change any limit allows (HPA's default), {@link Select#MIN} the smallest. No limits means
 * no limit.
 */
public record RateLimits(List<RateLimit> limits, Select select) {

  public enum Select {
    MAX,
    MIN
  }

  public RateLimits {
    limits = List.copyOf(limits);
  }

  public static RateLimits none() {
    return new RateLimits(List.of(), Select.MAX);
  }

  public static RateLimits of(Select select, RateLimit... limits) {
    return new RateLimits(List.of(limits), select);
  }

  public boolean isEmpty() {
    return limits.isEmpty();
  }

  @Override
  public String toString() {
    if (limits.isEmpty()) {
      return "none";
    }
    String all = limits.stream().map(RateLimit::toString).collect(Collectors.joining(", "));
    return limits.size() == 1 ? all : select.name().toLowerCase() + "(" + all + ")";
  }
}
