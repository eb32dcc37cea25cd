package dev.dockscale.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dockscale.metrics.Metric;
import dev.dockscale.policy.Decision;
import dev.dockscale.policy.ReplicaView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * driven by Selenium with the driver's path given, so nothing is looked up on the network) over an
 * API on 127.0.0.1 whose steering holds 15 minutes of history: the charts draw, a scale decision
 * made while the page is open shows as a marker with its reason, and the browser logs no error.
 * Skipped, saying so, where Chromium is not installed.
 */
class DashboardIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOT = Path.of("target", "dashboard.png");
  private static final String REASON =
      "scale up: rps 130.0 over 3 replica(s) by target(50) asks 4 (made by DashboardIT)";
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @Test
  void drawsTheChartsAndANewScaleDecisionAsAMarkerWithItsReason() throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "skipped: "
            + CHROMIUM
            + " or "
            + CHROMEDRIVER
            + " is not installed (Debian: apt-get install chromium chromium-driver, or"
            + " scripts/ensure-test-tools.sh)");
    Clock clock = Clock.systemUTC();
    FakeSteering steering = new FakeSteering(clock);
    Instant now = clock.instant();
    seed(steering, now);
    try (ApiServer api = new ApiServer(steering, ApiServerTest.TOKEN, clock)) {
      int port = api.start("127.0.0.1", 0);
      ChromeDriver driver = chromium();
      try {
        driver.get("http://127.0.0.1:" + port + "/");
        await("the history drawn").atMost(PATIENCE).until(() -> number(driver, POINTS) >= 80);
        List<?> canvases =
            (List<?>)
                driver.executeScript(
                    "return [...document.querySelectorAll('.service canvas')]"
                        + ".map(c => c.width * c.height)");
        assertThat(canvases).hasSize(4).allMatch(area -> ((Number) area).longValue() > 0);
        await("the seeded scales marked").atMost(PATIENCE).until(() -> number(driver, PINS) == 3);
        assertThat(driver.findElements(By.cssSelector("#decisions tr"))).hasSize(3);

        steering.decide(
            Decision.scaleTo(
                clock.instant(), 3, 3, 4, REASON, List.of(), List.of(), inputs(3, 80, 130)));

        await("the new scale marked").atMost(PATIENCE).until(() -> number(driver, PINS) == 4);
        assertThat(driver.findElement(By.cssSelector("#decisions tr")).getText())
            .contains("scale-up", "3 → 4", REASON);
        WebElement pin = driver.findElements(By.cssSelector(PIN_SELECTOR)).get(3);
        new Actions(driver).moveToElement(pin).perform();
        await("the reason shown on hover")
            .atMost(PATIENCE)
            .until(
                () ->
                    driver.findElement(By.cssSelector(".marker-info")).getText().contains(REASON));

        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(
            driver.getScreenshotAs(OutputType.FILE).toPath(),
            SCREENSHOT,
            StandardCopyOption.REPLACE_EXISTING);
        List<String> errors =
            driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::toString)
                .toList();
        assertThat(errors).as("the browser's console").isEmpty();
      } finally {
        driver.quit();
      }
    }
  }

  private static final String PIN_SELECTOR = ".service[data-service='web'] .marker";
  private static final String POINTS =
      "const s = window.dockscale && window.dockscale.services.get('web');"
          + " return s && s.charts.length ? s.charts[0].u.data[0].length : 0;";
  private static final String PINS =
      "return document.querySelectorAll(\"" + PIN_SELECTOR + "\").length;";

  private static long number(ChromeDriver driver, String script) {
    return ((Number) driver.executeScript(script)).longValue();
  }

  private static ChromeDriver chromium() {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    return new ChromeDriver(service, options);
  }

  /**
   * A decision every 10 s over the last 15 minutes: one replica, two from the 30th, three from the
   * 50th, two again from the 75th (three scales to mark), the load following.
   */
  private static void seed(FakeSteering steering, Instant now) {
    int replicas = 1;
    for (int i = 0; i < 90; i++) {
      int desired = i < 30 ? 1 : i < 50 ? 2 : i < 75 ? 3 : 2;
      double load = 20 + 60 * Math.sin(Math.PI * i / 90);
      Instant at = now.minusSeconds((89 - i) * 10L);
      steering.decide(
          Decision.scaleTo(
              at,
              replicas,
              replicas,
              desired,
              desired == replicas ? "hold: within the thresholds" : "scale to " + desired,
              List.of(),
              List.of(),
              inputs(replicas, load, load * 1.5)));
      replicas = desired;
    }
    steering.pass(
        Decision.hold(now, 2, 2, "hold", List.of(), List.of(), List.of()),
        40,
        FakeSteering.replica("p-web-1", true, now),
        FakeSteering.replica("p-web-2", true, now));
  }

  private static List<ReplicaView> inputs(int replicas, double cpu, double rps) {
    List<ReplicaView> views = new ArrayList<>();
    for (int r = 0; r < replicas; r++) {
      views.add(
          ReplicaView.of(
              "p-web-" + r,
              Instant.EPOCH,
              true,
              Map.of(
                  Metric.CPU,
                  cpu,
                  Metric.MEMORY,
                  30.0 + 5 * r,
                  Metric.RPS,
                  rps,
                  Metric.LATENCY,
                  40 + cpu)));
    }
    return views;
  }
}
