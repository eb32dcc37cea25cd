package dev.dockscale.balancer.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestLogTailTest {

  private final FakeRequestLog log;
  private final RequestLogTail tail;

  RequestLogTailTest() throws IOException {
    log = new FakeRequestLog();
    tail = new RequestLogTail(log::port);
  }

  @AfterEach
  void close() {
    tail.close();
    log.close();
  }

  private static String line(int n) {
    return "1795728632." + String.format("%03d", n) + "|web|200|0.002|10.0.0.5:8000|0.001\n";
  }

  @Test
  void readsOnlyTheNewBytesOfEachFileAcrossAMinuteRotationAndDeletesMinutesItHasRead()
      throws IOException {
    log.append("2026-11-26-2130.log", line(1)); // before dockscale looked: not read
    assertThat(tail.poll()).isEmpty();
    log.append("2026-11-26-2130.log", line(2) + line(3));
    List<RequestLine> first = tail.poll();
    assertThat(first)
        .extracting(RequestLine::endMillis)
        .containsExactly(1795728632002L, 1795728632003L);
    assertThat(log.requests)
        .contains("GET /dockscale/requests/2026-11-26-2130.log bytes=" + line(1).length() + "-");

    // The minute turns: a line at the end of the old file and the first of the new one.
    log.append("2026-11-26-2130.log", line(4));
    log.append("2026-11-26-2131.log", line(5));
    assertThat(tail.poll())
        .extracting(RequestLine::endMillis)
        .containsExactly(1795728632004L, 1795728632005L);
    assertThat(log.requests).contains("GET /dockscale/requests/2026-11-26-2131.log bytes=0-");

    // Two minutes on, the first was read to its end: deleted. The second stays (newest two).
    log.append("2026-11-26-2132.log", line(6));
    assertThat(tail.poll()).extracting(RequestLine::endMillis).containsExactly(1795728632006L);
    assertThat(log.names()).containsExactly("2026-11-26-2131.log", "2026-11-26-2132.log");
    assertThat(log.requests).contains("DELETE /dockscale/requests/2026-11-26-2130.log");

    // Nothing new: the listing alone, no Range read.
    int before = log.requests.size();
    assertThat(tail.poll()).isEmpty();
    assertThat(log.requests.subList(before, log.requests.size()))
        .containsExactly("GET /dockscale/requests/");
  }

  @Test
  void takesOnlyWholeLinesAndReadsTheRestOfALineNextTime() throws IOException {
    tail.poll();
    String whole = line(7);
    log.append("2026-11-26-2130.log", line(6) + whole.substring(0, 20));
    assertThat(tail.poll()).extracting(RequestLine::endMillis).containsExactly(1795728632006L);
    log.append("2026-11-26-2130.log", whole.substring(20));
    assertThat(tail.poll()).extracting(RequestLine::endMillis).containsExactly(1795728632007L);
  }

  @Test
  void countsBadLinesAndGoesOn() throws IOException {
    tail.poll();
    log.append("2026-11-26-2130.log", "garbage\n" + line(8) + "1|2|3\n\n" + line(9));
    assertThat(tail.poll()).hasSize(2);
    assertThat(tail.badLines()).isEqualTo(2);
  }

  @Test
  void readsAFileThatShrankFromItsStart() throws IOException {
    tail.poll();
    log.append("2026-11-26-2130.log", line(1) + line(2) + line(3));
    assertThat(tail.poll()).hasSize(3);
    log.clear(); // the balancer was re-created, in the same minute
    log.append("2026-11-26-2130.log", line(4));
    assertThat(tail.poll()).extracting(RequestLine::endMillis).containsExactly(1795728632004L);
  }

  @Test
  void aFailedReadLosesNothing() throws IOException {
    tail.poll();
    log.append("2026-11-26-2130.log", line(1));
    log.failing.put("2026-11-26-2130.log", 500);
    assertThatThrownBy(tail::poll).isInstanceOf(IOException.class).hasMessageContaining("500");
    log.failing.clear();
    log.append("2026-11-26-2130.log", line(2));
    assertThat(tail.poll()).hasSize(2);
  }

  @Test
  void aFailedDeleteKeepsTheLinesReadAndIsTriedAgain() throws IOException {
    tail.poll();
    log.append("2026-11-26-2130.log", line(1));
    log.append("2026-11-26-2131.log", line(2));
    log.append("2026-11-26-2132.log", line(3));
    log.undeletable.add("2026-11-26-2130.log");
    assertThat(tail.poll()).hasSize(3);
    assertThat(tail.deleteFailures()).isEqualTo(1);
    assertThat(log.names()).contains("2026-11-26-2130.log");
    log.undeletable.clear();
    assertThat(tail.poll()).isEmpty();
    assertThat(log.names()).doesNotContain("2026-11-26-2130.log");
  }

  @Test
  void withoutABalancerItSaysSo() {
    RequestLogTail none = new RequestLogTail(() -> 0);
    assertThatThrownBy(none::poll).hasMessageContaining("loopback port is not known");
    none.close();
  }
}
