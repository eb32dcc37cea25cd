package dev.dockscale.runtime.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import dev.dockscale.engine.RuntimeUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The Engine's Swarm endpoints as JSON, for what docker-java's model leaves out or would lose: a
 * task's network addresses, and a service's spec sent back exactly as it was read (fields the model
 * does not know kept) with only the count changed.
 */
final class SwarmApi {

  /** What the Engine answers to an update made from a spec version that is no longer current. */
  static final String OUT_OF_SEQUENCE = "update out of sequence";

  private final DockerHttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  SwarmApi(DockerClient docker) {
    this.http = ((DockerClientImpl) docker).getHttpClient();
  }

  /** The project's services: those carrying {@code labels}. */
  JsonNode services(Map<String, String> labels) {
    return get("/services?filters=" + filters("label", labels));
  }

  /** The tasks of the services with these ids. */
  JsonNode tasks(List<String> serviceIds) {
    return get(
        "/tasks?filters="
            + encode(json.createObjectNode().set("service", json.valueToTree(serviceIds))));
  }

  JsonNode service(String id) {
    return get("/services/" + id);
  }

  void create(JsonNode spec) {
    send(Request.Method.POST, "/services/create", spec);
  }

  /**
   * Updates a service from the spec of {@code version}.
   *
   * @throws OutOfSequenceException when someone changed it since that version
   */
  void update(String id, long version, JsonNode spec) {
    send(Request.Method.POST, "/services/" + id + "/update?version=" + version, spec);
  }

  void remove(String id) {
    send(Request.Method.DELETE, "/services/" + id, null);
  }

  ObjectMapper json() {
    return json;
  }

  private String filters(String key, Map<String, String> labels) {
    var values = json.createArrayNode();
    labels.forEach((k, v) -> values.add(k + "=" + v));
    return encode(json.createObjectNode().set(key, values));
  }

  private String encode(JsonNode filter) {
    return URLEncoder.encode(filter.toString(), StandardCharsets.UTF_8);
  }

  private JsonNode get(String path) {
    try (DockerHttpClient.Response r =
        http.execute(Request.builder().method(Request.Method.GET).path(path).build())) {
      byte[] body = r.getBody().readAllBytes();
      check(r.getStatusCode(), body, "GET " + path);
      return json.readTree(body);
    } catch (IOException e) {
      throw new RuntimeUnavailableException(
          "the Swarm API did not answer GET " + path + ": " + e, e);
    }
  }

  private void send(Request.Method method, String path, JsonNode body) {
    Request.Builder request = Request.builder().method(method).path(path);
    if (body != null) {
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      request.putHeader("Content-Type", "application/json").body(new ByteArrayInputStream(bytes));
    }
    try (DockerHttpClient.Response r = http.execute(request.build())) {
      InputStream in = r.getBody();
      check(r.getStatusCode(), in == null ? new byte[0] : in.readAllBytes(), method + " " + path);
    } catch (IOException e) {
      throw new RuntimeUnavailableException(
          "the Swarm API did not answer " + method + " " + path + ": " + e, e);
    }
  }

  private void check(int status, byte[] body, String call) {
    if (status / 100 == 2) {
      return;
    }
    String message = message(body);
    if (message.contains(OUT_OF_SEQUENCE)) {
      throw new OutOfSequenceException(message);
    }
    if (status == 404) {
      throw new NotFound(call + ": " + message);
    }
    if (message.contains("This node is not a swarm manager")) {
      throw new RuntimeUnavailableException(
          "this Docker engine is not a Swarm manager: run 'docker swarm init' (or run dockscale on a manager node), or set 'runtime: docker'");
    }
    throw new RuntimeUnavailableException(call + " failed (" + status + "): " + message);
  }

  private String message(byte[] body) {
    try {
      JsonNode node = json.readTree(body);
      if (node != null && node.hasNonNull("message")) {
        return node.get("message").asText();
      }
    } catch (IOException notJson) {
      // Said as it came, below.
    }
    return new String(body, StandardCharsets.UTF_8).trim();
  }

  /** Someone changed the service since its spec was read: read it again and retry. */
  static final class OutOfSequenceException extends RuntimeException {
    OutOfSequenceException(String message) {
      super(message);
    }
  }

  /** The object is gone. */
  static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message);
    }
  }
}
