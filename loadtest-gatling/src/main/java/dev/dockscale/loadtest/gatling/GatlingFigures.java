package dev.dockscale.loadtest.gatling;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures a benchmark keeps from one Gatling run, read from its HTML report. Gatling 3.13
 * writes them nowhere else in a readable form: its {@code simulation.log} is binary since 3.12, and
 * the report has no {@code stats.json}, only {@code js/stats.js}, a script that sets {@code var
 * stats = {...}} (keys unquoted at the top, JSON below). Response times are whole milliseconds,
 * from the request's send to its answer; an open injection sends each request when its user
 * arrives.
 *
 * @param ko requests that failed Gatling's default check (a status other than 2xx or 304), timed
 *     out or got no answer
 * @param p50 of the OK answers' response times, as {@code p95}, {@code p99} and {@code max}; zero
 *     when nothing was answered OK
 * @param withinSlo requests answered OK in less than {@code slo}, as a share of all requests (a KO
 *     counts as a miss)
 */
public record GatlingFigures(
    long requests,
    long ko,
    Duration p50,
    Duration p95,
    Duration p99,
    Duration max,
    Duration slo,
    double withinSlo) {

  private static final String ASSIGNMENT = "var stats = ";
  private static final ObjectMapper READER =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES).build();

  /** Gatling names its first response-time range "t < 500 ms": the SLO bound if GatlingRun ran. */
  private static final Pattern BELOW = Pattern.compile("t < (\\d+) ms");

  /**
   * Reads the figures of the report in {@code runFolder}, whose response-time ranges must have been
   * drawn at {@code slo} (as {@link GatlingRun} does).
   *
   * @throws IllegalStateException when the report is not there or its first range is another
   */
  public static GatlingFigures read(Path runFolder, Duration slo) {
    Path file = runFolder.resolve("js").resolve("stats.js");
    JsonNode stats;
    try {
      String script = Files.readString(file);
      int start = script.indexOf(ASSIGNMENT);
      if (start < 0) {
        throw new IllegalStateException("no '" + ASSIGNMENT + "' in " + file);
      }
      // the parser reads the one object literal after the assignment and stops there
      try (JsonParser parser = READER.createParser(script.substring(start + ASSIGNMENT.length()))) {
        stats = READER.readValue(parser, JsonNode.class).path("stats");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Gatling's figures in " + file, e);
    }
    if (stats.isMissingNode()) {
      throw new IllegalStateException("no \"stats\" in " + file);
    }
    String below = stats.path("group1").path("name").asText();
    Matcher bound = BELOW.matcher(below);
    if (!bound.matches() || Long.parseLong(bound.group(1)) != slo.toMillis()) {
      throw new IllegalStateException(
          "the report in "
              + runFolder
              + " counts '"
              + below
              + "', not t < "
              + slo.toMillis()
              + " ms");
    }
    long requests = count(stats, "numberOfRequests", "total");
    return new GatlingFigures(
        requests,
        count(stats, "numberOfRequests", "ko"),
        okMillis(stats, "percentiles1"),
        okMillis(stats, "percentiles3"),
        okMillis(stats, "percentiles4"),
        okMillis(stats, "maxResponseTime"),
        slo,
        requests == 0 ? 0 : (double) stats.path("group1").path("count").asLong() / requests);
  }

  /** Gatling writes its figures as strings, and "-" for one with no request behind it. */
  private static long count(JsonNode stats, String figure, String part) {
    JsonNode value = stats.path(figure).path(part);
    if (value.isMissingNode()) {
      throw new IllegalStateException("no " + figure + "." + part + " in Gatling's stats.js");
    }
    if (value.asText().equals("-")) {
      return 0;
    }
    try {
      return Long.parseLong(value.asText());
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          figure + "." + part + " in Gatling's stats.js is not a count: " + value, e);
    }
  }

  private static Duration okMillis(JsonNode stats, String figure) {
    return Duration.ofMillis(count(stats, figure, "ok"));
  }

  /**
   * The figures as one line of {@code key=value} pairs for a program to read (times in ms, the
   * share as a fraction): {@code requests=100 ko=0 p50_ms=3 ... slo_ms=250 within_slo=0.990000}.
   */
  public String keyValues() {
    return String.format(
        java.util.Locale.ROOT,
        "requests=%d ko=%d p50_ms=%d p95_ms=%d p99_ms=%d max_ms=%d slo_ms=%d within_slo=%.6f",
        requests,
        ko,
        p50.toMillis(),
        p95.toMillis(),
        p99.toMillis(),
        max.toMillis(),
        slo.toMillis(),
        withinSlo);
  }

  @Override
  public String toString() {
    return String.format(
        "requests %d, KO %d, p50 %d ms, p95 %d ms, p99 %d ms, max %d ms, %.1f %% answered OK within"
            + " %d ms",
        requests,
        ko,
        p50.toMillis(),
        p95.toMillis(),
        p99.toMillis(),
        max.toMillis(),
        100 * withinSlo,
        slo.toMillis());
  }
}
