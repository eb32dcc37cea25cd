package dev.dockscale.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockscale.config.UnreadableFileException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceTest {

  @TempDir Path dir;

  @Test
  void acceptsAByteOrderMarkBeforeTheHeader() throws IOException {
    Path file = dir.resolve("bom.csv");
    Files.write(file, "\uFEFFt,demand\n0,0.5\n".getBytes(StandardCharsets.UTF_8));
    assertThat(Trace.read(file).points()).containsExactly(new Trace.Point(0, 0.5, Double.NaN));
  }

  @Test
  void refusesMoreThanSevenDaysOfTraceTimeWithTheLine() {
    assertThatThrownBy(() -> Trace.parse("x", "t,demand\n0,1\n# far\n1e9,1\n"))
        .hasMessage(
            "x line 4: t = 1e9 s is past the 7-day limit of a trace (604800 s); t is in seconds from the start");
    assertThat(Trace.parse("x", "t,demand\n0,1\n604800,1\n").end()).isEqualTo(604800);
  }

  @Test
  void refusesMoreThanAMillionRowsWithTheLine() {
    StringBuilder csv = new StringBuilder("t,demand\n");
    for (int i = 0; i <= Trace.MAX_ROWS; i++) {
      csv.append(i / 10.0).append(",1\n");
    }
    assertThatThrownBy(() -> Trace.parse("x", csv.toString()))
        .hasMessage(
            "x line 1000002: more than 1000000 rows; a trace needs a row only where the load changes");
  }

  @Test
  void refusesAFileOverFiftyMegabytes() throws IOException {
    Path file = dir.resolve("huge.csv");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(Trace.MAX_BYTES + 1);
    }
    assertThatThrownBy(() -> Trace.read(file))
        .isInstanceOf(UnreadableFileException.class)
        .hasMessage(file + " is larger than 50m; is it the right file?");
  }

  @Test
  void saysWhenTheTraceFileIsMissing() {
    Path file = dir.resolve("nope.csv");
    assertThatThrownBy(() -> Trace.read(file)).hasMessage("no such file: " + file);
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "-1", "Infinity", "1e999", "1d", "0x1p3", "", "2e9"})
  void refusesAValueThatIsNotAPlainNumberInRangeWithTheLine(String value) {
    assertThatThrownBy(() -> Trace.parse("x", "t,demand\n0,1\n5," + value + "\n"))
        .hasMessage("x line 3: demand must be a number from 0 to 1e9, got '" + value + "'");
  }

  @Test
  void refusesTimeThatDoesNotIncreaseWithTheLine() {
    assertThatThrownBy(() -> Trace.parse("x", "t,demand\n0,1\n5,1\n4,1\n"))
        .hasMessageContaining("x line 4: t must increase, got 4 after 5");
  }

  @Test
  void namesTheLineOfAFirstRowNotAtZero() {
    assertThatThrownBy(() -> Trace.parse("x", "t,demand\n# starts late\n5,1\n"))
        .hasMessage("x line 3: the first row must be at t=0, got 5");
  }

  @Test
  void findsTheRowInForceAtAnyTime() {
    Trace trace = Trace.parse("x", "t,demand\n0,1\n10,2\n20,3\n");
    assertThat(trace.at(0).demand()).isEqualTo(1);
    assertThat(trace.at(9.99).demand()).isEqualTo(1);
    assertThat(trace.at(10).demand()).isEqualTo(2);
    assertThat(trace.at(19).demand()).isEqualTo(2);
    assertThat(trace.at(1e6).demand()).isEqualTo(3);
  }
}
