package dev.dockscale.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockscale.config.ConfigException.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Config fuzzing: valid configs, randomly broken (lines deleted, duplicated or re-indented, values
 * swapped for odd scalars, unknown keys, aliases, truncation), are either read or refused with a
 * {@link ConfigException} whose every problem says where (a line or a field path) and what; never
 * any other exception.
 */
class ConfigLoaderProperties {

  private static final String EVERY_STRATEGY =
      """
      project: fuzz
      interval: 500ms
      x-defaults: &defaults
        image: registry.example.com:5000/team/app:V1.2
        resources: { cpus: 0.25, memory: 128m, cpuset: "0-1" }
        health: { path: /health, interval: 1s, timeout: 500ms, retries: 2, start-period: 30s, replace-after: 10s }
      services:
        web:
          <<: *defaults
          port: 8080
          env: { NAME: "{{name}}", SERVICE: "{{service}}", INDEX: "{{index}}", PLAIN: "010" }
          replicas: { min: 1, max: 8 }
          path: /web
          drain: 5s
          stop-timeout: 20s
          startup: 3s
          scale:
            preset: classic
            cpu: { up: 75, down: 25, step: 50% }
            memory: { up: 85, down: 30, step: 2 }
            cooldown: { up: 5s, down: 30s }
            window: { up: 0s, down: 1m }
        api:
          <<: *defaults
          health: { tcp: true }
          replicas: { min: 2, max: 20 }
          path: /api
          scale:
            preset: hpa
            cpu: { target: 60, tolerance: 0.05 }
            limits:
              up: [ { replicas: 4, period: 15s }, { percent: 100, period: 15s } ]
              down: [ { percent: 50, period: 30s } ]
              up-select: max
              down-select: min
            warmup: 10s
        batch:
          image: app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
          replicas: { max: 3 }
          path: /batch
          scale:
            preset: dockscale
            memory:
              steps:
                - { above: 90, add: 3 }
                - { above: 75, below: 90, add: 50% }
                - { below: 20, remove: 1 }
      balancer:
        listen: 0.0.0.0:8081
        image: dockscale/nginx:latest
      """;

  private static final String MINIMAL =
      "services:\n  web:\n    image: a:1\n    replicas: { max: 2 }\n";

  private static final List<String> SEEDS =
      List.of(
          read(Path.of("../dockscale.yml")),
          read(Path.of("../cli/src/main/resources/demo.yml")),
          read(Path.of("../simulator/traces/reference.yml")),
          EVERY_STRATEGY,
          MINIMAL);

  /**
   * Values a mutation writes in place of another: odd, huge, negative, not numbers, YAML syntax.
   */
  private static final List<String> ODD_VALUES =
      List.of(
          "",
          "0",
          "-1",
          "-0",
          "1.5",
          "NaN",
          ".nan",
          ".inf",
          "-.inf",
          "1e309",
          "1e-400",
          "99999999999999999999",
          "9223372036854775808",
          "2147483648",
          "~",
          "null",
          "yes",
          "off",
          "010",
          "0x1F",
          "0o17",
          "1_000",
          "\"\"",
          "\"70\"",
          "'x'",
          "[]",
          "{}",
          "[1, 2]",
          "{ a: 1 }",
          "*nope",
          "*defaults",
          "&x 1",
          "é",
          "日本語",
          "\uD83D\uDE00",
          "\u0007",
          "\t",
          "!!binary aGk=",
          "!foo bar",
          "!!int x",
          "|",
          ">",
          "- a",
          "? x",
          "@",
          "`",
          "%",
          "#",
          "{{nmae}}",
          "{{name}}",
          "1h",
          "2h",
          "1e30s",
          "-5s",
          "1d",
          "50%",
          "-5%",
          "1e400%",
          "256m",
          "99999999999999g",
          "0.1k",
          "MyOrg/App:1",
          "a//b",
          "/x",
          "x y",
          "0.0.0.0:99999",
          "localhost:1",
          "<<",
          "\"\\u0000\"",
          "'",
          "\"",
          "{",
          "[",
          "]");

  /** A value after a key: up to a comma, a closing bracket, a comment or the end of the line. */
  private static final Pattern VALUE = Pattern.compile(": ([^,}\\]\\n#]+)");

  /** One random change to a config's text; the numbers pick where, modulo what is there. */
  record Mutation(int kind, int where, int amount, String value) {

