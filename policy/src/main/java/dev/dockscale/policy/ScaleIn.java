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
    return replicas.stream()
        .sorted(notReadyFirst.thenComparing(Comparator.comparingInt(number).reversed()))
        .limit(Math.max(0, count))
        .toList();
  }
}
