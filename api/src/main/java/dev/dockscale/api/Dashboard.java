package dev.dockscale.api;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The dashboard at {@code /} and {@code /dashboard}: a static page, its script and style from this
 * module's resources ({@code /dashboard/*}), uPlot from its webjar ({@code /webjars/*}). No build
 * step; the page reads {@code /api/v1} and writes nothing.
 */
final class Dashboard {

  /** Everything the page loads comes from this dockscale; inline styles are uPlot's own. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'";

  private static final String RESOURCES = "/dashboard";

  private Dashboard() {}

  /** Serves the page's files and the webjars. */
  static void serve(JavalinConfig config) {
    config.staticFiles.enableWebjars();
    config.staticFiles.add(
        files -> {
          files.hostedPath = "/dashboard";
          files.directory = RESOURCES;
          files.location = Location.CLASSPATH;
          files.headers = Map.of("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        });
  }

  /** The page itself at {@code /} and {@code /dashboard}. */
  static void routes(Javalin app) {
    String page = page();
    app.get("/", ctx -> answer(ctx, page));
    app.get("/dashboard", ctx -> answer(ctx, page));
  }

  private static void answer(Context ctx, String page) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY).html(page);
  }

  private static String page() {
    try (InputStream in = Dashboard.class.getResourceAsStream(RESOURCES + "/index.html")) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCES + "/index.html is missing from the api module's jar: rebuild it");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
