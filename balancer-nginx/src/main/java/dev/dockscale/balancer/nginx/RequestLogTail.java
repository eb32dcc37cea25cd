package dev.dockscale.balancer.nginx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.methods.HttpDelete;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * Reads the new lines of nginx's request log through the balancer's loopback port: the directory
 * listing (JSON: each minute's file and its size), then, of each file that grew, only the new bytes
 * with an HTTP Range request. Only whole lines are taken; a line nginx was writing is read in full
 * the next time. Files of past minutes that were read to their end are deleted (WebDAV {@code
 * DELETE}): at most the current and the previous minute stay in the balancer's tmpfs, and nothing
 * runs in its container for it.
 *
 * <p>The first read starts at the files' current ends: what nginx logged before dockscale looked is
 * not read (after a restart of dockscale, minutes of backlog would cost more than they tell). A
 * file that shrank is a new one of the same name (the balancer was re-created): it is read from its
 * start. Not thread-safe: one poller calls it.
 */
final class RequestLogTail implements AutoCloseable {

  static final String DIRECTORY = "/dockscale/requests/";

  /** Past minutes read to their end beyond this many newest files are deleted. */
  static final int KEPT = 2;

  private static final Pattern ENTRY =
      Pattern.compile(
          "\"name\":\"(?<name>[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{4}\\.log)\",\\s*\"type\":\"file\","
              + "\\s*\"mtime\":\"[^\"]*\",\\s*\"size\":(?<size>[0-9]{1,18})");

  private final IntSupplier port;
  private final CloseableHttpClient http;
  private final Map<String, Long> offsets = new HashMap<>();
  private long deleteFailures;
  private boolean primed;
  private long badLines;
  private long held;

  /** {@code port} gives the balancer's loopback port on 127.0.0.1 (0: none yet). */
  RequestLogTail(IntSupplier port) {
    this.port = port;
    this.http =
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(2)
                    .setMaxConnPerRoute(2)
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.ofSeconds(1))
                            .setSocketTimeout(Timeout.ofSeconds(2))
                            .build())
                    .build())
            .setDefaultRequestConfig(
                RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(2)).build())
            .disableRedirectHandling()
            .setRetryStrategy(new OnceOnAClosedConnection())
            .disableCookieManagement()
            .disableContentCompression()
            .build();
  }

  /** Whether a read has set the starting points: lines from then on are all read. */
  boolean primed() {
    return primed;
  }

  /** The bytes of the log's files at the last read, before the deletions it made. */
  long bytesHeld() {
    return held;
  }

  /** Lines that were not of the request log's format, since the start. */
  long badLines() {
    return badLines;
  }

  /**
   * The lines nginx wrote since the last call, parsed; lines that do not parse are counted in
   * {@link #badLines()} and left out. Throws when the balancer cannot be read; nothing is lost
   * then: the read points move only when every file was read, so the next call reads from where
   * this one started. A file that cannot be deleted stays, and is deleted at a later call.
   */
  List<RequestLine> poll() throws IOException {
    String base = base();
    TreeMap<String, Long> sizes = list(base);
    List<RequestLine> lines = new ArrayList<>();
    Map<String, Long> next = new HashMap<>(offsets);
    next.keySet().retainAll(sizes.keySet());
    for (Map.Entry<String, Long> file : sizes.entrySet()) {
      String name = file.getKey();
      long size = file.getValue();
      if (!primed) {
        next.put(name, size);
        continue;
      }
      long offset = next.getOrDefault(name, 0L);
      if (size < offset) {
        offset = 0;
      }
      if (size > offset) {
        offset += readFrom(base + name, offset, lines);
      }
      next.put(name, offset);
    }
    offsets.clear();
    offsets.putAll(next);
    primed = true;
    held = sizes.values().stream().mapToLong(Long::longValue).sum();
    try {
      deleteRead(base, sizes);
    } catch (IOException e) {
      deleteFailures++;
    }
    return lines;
  }

  /** Deletions of read files that failed (each is tried again at the next call). */
  long deleteFailures() {
    return deleteFailures;
  }

  private String base() throws IOException {
    int p = port.getAsInt();
    if (p <= 0) {
      throw new IOException("the balancer's loopback port is not known (is the balancer running?)");
    }
    return "http://127.0.0.1:" + p + DIRECTORY;
  }

  /** The log's files and their sizes, by name (which sorts by minute). */
  private TreeMap<String, Long> list(String base) throws IOException {
    String body =
        http.execute(
            new HttpGet(base),
            (ClassicHttpResponse r) -> {
              String text = text(r.getEntity());
              if (r.getCode() != 200) {
                throw new IOException(
                    "listing the request log answered "
                        + r.getCode()
                        + " (balancer of an older dockscale?)");
              }
              return text;
            });
    TreeMap<String, Long> sizes = new TreeMap<>();
    Matcher m = ENTRY.matcher(body);
    while (m.find()) {
      sizes.put(m.group("name"), Long.parseLong(m.group("size")));
    }
    return sizes;
  }

  /** Reads {@code url} from {@code offset}, adds its whole lines; the bytes taken. */
  private long readFrom(String url, long offset, List<RequestLine> into) throws IOException {
    HttpGet get = new HttpGet(url);
    get.setHeader("Range", "bytes=" + offset + "-");
    byte[] bytes =
        http.execute(
            get,
            (ClassicHttpResponse r) -> {
              byte[] body =
                  r.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(r.getEntity());
              return switch (r.getCode()) {
                case 206 -> body;
                // The whole file (a server that ignores Range): skip what was read.
                case 200 ->
                    body.length > offset
                        ? java.util.Arrays.copyOfRange(
                            body, (int) Math.min(offset, body.length), body.length)
                        : new byte[0];
                // Nothing past the offset, or the file went: nothing new.
                case 416, 404 -> new byte[0];
                default -> throw new IOException("reading " + url + " answered " + r.getCode());
              };
            });
    int end = lastNewline(bytes);
    if (end < 0) {
      return 0;
    }
    String text = new String(bytes, 0, end + 1, StandardCharsets.UTF_8);
    int from = 0;
    while (from < text.length()) {
      int nl = text.indexOf('\n', from);
      String line = text.substring(from, nl);
      from = nl + 1;
      if (line.isEmpty()) {
        continue;
      }
      RequestLine.parse(line).ifPresentOrElse(into::add, () -> badLines++);
    }
    return end + 1;
  }

  private static int lastNewline(byte[] bytes) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /**
   * Deletes files of past minutes that were read to their end (all but the {@link #KEPT} newest).
   */
  private void deleteRead(String base, TreeMap<String, Long> sizes) throws IOException {
    int past = sizes.size() - KEPT;
    for (Map.Entry<String, Long> file : sizes.entrySet()) {
      if (past-- <= 0) {
        return;
      }
      String name = file.getKey();
      if (offsets.getOrDefault(name, -1L) >= file.getValue()) {
        int code = http.execute(new HttpDelete(base + name), ClassicHttpResponse::getCode);
        if (code == 204 || code == 404) {
          offsets.remove(name);
        } else {
          throw new IOException("deleting " + name + " of the request log answered " + code);
        }
      }
    }
  }

  private static String text(HttpEntity entity) throws IOException {
    try {
      return entity == null ? "" : EntityUtils.toString(entity, StandardCharsets.UTF_8);
    } catch (org.apache.hc.core5.http.ParseException e) {
      throw new IOException(e);
    }
  }

  @Override
  public void close() {
    http.close(CloseMode.IMMEDIATE);
  }
}
