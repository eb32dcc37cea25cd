package dev.dockscale.balancer.nginx;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nginx's request log as the balancer's loopback port serves it, on 127.0.0.1: the directory as
 * autoindex JSON, files with single Range requests (206, or 416 past the end), and DELETE.
 */
final class FakeRequestLog implements AutoCloseable {

  private static final Pattern RANGE = Pattern.compile("bytes=([0-9]+)-");

  private final HttpServer server;
  private final Map<String, StringBuilder> files = new TreeMap<>();
  final List<String> requests = new ArrayList<>();
  final Map<String, Integer> failing = new ConcurrentHashMap<>();
  final java.util.Set<String> undeletable = ConcurrentHashMap.newKeySet();

  FakeRequestLog() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(RequestLogTail.DIRECTORY, this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  synchronized void append(String file, String text) {
    files.computeIfAbsent(file, f -> new StringBuilder()).append(text);
  }

  /** The balancer was re-created: its tmpfs starts empty. */
  synchronized void clear() {
    files.clear();
  }

  synchronized List<String> names() {
    return List.copyOf(files.keySet());
  }

  private synchronized void handle(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    String range = x.getRequestHeaders().getFirst("Range");
    requests.add(x.getRequestMethod() + " " + path + (range == null ? "" : " " + range));
    String name = path.substring(RequestLogTail.DIRECTORY.length());
    Integer failure = failing.get(name);
    if (failure != null) {
      send(x, failure, "");
    } else if (name.isEmpty()) {
      StringBuilder json = new StringBuilder("[\n");
      String sep = "";
      for (var f : files.entrySet()) {
        json.append(sep)
            .append("{ \"name\":\"")
            .append(f.getKey())
            .append("\", \"type\":\"file\", \"mtime\":\"Thu, 26 Nov 2026 21:30:32 GMT\", \"size\":")
            .append(f.getValue().toString().getBytes(StandardCharsets.UTF_8).length)
            .append(" }");
        sep = ",\n";
      }
      send(x, 200, json.append("\n]").toString());
    } else if (!files.containsKey(name)) {
      send(x, 404, "not found");
    } else if (x.getRequestMethod().equals("DELETE") && undeletable.contains(name)) {
      send(x, 403, "forbidden");
    } else if (x.getRequestMethod().equals("DELETE")) {
      files.remove(name);
      x.sendResponseHeaders(204, -1);
      x.close();
    } else {
      byte[] all = files.get(name).toString().getBytes(StandardCharsets.UTF_8);
      Matcher m = RANGE.matcher(range == null ? "" : range);
      if (!m.matches()) {
        send(x, 200, new String(all, StandardCharsets.UTF_8));
        return;
      }
      int from = Integer.parseInt(m.group(1));
      if (from >= all.length) {
        send(x, 416, "");
        return;
      }
      byte[] part = java.util.Arrays.copyOfRange(all, from, all.length);
      x.getResponseHeaders()
          .add("Content-Range", "bytes " + from + "-" + (all.length - 1) + "/" + all.length);
      x.sendResponseHeaders(206, part.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(part);
      }
    }
  }

  private static void send(HttpExchange x, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = x.getResponseBody()) {
        out.write(bytes);
      }
    }
    x.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
