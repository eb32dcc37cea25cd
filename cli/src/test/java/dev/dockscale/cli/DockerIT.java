package dev.dockscale.cli;

import org.junit.jupiter.api.AfterEach;

/**
 * An integration test on the real engine: whatever its project made is removed afterwards, even on
 * failure.
 */
abstract class DockerIT {

  protected ItProject project;

  @AfterEach
  void removeProject() {
    if (project != null) {
      project.close();
    }
  }
}
