package dev.dockscale.simulator;

import java.nio.file.Path;

/**
 * Rewrites simulator/traces/*.csv from {@link ReferenceTraces} (run by hand; ReferenceTracesTest
 * checks them).
 */
final class WriteTraces {
  public static void main(String[] args) {
    ReferenceTraces.all()
        .forEach(
            (name, csv) ->
                Reports.write(Path.of(args.length > 0 ? args[0] : "traces", name + ".csv"), csv));
  }
}
