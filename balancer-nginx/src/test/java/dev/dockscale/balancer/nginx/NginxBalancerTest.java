package dev.dockscale.balancer.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command that writes, checks and swaps a config in one exec. */
class NginxBalancerTest {

  @Test
  void aConfigTravelsInArgumentsOfAtMostOnePartEachAndInOrder() {
    String config = "a".repeat(NginxBalancer.PART * 2 + 5);

    String[] command = NginxBalancer.writeCheckAndSwap(config);

    List<String> parts = Arrays.asList(command).subList(4, command.length);
    assertThat(command).startsWith("sh", "-c", NginxBalancer.WRITE_CHECK_AND_SWAP, "sh");
    assertThat(parts)
        .hasSize(3)
        .allSatisfy(p -> assertThat(p).hasSizeLessThanOrEqualTo(NginxBalancer.PART));
    assertThat(String.join("", parts)).isEqualTo(config);
  }

  @Test
  void aCharacterOutsideTheBasicPlaneIsNeverSplitBetweenTwoArguments() {
    String config = "a".repeat(NginxBalancer.PART - 1) + "\uD83D\uDE00" + "b";

    String[] command = NginxBalancer.writeCheckAndSwap(config);

    assertThat(command[4]).hasSize(NginxBalancer.PART - 1);
    assertThat(command[5]).isEqualTo("\uD83D\uDE00b");
  }

  @Test
  void onlyNginxsOwnFailureIsARejectionNotAWriteThatFailedOrAShellThatDidNotStart() {
    assertThat(NginxBalancer.couldNotRun(NginxBalancer.COULD_NOT_WRITE)).isTrue();
    assertThat(NginxBalancer.couldNotRun(126)).isTrue();
    assertThat(NginxBalancer.couldNotRun(127)).isTrue();
    assertThat(NginxBalancer.couldNotRun(1)).isFalse();
    assertThat(NginxBalancer.WRITE_CHECK_AND_SWAP)
        .contains("nginx -t -q -c " + NginxBalancer.NEXT + " || exit 1;");
  }
}
