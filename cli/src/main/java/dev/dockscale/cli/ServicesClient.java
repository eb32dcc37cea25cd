package dev.dockscale.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dockscale.config.DockscaleConfig.Address;
import dev.dockscale.engine.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads {@code GET /api/v1/services} from the running dockscale, at the config's {@code api.listen}
 * and nowhere else (no proxy, no redirects).
 */
final class ServicesClient {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(2);

  private final String where;
  private final Path config;
  private final URI uri;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(CONNECT_TIMEOUT)
          .proxy(HttpClient.Builder.NO_PROXY)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** A client of the API listening at {@code listen} (0.0.0.0 is read on 127.0.0.1). */
  ServicesClient(Address listen, Path config) {
    String host = listen.host().equals("0.0.0.0") ? "127.0.0.1" : listen.host();
    this.where = host + ":" + listen.port();
    this.config = config;
    this.uri = URI.create("http://" + where + "/api/v1/services");
  }

  /** host:port it reads from. */
  String where() {
    return where;
  }

  /**
   * The services as the API answers them: a JSON array.
   *
   * @throws ApiUnavailableException when nothing answers in time, or not as dockscale would
   */
  JsonNode services() throws InterruptedException {
    HttpResponse<String> answer;
    try {
      answer =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(ANSWER_TIMEOUT)
                  .header("Accept", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw noAnswer("connection refused");
    } catch (HttpTimeoutException e) {
      throw noAnswer("no answer within " + ANSWER_TIMEOUT.toSeconds() + "s");
    } catch (IOException e) {
      throw noAnswer(e.toString());
    }
    if (answer.statusCode() != 200) {
      throw new ApiUnavailableException(
          where
              + " answered "
              + answer.statusCode()
              + " to GET /api/v1/services: "
              + errorText(answer.body())
              + " (is it a dockscale of this version, started with "
              + config
              + "?)");
    }
    JsonNode services;
    try {
      services = Json.mapper().readTree(answer.body());
    } catch (JsonProcessingException e) {
      services = null;
    }
    if (services == null || !services.isArray()) {
      throw new ApiUnavailableException(
          where
              + " answered GET /api/v1/services with something other than dockscale's list of services (is another program listening on that port?)");
    }
    return services;
  }

  private ApiUnavailableException noAnswer(String why) {
    return new ApiUnavailableException(
        "no dockscale answers on "
            + where
            + " ("
            + why
            + "; is 'dockscale run' running with api.listen set in "
            + config
            + "?)");
  }

  /** The API's {@code error} text, or the start of whatever else the body is. */
  private static String errorText(String body) {
    try {
      JsonNode error = Json.mapper().readTree(body).path("error");
      if (error.isTextual()) {
        return error.asText();
      }
    } catch (JsonProcessingException e) {
      // Not dockscale's error shape: the body itself, shortened, says more than nothing.
    }
    String text = body.strip();
    return text.isEmpty() ? "(no body)" : text.substring(0, Math.min(200, text.length()));
  }
}
