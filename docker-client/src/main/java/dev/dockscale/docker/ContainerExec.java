package dev.dockscale.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.dockscale.engine.RuntimeUnavailableException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command in a container the one checked way: the container must be running; stdout and
 * stderr are kept apart; the exit code comes from the exec's inspect; the callback is always
 * closed; and an exec that does not finish in time is an error ({@link ExecFailedException}), never
 * an answer — a slow {@code nginx -t} must not read as a config nginx rejected.
 */
public final class ContainerExec {

  private ContainerExec() {}

  /** What a finished command said. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** Both streams, for messages. */
    public String output() {
      return (stdout + stderr).trim();
    }
  }

  /**
   * The command could not do its work: the container not running, the command timed out or was
   * interrupted, or it said it could not (a caller's exit code for that): tried again later, never
   * taken as the command's verdict.
   */
  public static final class ExecFailedException extends RuntimeUnavailableException {
    public ExecFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The command as a message shows it: its start, when its arguments are long (a whole config). */
  static String describe(String... cmd) {
    String all = String.join(" ", cmd);
    return all.length() <= 120 ? all : all.substring(0, 120) + "… (" + all.length() + " chars)";
  }

  public static Result run(DockerClient docker, String container, Duration timeout, String... cmd) {
    var state = docker.inspectContainerCmd(container).exec().getState();
    if (!Boolean.TRUE.equals(state.getRunning()) || Boolean.TRUE.equals(state.getPaused())) {
      throw new ExecFailedException(
          "cannot run " + describe(cmd) + " in " + container + ": it is not running", null);
    }
    String execId =
        docker
            .execCreateCmd(container)
            .withCmd(cmd)
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec()
            .getId();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (StreamCallback<Frame> callback =
        new StreamCallback<>() {
          @Override
          public void onNext(Frame frame) {
            (frame.getStreamType() == StreamType.STDERR ? err : out).writeBytes(frame.getPayload());
          }
        }) {
      docker.execStartCmd(execId).exec(callback);
      if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new ExecFailedException(
            describe(cmd) + " did not finish within " + timeout.toMillis() + " ms", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExecFailedException(describe(cmd) + " was interrupted", e);
    }
    InspectExecResponse done = docker.inspectExecCmd(execId).exec();
    Long code = done.getExitCodeLong();
    if (code == null || Boolean.TRUE.equals(done.isRunning())) {
      throw new ExecFailedException(
          describe(cmd) + " ended without an exit code (still running?)", null);
    }
    return new Result(
        code.intValue(),
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }
}
