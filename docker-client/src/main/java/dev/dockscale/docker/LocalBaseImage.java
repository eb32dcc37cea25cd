package dev.dockscale.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.dockscale.engine.RuntimeUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The local base image (Debian minbase with a JRE, nginx and curl) for machines that reach no
 * registry. It is built by {@code scripts/build-base-image.sh}, found under {@code DOCKSCALE_HOME}
 * (set by the {@code ./dockscale} launcher) or above the working directory.
 */
public final class LocalBaseImage {

  public static final String TAG = "dockscale/base:bookworm-jre17-nginx-1";
  static final String SCRIPT = "scripts/build-base-image.sh";

  private LocalBaseImage() {}

  public static String ensure(DockerClient docker) {
    try {
      docker.inspectImageCmd(TAG).exec();
      return TAG;
    } catch (NotFoundException missing) {
      // Built below.
    }
    Path script =
        findScript()
            .orElseThrow(
                () ->
                    new RuntimeUnavailableException(
                        "the local base image "
                            + TAG
                            + " is missing and "
                            + SCRIPT
                            + " was not found; run dockscale from its repository or set DOCKSCALE_HOME"));
    try {
      Process p =
          new ProcessBuilder(List.of("bash", script.toString()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.INHERIT)
              .start();
      if (p.waitFor() != 0) {
        throw new RuntimeUnavailableException(
            SCRIPT + " failed (exit " + p.exitValue() + "); see its output above");
      }
    } catch (IOException e) {
      throw new RuntimeUnavailableException("could not run " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeUnavailableException("interrupted while building " + TAG, e);
    }
    return TAG;
  }

  static Optional<Path> findScript() {
    String home = System.getenv("DOCKSCALE_HOME");
    if (home != null && Files.isRegularFile(Path.of(home, SCRIPT))) {
      return Optional.of(Path.of(home, SCRIPT));
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(SCRIPT))) {
        return Optional.of(dir.resolve(SCRIPT));
      }
    }
    return Optional.empty();
  }
}
