package dev.dockscale.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.Container;
import dev.dockscale.docker.Docker;
import dev.dockscale.policy.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The container list is asked of the Engine again only when it may have changed. */
class ListingsTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Listings listings = new Listings(clock);
  private int lists;
  private final Supplier<List<Container>> engine =
      () -> {
        lists++;
        return List.of();
      };

  @Test
  void aWatchedProjectIsListedOnceUntilSomethingChanges() {
    listings.watched("p", true);
    clock.advance(Docker.SETTLE);

    listings.get("p", engine);
    listings.get("p", engine);

    assertThat(lists).isEqualTo(1);
  }

  @Test
  void afterAChangeOnlyAListBegunASecondLaterIsTrusted() {
    // A death is told a moment before the list shows it: the look right after may still see it
    // running.
    listings.watched("p", true);
    clock.advance(Docker.SETTLE);
    listings.get("p", engine);

    listings.changed("p");
    listings.get("p", engine);
    clock.advance(Docker.SETTLE.minusMillis(1));
    listings.get("p", engine);
    clock.advance(Duration.ofMillis(1));
    listings.get("p", engine);
    listings.get("p", engine);

    assertThat(lists).isEqualTo(4);
  }

  @Test
  void aPassThatCameLongAfterTheChangeStillListsOnce() {
    // The look after an event may come late (a slow pass): it must not trust a list from before.
    listings.watched("p", true);
    clock.advance(Docker.SETTLE);
    listings.get("p", engine);

    listings.changed("p");
    clock.advance(Duration.ofSeconds(2));
    listings.get("p", engine);
    listings.get("p", engine);

    assertThat(lists).isEqualTo(2);
  }

  @Test
  void aChangeDuringTheListMakesTheNextLookListAgain() {
    listings.watched("p", true);
    clock.advance(Duration.ofSeconds(5));
    listings.get(
        "p",
        () -> {
          lists++;
          listings.changed("p");
          return List.of();
        });
    clock.advance(Duration.ofSeconds(2));

    listings.get("p", engine);

    assertThat(lists).isEqualTo(2);
  }

  @Test
  void dockscalesOwnChangesListEveryProjectAgain() {
    listings.watched("p", true);
    listings.watched("q", true);
    clock.advance(Docker.SETTLE);
    listings.get("p", engine);
    listings.get("q", engine);

    listings.changedAll();
    clock.advance(Docker.SETTLE);
    listings.get("p", engine);
    listings.get("q", engine);

    assertThat(lists).isEqualTo(4);
  }

  @Test
  void anEventOfAnotherProjectChangesNothing() {
    listings.watched("p", true);
    clock.advance(Docker.SETTLE);
    listings.get("p", engine);

    listings.changed("q");
    listings.get("p", engine);

    assertThat(lists).isEqualTo(1);
  }

  @Test
  void aListOlderThanItsMaximumAgeIsListedAgain() {
    listings.watched("p", true);
    clock.advance(Docker.SETTLE);
    listings.get("p", engine);

    clock.advance(Docker.TRUSTED.minusMillis(1));
    listings.get("p", engine);
    clock.advance(Duration.ofMillis(1));
    listings.get("p", engine);

    assertThat(lists).isEqualTo(2);
  }

  @Test
  void withoutAConnectedEventStreamEveryLookLists() {
    listings.get("p", engine);
    listings.get("p", engine);
    listings.watched("p", true);
    listings.get("p", engine);
    listings.watched("p", false);
    listings.get("p", engine);
    listings.get("p", engine);

    assertThat(lists).isEqualTo(5);
  }

  @Test
  void aFailedListIsTriedAgainAtTheNextLook() {
    listings.watched("p", true);
    clock.advance(Docker.SETTLE);

    assertThatThrownBy(
            () ->
                listings.get(
                    "p",
                    () -> {
                      throw new IllegalStateException("engine down");
                    }))
        .hasMessage("engine down");
    listings.get("p", engine);

    assertThat(lists).isEqualTo(1);
  }
}
