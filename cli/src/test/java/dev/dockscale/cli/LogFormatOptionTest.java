package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dockscale.engine.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.MDC;

/** dockscale's own logback.xml, switched to JSON lines as {@code --log-format json} does. */
class LogFormatOptionTest {

  @TempDir Path dir;
  final ByteArrayOutputStream console = new ByteArrayOutputStream();
  PrintStream stderr;
  LoggerContext context;
  Path file;

  @BeforeEach
  void configure() throws Exception {
    stderr = System.err;
    System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
    file = dir.resolve("dockscale.log");
    context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter());
    context.putProperty("dockscale.log.file", file.toString());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(getClass().getResource("/logback.xml"));
  }

  @AfterEach
  void restore() {
    context.stop();
    System.setErr(stderr);
  }

  @Test
  void jsonWritesOneParseableObjectPerLineToTheConsoleAndTheFile() throws Exception {
    LogFormatOption.json(context);
    Logger log = context.getLogger("dev.dockscale.engine.ServiceLoop");
    MDC.put("service", "web");
    try {
      log.info("scale up to {} replicas", 3);
    } finally {
      MDC.remove("service");
    }
    log.warn("balancer \"reload\" failed");

    for (List<JsonNode> lines :
        List.of(jsonLines(console.toString(StandardCharsets.UTF_8)), jsonLines(read(file)))) {
      assertThat(lines).hasSize(2);
      JsonNode first = lines.get(0);
      assertThat(first.path("level").asText()).isEqualTo("INFO");
      assertThat(first.path("loggerName").asText()).isEqualTo("dev.dockscale.engine.ServiceLoop");
      assertThat(first.path("formattedMessage").asText()).isEqualTo("scale up to 3 replicas");
      assertThat(first.path("mdc").path("service").asText()).isEqualTo("web");
      assertThat(first.path("timestamp").asLong()).isPositive();
      assertThat(lines.get(1).path("formattedMessage").asText())
          .isEqualTo("balancer \"reload\" failed");
      assertThat(lines.get(1).path("mdc").has("service")).isFalse();
    }
  }

  @Test
  void textStaysTheDefault() {
    context.getLogger("dev.dockscale.engine.ServiceLoop").info("scale up to {} replicas", 3);

    assertThat(console.toString(StandardCharsets.UTF_8))
        .doesNotStartWith("{")
        .contains("INFO ")
        .contains("scale up to 3 replicas");
  }

  private static String read(Path file) throws Exception {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /** Each non-empty line parsed as one JSON object (fails on anything else). */
  private static List<JsonNode> jsonLines(String text) throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        JsonNode node = Json.mapper().readTree(line);
        assertThat(node.isObject()).as(line).isTrue();
        nodes.add(node);
      }
    }
    return nodes;
  }
}
