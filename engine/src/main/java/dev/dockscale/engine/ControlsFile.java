package dev.dockscale.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand controls — pauses and overrides set through the API — kept in {@code
 * <state.dir>/controls.json}, so that a restart of dockscale does not undo them: written whole at
 * each change (into a temporary file moved into place, so a crash leaves the old file or the new,
 * never half of one), read back at start. A file that cannot be read is reported with its place and
 * the reason and left as it is; dockscale then starts with no controls rather than not at all.
 */
public final class ControlsFile {

  private static final Logger LOG = LoggerFactory.getLogger(ControlsFile.class);

  static final String NAME = "controls.json";

  private static final TypeReference<TreeMap<String, Control>> TYPE = new TypeReference<>() {};

  private final Path file;

  public ControlsFile(Path stateDir) {
    this.file = stateDir.resolve(NAME);
  }

  /**
   * The controls by service; empty when there is no file or it cannot be read (said in the log).
   */
  public Map<String, Control> load() {
    try {
      Map<String, Control> read = Json.mapper().readValue(Files.readString(file), TYPE);
      return read == null ? Map.of() : read;
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (JsonProcessingException e) {
      LOG.warn(
          "{}: cannot be read back ({}); starting with no pause or override, the file is left as"
              + " it is for you to look at and is replaced at the next change",
          place(e),
          e.getOriginalMessage());
      return Map.of();
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "{}: cannot be read back ({}); starting with no pause or override", file, e.toString());
      return Map.of();
    }
  }

  /** Writes {@code controls} (services with none left out); a failure is logged, not thrown. */
  public synchronized void save(Map<String, Control> controls) {
    Map<String, Control> kept = new TreeMap<>();
    controls.forEach(
        (service, c) -> {
          if (c.paused() || c.override() != null) {
            kept.put(service, c);
          }
        });
    Path next = file.resolveSibling(NAME + ".next");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          next, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(kept));
      Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "{}: the pauses and overrides could not be written ({}); they hold until dockscale"
              + " stops, and a restart would not know them",
          file,
          e.toString());
    }
  }

  private String place(JsonProcessingException e) {
    return e.getLocation() == null
        ? file.toString()
        : file + ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
  }
}
