package dev.dockscale.cli;

import dev.dockscale.config.ConfigException;
import dev.dockscale.config.ConfigLoader;
import dev.dockscale.config.DockscaleConfig;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload of the config: on SIGHUP, or when the file changes (settled for {@link #SETTLE_MS}, so
 * an editor's several writes make one reload), the file is read and validated again. A valid config
 * goes to {@code apply}; an invalid one is refused with {@code validate}'s messages and the running
 * config stays.
 */
final class ConfigWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
  static final long SETTLE_MS = 300;

  private final Path file;
  private final Function<Path, DockscaleConfig> load;
  private final Consumer<DockscaleConfig> apply;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "dockscale-config");
            t.setDaemon(true);
            return t;
          });
  private WatchService watch;
  private ScheduledFuture<?> pending;
  private volatile boolean closed;

  ConfigWatcher(Path file, Consumer<DockscaleConfig> apply) {
    this(file, ConfigLoader::load, apply);
  }

  /** With {@code load} reading the file (with the Swarm services' labels, for {@code run}). */
  ConfigWatcher(Path file, Function<Path, DockscaleConfig> load, Consumer<DockscaleConfig> apply) {
    this.file = file.toAbsolutePath().normalize();
    this.load = load;
    this.apply = apply;
  }

  /** Watches the file's folder and SIGHUP. */
  void start() {
    try {
      watch = FileSystems.getDefault().newWatchService();
      file.getParent()
          .register(
              watch,
              StandardWatchEventKinds.ENTRY_MODIFY,
              StandardWatchEventKinds.ENTRY_CREATE,
              StandardWatchEventKinds.ENTRY_DELETE);
      Thread t = new Thread(this::watchLoop, "dockscale-config-watch");
      t.setDaemon(true);
      t.start();
    } catch (IOException e) {
      LOG.warn("cannot watch {} for changes ({}); SIGHUP still reloads it", file, e.toString());
    }
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> reloadSoon());
    } catch (IllegalArgumentException e) {
      LOG.warn("SIGHUP cannot be handled here ({}); file changes still reload", e.getMessage());
    }
  }

  private void watchLoop() {
    try {
      while (true) {
        WatchKey key = watch.take();
        boolean ours =
            key.pollEvents().stream().anyMatch(e -> file.getFileName().equals(e.context()));
        key.reset();
        if (ours) {
          reloadSoon();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // Closed: stop watching.
    }
  }

  synchronized void reloadSoon() {
    if (closed) {
      return;
    }
    if (pending != null) {
      pending.cancel(false);
    }
    pending = timer.schedule(this::reload, SETTLE_MS, TimeUnit.MILLISECONDS);
  }

  void reload() {
    try {
      DockscaleConfig next = load.apply(file);
      LOG.info("config {} changed: applying it", file);
      apply.accept(next);
    } catch (ConfigException e) {
      LOG.error("config reload refused, the running config stays:\n{}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("config reload refused, the running config stays: {}", e.toString());
    }
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    if (watch != null) {
      try {
        watch.close();
      } catch (IOException e) {
        LOG.debug("closing the config watch: {}", e.toString());
      }
    }
  }
}
