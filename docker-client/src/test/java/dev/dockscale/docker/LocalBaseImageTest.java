package dev.dockscale.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalBaseImageTest {

  @Test
  void theScriptBuildsTheTagDockscaleLooksFor() throws Exception {
    String script = Files.readString(Path.of("..", LocalBaseImage.SCRIPT));
    String tag = LocalBaseImage.TAG;
    String repo = tag.substring(0, tag.indexOf(':'));
    String version = tag.substring(tag.indexOf(':') + 1).replace("bookworm", "${SUITE}");
    assertThat(script).contains("TAG=\"${DOCKSCALE_BASE_IMAGE:-" + repo + ":" + version + "}\"");
    assertThat(script).contains("SUITE=\"${DOCKSCALE_BASE_SUITE:-bookworm}\"");
  }
}
