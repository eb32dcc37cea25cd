package dev.dockscale.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A counter file kept open and read again from its start. */
class CounterFileTest {

  @TempDir Path dir;

  @Test
  void readsTheCurrentContentAtEveryRead() throws IOException {
    Path path = dir.resolve("cpuacct.usage");
    Files.writeString(path, "100\n");
    try (CounterFile file = new CounterFile(path)) {
      long first = file.number();
      Files.writeString(path, "2500\n");

      assertThat(first).isEqualTo(100);
      assertThat(file.number()).isEqualTo(2500);
    }
  }

  @Test
  void findsAFieldOnTheFirstLineOrAnyOtherButNotASuffixOfAnotherName() throws IOException {
    Path path = dir.resolve("memory.stat");
    Files.writeString(path, "inactive_file 7\ncache 1\ntotal_inactive_file 9\n");
    try (CounterFile file = new CounterFile(path)) {
      assertThat(file.field("inactive_file")).isEqualTo(7);
      assertThat(file.field("total_inactive_file")).isEqualTo(9);
      assertThatThrownBy(() -> file.field("rss")).hasMessageContaining("has no rss line");
    }
  }

  @Test
  void readsAFileLongerThanItsFirstBuffer() throws IOException {
    Path path = dir.resolve("memory.stat");
    Files.writeString(path, "padding 1\n".repeat(500) + "inactive_file 42\n");
    try (CounterFile file = new CounterFile(path)) {
      assertThat(file.field("inactive_file")).isEqualTo(42);
    }
  }

  @Test
  void readsAFileOfExactlyItsFirstBuffersSize() throws IOException {
    Path path = dir.resolve("memory.stat");
    String last = "inactive_file 42\n";
    Files.writeString(path, "x".repeat(1024 - last.length() - 1) + "\n" + last);
    try (CounterFile file = new CounterFile(path)) {
      assertThat(file.field("inactive_file")).isEqualTo(42);
      assertThat(file.field("inactive_file")).isEqualTo(42);
    }
  }

  @Test
  void aFieldOnTheLastLineWithoutANewlineAndBlanksAroundANumberAreRead() throws IOException {
    Path stat = dir.resolve("cpu.stat");
    Files.writeString(stat, "usage_usec 1\nnr_periods 12");
    Path usage = dir.resolve("cpuacct.usage");
    Files.writeString(usage, "  77 \n");
    try (CounterFile a = new CounterFile(stat);
        CounterFile b = new CounterFile(usage)) {
      assertThat(a.field("nr_periods")).isEqualTo(12);
      assertThat(b.number()).isEqualTo(77);
    }
  }

  @Test
  void theLargestLongIsACounter() throws IOException {
    Path path = dir.resolve("cpuacct.usage");
    Files.writeString(path, Long.MAX_VALUE + "\n");
    try (CounterFile file = new CounterFile(path)) {
      assertThat(file.number()).isEqualTo(Long.MAX_VALUE);
    }
  }

  @Test
  void aNegativeOrHugeOrEmptyValueIsNotACounter() throws IOException {
    Path path = dir.resolve("memory.current");
    try (CounterFile file = new CounterFile(path)) {
      for (String text :
          new String[] {"-1", "9223372036854775808", "9".repeat(20), "", "12 34", "0x10"}) {
        Files.writeString(path, text + "\n");
        assertThatThrownBy(file::number).hasMessageContaining("where a counter should be");
      }
    }
  }

  @Test
  void aFailedReadOpensTheFileAfreshNextTime() throws IOException {
    Path path = dir.resolve("cpuacct.usage");
    try (CounterFile file = new CounterFile(path)) {
      assertThatThrownBy(file::number).isInstanceOf(IOException.class);
      Files.writeString(path, "5\n");

      assertThat(file.number()).isEqualTo(5);
    }
  }

  @Test
  void aValueThatIsNotACounterIsAnErrorNamingTheFileAndText() throws IOException {
    Path path = dir.resolve("memory.current");
    Files.writeString(path, "max\n");
    try (CounterFile file = new CounterFile(path)) {
      assertThatThrownBy(file::number).hasMessageContaining(path + " holds 'max'");
    }
  }
}
