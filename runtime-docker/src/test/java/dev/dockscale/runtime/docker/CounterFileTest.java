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
