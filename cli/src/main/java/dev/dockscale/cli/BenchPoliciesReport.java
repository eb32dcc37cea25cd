package dev.dockscale.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The policy benchmark's figures: a row per policy and profile, as markdown, CSV and SVG. */
final class BenchPoliciesReport {

  /**
   * One policy under one profile.
   *
   * @param seconds how long the load ran (Gatling's simulation, start to end)
   * @param containerSeconds replicas alive (starting, ready or draining) integrated over that time
   * @param withinSlo the share of requests answered OK within the SLO (a failure is a miss)
   * @param failed requests Gatling counted KO: an error status, a timeout, no answer
   * @param scaleEvents changes of the count of replicas not draining, sampled once a second
   * @param report Gatling's HTML report
   */
  record Row(
      String policy,
      String profile,
      double seconds,
      double containerSeconds,
      long requests,
      double withinSlo,
      long p50,
      long p95,
      long p99,
      long failed,
      int scaleEvents,
      String report) {

    String words() {
      return String.format(
          Locale.ROOT,
          "%.0f container-s over %.0f s, %d requests, %.1f %% within the SLO, p50/p95/p99 %d/%d/%d"
              + " ms, %d failed, %d scale events",
          containerSeconds,
          seconds,
          requests,
          100 * withinSlo,
          p50,
          p95,
          p99,
          failed,
          scaleEvents);
    }
  }

  private final List<Row> rows;

  BenchPoliciesReport(List<Row> rows) {
    this.rows = List.copyOf(rows);
  }

  String markdown() {
    StringBuilder s = new StringBuilder();
    s.append(
        "| profile | policy | container-s | within SLO | p50 ms | p95 ms | p99 ms | failed |"
            + " scale events | requests | Gatling report |\n");
    s.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Row r : byProfile()) {
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.0f | %.1f %% | %d | %d | %d | %d | %d | %d | %s |%n",
              r.profile(),
              r.policy(),
              r.containerSeconds(),
              100 * r.withinSlo(),
              r.p50(),
              r.p95(),
              r.p99(),
              r.failed(),
              r.scaleEvents(),
              r.requests(),
              r.report()));
    }
    return s.toString();
  }

  String csv() {
    StringBuilder s = new StringBuilder();
    s.append(
        "profile,policy,seconds,container_seconds,requests,within_slo,p50_ms,p95_ms,p99_ms,failed,"
            + "scale_events,report\n");
    for (Row r : byProfile()) {
      s.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%.1f,%.1f,%d,%.6f,%d,%d,%d,%d,%d,%s%n",
              r.profile(),
              r.policy(),
              r.seconds(),
              r.containerSeconds(),
              r.requests(),
              r.withinSlo(),
              r.p50(),
              r.p95(),
              r.p99(),
              r.failed(),
              r.scaleEvents(),
              r.report()));
    }
    return s.toString();
  }

  /** The rows grouped by profile, in the order profiles and policies first appear. */
  private List<Row> byProfile() {
    List<String> profiles = rows.stream().map(Row::profile).distinct().toList();
    List<Row> sorted = new ArrayList<>();
    for (String p : profiles) {
      rows.stream().filter(r -> r.profile().equals(p)).forEach(sorted::add);
    }
    return sorted;
  }

  /**
   * Replicas alive integrated over [from, to] (ms since the epoch): each sample holds until the
   * next one (at most 2 s, so that a gap in sampling is not filled by a guess), the last until
   * {@code to}.
   */
  static double containerSeconds(List<BenchPoliciesCommand.Sample> samples, long from, long to) {
    double sum = 0;
    for (int i = 0; i < samples.size(); i++) {
      BenchPoliciesCommand.Sample s = samples.get(i);
      long next = i + 1 < samples.size() ? samples.get(i + 1).at() : to;
      long a = Math.max(s.at(), from);
      long b = Math.min(Math.min(next, s.at() + 2000), to);
      if (b > a) {
        sum += s.alive() * (b - a) / 1000.0;
      }
    }
    return sum;
  }

  /** Changes of the count not draining between samples taken in (from, to]. */
  static int scaleEvents(List<BenchPoliciesCommand.Sample> samples, long from, long to) {
    int events = 0;
    for (int i = 1; i < samples.size(); i++) {
      long at = samples.get(i).at();
      if (at > from && at <= to && samples.get(i).serving() != samples.get(i - 1).serving()) {
        events++;
      }
    }
    return events;
  }

  /** (seconds since {@code from}, replicas not draining) for the samples in [from, to]. */
  static List<double[]> servingOver(List<BenchPoliciesCommand.Sample> samples, long from, long to) {
    List<double[]> points = new ArrayList<>();
    for (BenchPoliciesCommand.Sample s : samples) {
      if (s.at() >= from && s.at() <= to) {
        points.add(new double[] {(s.at() - from) / 1000.0, s.serving()});
      }
    }
    return points;
  }
}
