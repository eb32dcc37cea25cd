package dev.dockscale.engine;

import java.time.Duration;
import java.util.List;

/**
 * One pass of the loop, as those who watch it see it.
 *
 * @param services every service as the pass left it, in config order
 * @param deciding whether it asked the decision core (a tick) or only repaired (an event)
 * @param took how long it took, by the loop's clock
 */
public record Pass(List<ServiceView> services, boolean deciding, Duration took) {
  public Pass {
    services = List.copyOf(services);
  }
}
