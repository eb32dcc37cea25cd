package dev.dockscale.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image reference by Docker's grammar (distribution/reference): {@code
 * [registry-host[:port]/]path[:tag][@sha256:digest]}. The path is lower case, in components of
 * letters and digits joined by one {@code .}, one or two {@code _} or any number of {@code -}; the
 * tag may have capitals ({@code myorg/app:V1.2}). The first component is the registry only when it
 * has a {@code .} or a {@code :}, or is {@code localhost}, as Docker decides it.
 *
 * @param registry the registry host and port, or empty for Docker Hub
 * @param path the repository path, e.g. {@code dockscale/sample-backend}
 * @param tag the tag, or empty (Docker then uses {@code latest})
 * @param digest {@code sha256:} and 64 hex digits, or empty
 */
public record ImageReference(String registry, String path, String tag, String digest) {

  private static final String ALPHANUMERIC = "[a-z0-9]+";
  private static final Pattern COMPONENT =
      Pattern.compile(ALPHANUMERIC + "(?:(?:[._]|__|-+)" + ALPHANUMERIC + ")*");
  private static final String DOMAIN_COMPONENT =
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final Pattern REGISTRY =
      Pattern.compile(
          "(?:"
              + DOMAIN_COMPONENT
              + "(?:\\."
              + DOMAIN_COMPONENT
              + ")*|\\[[a-fA-F0-9:]+])(?::[0-9]{1,5})?");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
  private static final int MAX_NAME = 255;
  private static final String EXAMPLE = "write e.g. dockscale/sample-backend:latest";

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException saying what is wrong and what to write instead
   */
  public static ImageReference parse(String text) {
    String rest = text;
    String digest = "";
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw invalid(
            text,
            "the digest after @ must be sha256: and 64 lower-case hex digits, got '"
                + digest
                + "'");
      }
    }
    String tag = "";
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw invalid(
            text,
            "the tag '"
                + tag
                + "' must be 1-128 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
      }
    }
    String registry = "";
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(slash + 1);
        if (!REGISTRY.matcher(registry).matches()) {
          throw invalid(text, "the registry '" + registry + "' is not a host or host:port");
        }
      }
    }
    checkPath(text, rest, tag, digest, registry);
    if ((registry.isEmpty() ? 0 : registry.length() + 1) + rest.length() > MAX_NAME) {
      throw invalid(text, "the name before the tag is longer than " + MAX_NAME + " characters");
    }
    return new ImageReference(registry, rest, tag, digest);
  }

  private static void checkPath(
      String text, String path, String tag, String digest, String registry) {
    if (path.isEmpty()) {
      throw invalid(text, "it has no repository name");
    }
    for (String component : path.split("/", -1)) {
      if (COMPONENT.matcher(component).matches()) {
        continue;
      }
      if (COMPONENT.matcher(component.toLowerCase(Locale.ROOT)).matches()) {
        String lower =
            new ImageReference(registry, path.toLowerCase(Locale.ROOT), tag, digest).toString();
        throw invalid(
            text,
            "a repository name is lower case (only the tag may have capitals): write " + lower);
      }
      throw invalid(
          text,
          component.isEmpty()
              ? "it has an empty path component (two '/' in a row, or one at an end)"
              : "'"
                  + component
                  + "' is not a path component: lower-case letters and digits, joined by one '.',"
                  + " one or two '_' or any number of '-'");
    }
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException(
        "'" + text + "' is not an image reference: " + why + "; " + EXAMPLE);
  }

  @Override
  public String toString() {
    return (registry.isEmpty() ? "" : registry + "/")
        + path
        + (tag.isEmpty() ? "" : ":" + tag)
        + (digest.isEmpty() ? "" : "@" + digest);
  }
}
