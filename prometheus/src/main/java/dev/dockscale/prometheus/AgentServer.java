package dev.dockscale.prometheus;

import io.javalin.Javalin;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * {@code dockscale agent}'s HTTP side: {@code GET /metrics} in Prometheus' text format (what {@link
 * ContainerExporter} reads at that moment) and {@code GET /healthz}. Nothing else, and nothing it
 * is asked changes anything.
 */
public final class AgentServer implements AutoCloseable {

  private final Javalin app;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public AgentServer(MultiCollector exporter) {
    this.app = Javalin.create(config -> config.showJavalinBanner = false);
    app.get("/healthz", ctx -> ctx.result("ok\n"));
    app.get(
        "/metrics",
        ctx -> {
          ctx.contentType(PrometheusTextFormatWriter.CONTENT_TYPE);
          ctx.result(text(exporter));
        });
  }

  byte[] text(MultiCollector exporter) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(out, exporter.collect());
    return out.toByteArray();
  }

  /** Listens on {@code host}:{@code port} (0: any free port); returns the port. */
  public int start(String host, int port) {
    app.start(host, port);
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
