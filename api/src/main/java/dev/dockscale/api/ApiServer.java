package dev.dockscale.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockscale.config.DockscaleConfig;
import dev.dockscale.engine.Control;
import dev.dockscale.engine.DecisionLog;
import dev.dockscale.engine.Json;
import dev.dockscale.engine.NoSuchServiceException;
import dev.dockscale.engine.RefusedException;
import dev.dockscale.engine.ServiceView;
import dev.dockscale.engine.Steering;
import dev.dockscale.policy.Durations;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API over the loop's {@link Steering} seam: services and decisions to read, the event
 * stream, hand controls to write (bearer token), {@code /healthz}, {@code /metrics} and the {@link
 * Dashboard} at {@code /}. Routes are under {@code /api/v1}; errors are {@code {"error": ...,
 * "field": ...}}.
 */
public final class ApiServer implements AutoCloseable {

  static final String V1 = "/api/v1";
  static final int MAX_LIMIT = 500;
  private static final String ANSWERED = "dockscale.answered";
  static final int DEFAULT_LIMIT = 50;
  private static final Set<String> OVERRIDE_FIELDS = Set.of("replicas", "ttl");
  private static final Set<HandlerType> WRITES =
      Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.DELETE, HandlerType.PATCH);

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private final Steering steering;
  private final Clock clock;
  private final BearerAuth auth;
  private final PrometheusMetrics metrics;
  private final EventStream events;
  private final Javalin app;

  public ApiServer(Steering steering, String token, Clock clock) {
    this.steering = steering;
    this.clock = clock;
    this.auth = new BearerAuth(token);
    this.metrics = new PrometheusMetrics(clock);
    this.events = new EventStream();
    steering.onPass(metrics::onPass);
    steering.onDecision(metrics::onDecision);
    steering.onPass(events::pass);
    steering.onDecision(events::decision);
    this.app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.jsonMapper(new JavalinJackson(Json.mapper(), false));
              Dashboard.serve(config);
            });
    routes();
  }

  private void routes() {
    app.before(
        V1 + "/*",
        ctx -> {
          if (WRITES.contains(ctx.method())) {
            auth.check(ctx.header("Authorization"));
          }
        });
    app.exception(
        ApiException.class,
        (e, ctx) -> {
          ctx.attribute(ANSWERED, true);
          ctx.status(e.status()).json(e.body());
        });
    app.exception(
        Exception.class,
        (e, ctx) -> {
          // The details (which may name files and paths) go to the log, not to the caller.
          LOG.warn("{} {} failed", ctx.method(), ctx.path(), e);
          ctx.status(500)
              .json(
                  new ApiException.Body(
                      "internal error: dockscale's log has the details; try again", null));
        });
    app.error(404, ApiServer::noSuchRoute);
    Dashboard.routes(app);
    app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
    app.get(
        "/metrics",
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    app.get(V1 + "/services", ctx -> ctx.json(services()));
    app.get(V1 + "/services/{name}", ctx -> ctx.json(service(ctx.pathParam("name"))));
    app.get(V1 + "/services/{name}/history", this::history);
    app.get(V1 + "/decisions", this::decisions);
    app.before(
        V1 + "/events",
        ctx -> {
          // Javalin serves the stream only to a client that asks for one; say so, not an empty 200.
          if (!"text/event-stream".equals(ctx.header("Accept"))) {
            throw new ApiException(
                406, "Accept", "the event stream needs the header 'Accept: text/event-stream'");
          }
          if (ctx.method() == HandlerType.GET) {
            events.admit();
          }
        });
    app.sse(V1 + "/events", events::join);
    app.post(
        V1 + "/services/{name}/pause",
        ctx -> ctx.json(control(() -> steering.pause(ctx.pathParam("name"), by(ctx)))));
    app.post(
        V1 + "/services/{name}/resume",
        ctx -> ctx.json(control(() -> steering.resume(ctx.pathParam("name"), by(ctx)))));
    app.put(V1 + "/services/{name}/override", this::override);
    app.delete(
        V1 + "/services/{name}/override",
        ctx -> ctx.json(control(() -> steering.clearOverride(ctx.pathParam("name"), by(ctx)))));
  }

  /** A route that does not exist (as against a service that does not): the same error shape. */
  private static void noSuchRoute(Context ctx) {
    if (ctx.attribute(ANSWERED) == null) {
      ctx.json(
          new ApiException.Body(
              "no route " + ctx.method() + " " + ctx.path() + ": see docs/api.md", null));
    }
  }

  /**
   * Starts the API {@code config} asks for over {@code steering}, with {@code api.token} or the
   * token generated into the state dir; {@code notice} is told where it listens and where the token
   * is.
   *
   * @throws IllegalStateException when it cannot listen there, saying what to change
   */
  public static ApiServer start(
      DockscaleConfig config, Steering steering, Clock clock, Consumer<String> notice) {
    DockscaleConfig.ApiSpec spec = config.api();
    String token = spec.token();
    String where = "api.token";
    if (token == null) {
      token = TokenFile.readOrCreate(config.stateDir());
      where = config.stateDir().resolve(TokenFile.NAME).toString();
    }
    ApiServer server = new ApiServer(steering, token, clock);
    try {
      server.start(spec.listen().host(), spec.listen().port());
    } catch (RuntimeException e) {
      server.close();
      throw new IllegalStateException(
          "api.listen "
              + spec.listen()
              + ": cannot listen there ("
              + e.getMessage()
              + "): choose a free port or another address",
          e);
    }
    notice.accept(
        "api on http://"
            + spec.listen()
            + V1
            + (spec.listen().loopback() ? "" : " (NOT loopback: reachable from other hosts)")
            + "; writes need the bearer token in "
            + where);
    return server;
  }

  /** Starts listening; returns the port (useful when asked for port 0). */
  public int start(String host, int port) {
    app.start(host, port);
    return app.port();
  }

  private List<Views.ServiceJson> services() {
    Instant now = clock.instant();
    return steering.services().stream().map(v -> Views.service(v, now)).toList();
  }

  private Views.ServiceJson service(String name) {
    return steering.services().stream()
        .filter(v -> v.service().equals(name))
        .findFirst()
        .map(v -> Views.service(v, clock.instant()))
        .orElseThrow(() -> notFound("name", name));
  }

  private ApiException notFound(String field, String name) {
    return new ApiException(
        404,
        field,
        "no service '"
            + name
            + "'; the services are "
            + String.join(", ", steering.services().stream().map(ServiceView::service).toList()));
  }

  private void decisions(Context ctx) {
    String service = ctx.queryParam("service");
    if (service != null && !known(service)) {
      throw notFound("service", service);
    }
    String sinceText = ctx.queryParam("since");
    Instant since = sinceText == null ? null : instant("since", sinceText);
    Long before = null;
    String beforeText = ctx.queryParam("before");
    if (beforeText != null) {
      before = whole("before", beforeText, 1, Long.MAX_VALUE);
    }
    String limitText = ctx.queryParam("limit");
    int limit = limitText == null ? DEFAULT_LIMIT : (int) whole("limit", limitText, 1, MAX_LIMIT);
    DecisionLog.Page page = steering.decisions(service, since, before, limit);
    ctx.json(page);
  }

  /** The service's decisions since {@code since} (default the last 15 minutes) as columns. */
  private void history(Context ctx) {
    String name = ctx.pathParam("name");
    if (!known(name)) {
      throw notFound("name", name);
    }
    String sinceText = ctx.queryParam("since");
    Instant since =
        sinceText == null
            ? clock.instant().minus(History.DEFAULT_SPAN)
            : instant("since", sinceText);
    DecisionLog.Page page = steering.decisions(name, since, null, History.MAX_POINTS);
    ctx.json(History.of(name, since, page.decisions(), page.next() != null));
  }

  private static Instant instant(String field, String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          field, "'" + text + "' is not an ISO-8601 instant: write e.g. 2026-01-01T12:00:00Z");
    }
  }

  /**
   * A service of the running config, or one the log has decisions of (a service removed since):
   * anything else is a misspelling, answered 404 rather than an empty page.
   */
  private boolean known(String service) {
    return steering.services().stream().anyMatch(v -> v.service().equals(service))
        || !steering.decisions(service, null, null, 1).decisions().isEmpty();
  }

  /** A whole number in {@code [min, max]}; sequence numbers are longs, so is this. */
  private static long whole(String field, String text, long min, long max) {
    try {
      long n = Long.parseLong(text.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Refused below, with the range.
    }
    throw ApiException.badRequest(
        field,
        field + " must be a whole number from " + min + " to " + max + ", got '" + text + "'");
  }

  private void override(Context ctx) {
    String name = ctx.pathParam("name");
    JsonNode body;
    try {
      body = Json.mapper().readTree(ctx.body());
    } catch (IOException e) {
      body = null;
    }
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest(
          null, "the body must be a JSON object, e.g. {\"replicas\": 3, \"ttl\": \"10m\"}");
    }
    for (String field : (Iterable<String>) body::fieldNames) {
      if (!OVERRIDE_FIELDS.contains(field)) {
        throw ApiException.badRequest(
            field,
            "unknown field '"
                + field
                + "': an override takes only replicas and ttl, e.g. {\"replicas\": 3, \"ttl\": \"10m\"}");
      }
    }
    JsonNode replicas = body.get("replicas");
    if (replicas == null || !replicas.canConvertToExactIntegral() || !replicas.canConvertToInt()) {
      throw ApiException.badRequest(
          "replicas", "replicas must be a whole number of replicas, e.g. {\"replicas\": 3, ...}");
    }
    JsonNode ttlNode = body.get("ttl");
    if (ttlNode == null || ttlNode.isNull()) {
      throw ApiException.badRequest(
          "ttl", "ttl is required: how long the override lasts, e.g. \"ttl\": \"10m\"");
    }
    if (!ttlNode.isTextual()) {
      throw ApiException.badRequest(
          "ttl", "ttl must be a duration string like \"10m\" (30s, 10m, 2h), got " + ttlNode);
    }
    Duration ttl;
    try {
      ttl = Durations.parse(ttlNode.asText());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("ttl", "ttl: " + e.getMessage());
    }
    int n = replicas.asInt();
    ctx.json(control(() -> steering.override(name, n, ttl, by(ctx))));
  }

  /** Runs a hand control, mapping what the loop refuses to 404 and 400. */
  private static Control control(Supplier<Control> call) {
    try {
      return call.get();
    } catch (NoSuchServiceException e) {
      throw new ApiException(404, "name", e.getMessage());
    } catch (RefusedException e) {
      throw ApiException.badRequest(e.field(), e.getMessage());
    }
  }

  /** Who asked: the API and the caller's address, for the decision's reason. */
  private static String by(Context ctx) {
    return "api (" + ctx.ip() + ")";
  }

  @Override
  public void close() {
    events.close();
    app.stop();
  }
}
