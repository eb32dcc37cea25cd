package dev.dockscale.policy;

import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Which replicas a scale-in removes: those that are not ready first (they serve nothing yet), then
 * the newest (highest number). The engine and the simulator both follow this one rule.
 */
public final class ScaleIn {

  private ScaleIn() {}

  public static <T> List<T> victims(
      List<T> replicas, int count, Predicate<T> ready, ToIntFunction<T> number) {
    Comparator<T> notReadyFirst = Comparator.comparing(ready::test);
    return victims(
        replicas, count, notReadyFirst.thenComparing(Comparator.comparingInt(number).reversed()));
  }

  /**
   * The first {@code count} replicas in {@code order}: for a runtime that knows more of them (the
   * engine adds the template they run and their load between "not ready" and "newest").
   */
  public static <T> List<T> victims(List<T> replicas, int count, Comparator<T> order) {
    return replicas.stream().sorted(order).limit(Math.max(0, count)).toList();
  }
}
