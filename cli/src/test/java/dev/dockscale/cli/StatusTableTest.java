package dev.dockscale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockscale.engine.Json;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The status table from canned {@code GET /api/v1/services} answers. */
class StatusTableTest {

  /** Two services as the API shows them: one busy with a decision, one paused and overridden. */
  static final String SERVICES =
      """
      [{"name": "web", "desired": 2, "min": 1, "max": 4, "paused": false, "pause": null,
        "override": null,
        "readings": {"cpu": 81.46, "memory": 31.0, "rps": 42.0, "latency": 38.4},
        "replicas": [{"name": "shop-web-1", "state": "ready", "cpu": 83.0, "memory": 31.2},
                     {"name": "shop-web-2", "state": "starting", "cpu": null, "memory": null},
                     {"name": "shop-web-3", "state": "warm", "cpu": 0.1, "memory": 12.0}],
        "lastDecision": {"action": "scale-up",
                         "reason": "scale up: cpu 81.5% over 1 replica(s) by threshold(up 70, down 20, step 1) asks 2",
                         "at": "2026-01-01T12:00:03.250Z", "ageSeconds": 3.8},
        "problems": []},
       {"name": "api", "desired": 3, "min": 1, "max": 5, "paused": true,
        "pause": {"at": "2026-01-01T11:55:00Z", "by": "api (127.0.0.1)"},
        "override": {"replicas": 3, "at": "2026-01-01T12:00:00Z", "until": "2026-01-01T12:10:00Z", "by": "api (127.0.0.1)"},
        "readings": {},
        "replicas": [{"name": "shop-api-1", "state": "draining", "cpu": 5.0, "memory": 20.0}],
        "lastDecision": null,
        "problems": []}]
      """;

  static JsonNode json(String text) throws Exception {
    return Json.mapper().readTree(text);
  }

  static List<String> render(boolean replicas, int width) throws Exception {
    return new StatusTable(replicas, ZoneOffset.UTC, width).render(json(SERVICES));
  }

  @Test
  void rendersOneRowPerServiceInColumnsAsWideAsTheirWidestCell() throws Exception {
    assertThat(render(false, 400))
        .containsExactly(
            "NAME   REPLICAS   DESIRED   CPU %   MEM %   RPS    P95 (ms)   CONTROL                             LAST DECISION",
            "web    1/1/0/1    2         81.5    31.0    42.0   38         -                                   scale-up 3s ago: scale up: cpu 81.5% over 1 replica(s) by threshold(up 70, down 20, step 1) asks 2",
            "api    0/0/1/0    3         -       -       -      -          paused, override 3 until 12:10:00   -");
  }

  @Test
  void replicasAddsAnIndentedRowPerReplicaBelowItsService() throws Exception {
    assertThat(render(true, 400))
        .containsExactly(
            "NAME           REPLICAS   DESIRED   CPU %   MEM %   RPS    P95 (ms)   CONTROL                             LAST DECISION",
            "web            1/1/0/1    2         81.5    31.0    42.0   38         -                                   scale-up 3s ago: scale up: cpu 81.5% over 1 replica(s) by threshold(up 70, down 20, step 1) asks 2",
            "  shop-web-1   ready                83.0    31.2",
            "  shop-web-2   starting             -       -",
            "  shop-web-3   warm                 0.1     12.0",
            "api            0/0/1/0    3         -       -       -      -          paused, override 3 until 12:10:00   -",
            "  shop-api-1   draining             5.0     20.0");
  }

  @Test
  void aServicesProblemsFollowItsRowsOneLineEachOutsideTheColumns() throws Exception {
    String withProblems =
        SERVICES.replaceFirst(
            "\"problems\": \\[\\]\\}\\]",
            "\"problems\": [\"image app:2 cannot be pulled: not found\","
                + " \"restarting after 3 failures, next start in 8s\"]}]");

    List<String> lines = new StatusTable(true, ZoneOffset.UTC, 400).render(json(withProblems));

    assertThat(lines)
        .endsWith(
            "  shop-api-1   draining             5.0     20.0",
            "  ! image app:2 cannot be pulled: not found",
            "  ! restarting after 3 failures, next start in 8s");
    assertThat(lines.get(0)).startsWith("NAME           REPLICAS");
  }

  @Test
  void cutsLinesLongerThanTheWidthWithAnEllipsis() throws Exception {
    List<String> lines = render(false, 120);

    assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(120));
    assertThat(lines.get(1))
        .hasSize(120)
        .startsWith("web    1/1/0/1    2         81.5")
        .endsWith("scale-up 3s ago: scal…");
    assertThat(lines.get(2)).doesNotContain("…");
  }

  @Test
  void printsADashForEveryValueTheApiDoesNotGive() throws Exception {
    List<String> lines =
        new StatusTable(false, ZoneOffset.UTC, 200).render(json("[{\"name\": \"web\"}]"));

    assertThat(lines.get(1).split(" +"))
        .containsExactly("web", "-", "-", "-", "-", "-", "-", "-", "-");
  }

  @ParameterizedTest
  @CsvSource({
    "0.2, 0s ago",
    "59.9, 59s ago",
    "60, 1m ago",
    "3599, 59m ago",
    "7300, 2h ago",
    "200000, 2d ago",
    "-1, 0s ago"
  })
  void agesReadAsTheLargestWholeUnit(double seconds, String age) throws Exception {
    assertThat(StatusTable.age(json(Double.toString(seconds)))).isEqualTo(age);
  }
}
