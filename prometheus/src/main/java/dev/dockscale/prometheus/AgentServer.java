package dev.dockscale.prometheus;

import io.javalin.Javalin;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * {@code dockscale agent}'s HTTP side: {@code GET /metrics} (what {@link ContainerExporter} reads
 * at that moment) in the format the scraper's {@code Accept} asks for — Prometheus' text format, or
 * its protobuf format, which dockscale reads the agents in directly — and {@code GET /healthz}.
 * Nothing else, and nothing it is asked changes anything.
 */
public final class AgentServer implements AutoCloseable {

  private final Javalin app;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final ExpositionFormats formats = ExpositionFormats.init();

  public AgentServer(MultiCollector exporter) {
    this.app = Javalin.create(config -> config.showJavalinBanner = false);
    app.get("/healthz", ctx -> ctx.result("ok\n"));
    app.get(
        "/metrics",
        ctx -> {
          ExpositionFormatWriter format = formats.findWriter(ctx.header("Accept"));
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          format.write(out, exporter.collect());
          ctx.contentType(format.getContentType());
          ctx.result(out.toByteArray());
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
