package dev.dockscale.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.policy.Decision;
import org.junit.jupiter.api.Test;

/** The one JSON form: an action is written by its key, as the API and metrics spell it. */
class JsonTest {

  @Test
  void anActionIsWrittenByItsKeyAndReadByKeyOrByTheNameEarlierJournalsWrote() throws Exception {
    assertThat(Json.mapper().writeValueAsString(Decision.Action.SCALE_UP))
        .isEqualTo("\"scale-up\"");
    assertThat(Json.mapper().readValue("\"scale-down\"", Decision.Action.class))
        .isEqualTo(Decision.Action.SCALE_DOWN);
    assertThat(Json.mapper().readValue("\"SCALE_UP\"", Decision.Action.class))
        .isEqualTo(Decision.Action.SCALE_UP);
  }
}
