package dev.dockscale.balancer.nginx;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One line of nginx's request log, in the {@code dockscale_requests} format of the template: {@code
 * $msec|$dockscale_service|$status|$request_time|$upstream_addr|$upstream_response_time}.
 *
 * <p>A request nginx tried on several replicas ({@code proxy_next_upstream}) lists each address and
 * time, separated by {@code ", "} (or {@code " : "} across internal redirects); it counts for the
 * replica that answered last, and its upstream time is the sum of its tries. A request answered by
 * nginx itself (503 with no ready replica) has {@code -} for both and counts for its service only.
 *
 * @param endMillis when nginx wrote the line (the request's end), epoch milliseconds
 * @param service the service whose location answered it
 * @param status the HTTP status sent to the client
 * @param requestMillis the time nginx held the request, from its first byte to its last
 * @param upstream the address ({@code ip:port}) of the replica that answered, empty for none
 * @param upstreamMillis the time the replicas took (connect, wait, answer), -1 with no replica
 */
record RequestLine(
    long endMillis,
    String service,
    int status,
    long requestMillis,
    String upstream,
    long upstreamMillis) {

  private static final Pattern SERVICE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,12}\\.[0-9]{3}");
  private static final Pattern TRIES = Pattern.compile(", | : ");

  /** The line parsed, or empty when it is not one of ours (never throws). */
  static Optional<RequestLine> parse(String line) {
    String[] f = line.split("\\|", -1);
    if (f.length != 6
        || !SERVICE.matcher(f[1]).matches()
        || !SECONDS.matcher(f[0]).matches()
        || !SECONDS.matcher(f[3]).matches()
        || f[2].length() != 3) {
      return Optional.empty();
    }
    int status;
    try {
      status = Integer.parseInt(f[2]);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (status < 100) {
      return Optional.empty();
    }
    String upstream = "";
    long upstreamMillis = -1;
    if (!f[4].equals("-")) {
      String[] addresses = TRIES.split(f[4], -1);
      upstream = addresses[addresses.length - 1];
      if (upstream.isEmpty() || upstream.indexOf(' ') >= 0) {
        return Optional.empty();
      }
      upstreamMillis = 0;
      for (String time : TRIES.split(f[5], -1)) {
        // "-" for a try that got no answer header (refused, timed out): it took no time we know.
        if (time.equals("-")) {
          continue;
        }
        if (!SECONDS.matcher(time).matches()) {
          return Optional.empty();
        }
        upstreamMillis += millis(time);
      }
    }
    return Optional.of(
        new RequestLine(millis(f[0]), f[1], status, millis(f[3]), upstream, upstreamMillis));
  }

  /** {@code 12.345} seconds (checked by {@link #SECONDS}) in milliseconds. */
  private static long millis(String seconds) {
    int dot = seconds.length() - 4;
    return Long.parseLong(seconds.substring(0, dot)) * 1000
        + Long.parseLong(seconds.substring(dot + 1));
  }

  /** The replica's IP address, without the port. */
  String upstreamHost() {
    int colon = upstream.lastIndexOf(':');
    return colon < 0 ? upstream : upstream.substring(0, colon);
  }
}