    String apply(String yaml) {
      List<String> lines = new ArrayList<>(yaml.lines().toList());
      if (lines.isEmpty()) {
        lines.add("");
      }
      int i = Math.floorMod(where, lines.size());
      String line = lines.get(i);
      switch (kind) {
        case 0 -> lines.remove(i);
        case 1 -> lines.add(i, line);
        case 2 ->
            lines.set(
                i,
                amount >= 0
                    ? " ".repeat(Math.floorMod(amount, 5)) + line
                    : line.substring(
                        Math.min(line.length() - line.stripLeading().length(), -amount)));
        case 3 -> {
          // Any value of the file, in a block or a flow map or list.
          String text = String.join("\n", lines);
          List<int[]> sites = new ArrayList<>();
          Matcher m = VALUE.matcher(text);
          while (m.find()) {
            sites.add(new int[] {m.start(1), m.end(1)});
          }
          if (sites.isEmpty()) {
            return text + value;
          }
          int[] site = sites.get(Math.floorMod(amount, sites.size()));
          return text.substring(0, site[0]) + value + text.substring(site[1]) + "\n";
        }
        case 4 ->
            lines.add(
                i,
                " ".repeat(line.length() - line.stripLeading().length())
                    + (value.isBlank() ? "unknown" : value)
                    + ": 1");
        case 5 -> {
          String text = String.join("\n", lines);
          return text.substring(0, Math.floorMod(amount, text.length() + 1));
        }
        case 6 -> {
          int colon = line.indexOf(": ");
          if (colon >= 0) {
            lines.set(i, line.substring(0, colon + 2) + "&a " + line.substring(colon + 2));
            int j = Math.floorMod(amount, lines.size());
            String other = lines.get(j);
            int c = other.indexOf(": ");
            lines.set(j, c < 0 ? other + " *a" : other.substring(0, c + 2) + "*a");
          }
        }
        case 7 -> {
          int at = Math.floorMod(amount, line.length() + 1);
          lines.set(i, line.substring(0, at) + value + line.substring(at));
        }
        default -> {
          // Swap a whole line for the value, at the line's indentation.
          lines.set(i, " ".repeat(line.length() - line.stripLeading().length()) + value);
        }
      }
      return String.join("\n", lines) + "\n";
    }
  }

  @Provide
  Arbitrary<String> brokenConfigs() {
    Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(40);
    Arbitrary<String> numbers =
        Combinators.combine(
                Arbitraries.of("", "-", "+"),
                digits,
                Arbitraries.of("", ".", ".5", ".000001"),
                Arbitraries.of("", "", "e3", "e-5", "e309", "E+400"),
                Arbitraries.of("", "", "", "ms", "s", "m", "h", "d", "k", "g", "t", "%", "MiB"))
            .as(
                (sign, whole, fraction, exponent, unit) ->
                    sign + whole + fraction + exponent + unit);
    Arbitrary<String> values =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.of(ODD_VALUES)),
            Tuple.of(4, numbers),
            Tuple.of(1, Arbitraries.strings().ofMaxLength(12)),
            Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12)));
    Arbitrary<Integer> kinds =
        Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.of(0, 1, 2, 4, 5, 6, 7, 8)), Tuple.of(2, Arbitraries.just(3)));
    Arbitrary<Mutation> mutation =
        Combinators.combine(
                kinds, Arbitraries.integers(), Arbitraries.integers().between(-8, 4000), values)
            .as(Mutation::new);
    return Combinators.combine(Arbitraries.of(SEEDS), mutation.list().ofMinSize(1).ofMaxSize(4))
        .as(
            (seed, mutations) -> {
              String yaml = seed;
              for (Mutation m : mutations) {
                yaml = m.apply(yaml);
              }
              return yaml;
            });
  }

  @Property(tries = 3000)
  void refusesABrokenConfigOnlyWithProblemsThatSayWhereAndWhat(
      @ForAll("brokenConfigs") String yaml) {
    try {
      ConfigLoader.parse("fuzz.yml", yaml);
      Statistics.label("outcome").collect("read");
    } catch (ConfigException e) {
      Statistics.label("outcome").collect("refused");
      assertThat(e.problems()).isNotEmpty();
      for (Problem p : e.problems()) {
        assertThat(p.line() > 0 || !p.path().isEmpty()).as("where: %s", p).isTrue();
        assertThat(p.message()).as("what: %s", p).isNotBlank();
      }
    }
    // The mutations must neither spare nor wreck every config, or they test little.
    Statistics.label("outcome")
        .coverage(
            c -> {
              c.check("read").percentage(p -> p > 2);
              c.check("refused").percentage(p -> p > 50);
            });
  }

  @Example
  void everySeedIsValid() {
    for (String seed : SEEDS) {
      assertThat(ConfigLoader.parse("seed.yml", seed).services()).isNotEmpty();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
