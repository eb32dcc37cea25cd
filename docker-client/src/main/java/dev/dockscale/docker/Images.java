package dev.dockscale.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.dockscale.engine.RuntimeUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the images a config names are there. dockscale's own images are built from the recipes
 * it is given (each module that ships an image declares its recipe: the balancer its nginx, the
 * command line the sample backend), with their files on the classpath: on the official base image
 * when it can be had, else on the local base built from Debian packages, with a one-line notice.
 * Images are rebuilt only when missing or when their recipe changed (label {@code
 * dockscale.recipe}). Other images are pulled when missing.
 */
public final class Images implements ImageSupply {

  private static final Logger LOG = LoggerFactory.getLogger(Images.class);
  static final String RECIPE_LABEL = "dockscale.recipe";

  /**
   * How to build one of dockscale's images.
   *
   * @param tag the image it makes
   * @param resourceDir classpath folder with the Dockerfile and its files
   * @param files the files in that folder (the Dockerfile first)
   * @param officialBase the {@code BASE_IMAGE} for real users
   */
  public record Recipe(String tag, String resourceDir, List<String> files, String officialBase) {}

  private final DockerClient docker;
  private final Consumer<String> notice;
  private final Map<String, Recipe> recipes;

  /** Builds {@code recipes}' images from their recipes, pulls any other. */
  public Images(DockerClient docker, Consumer<String> notice, List<Recipe> recipes) {
    this.docker = docker;
    this.notice = notice;
    this.recipes =
        recipes.stream().collect(Collectors.toUnmodifiableMap(Recipe::tag, recipe -> recipe));
  }

  /**
   * Whether {@code image} is ready to run without building or pulling (for dockscale's own, built
   * from its current recipe): one inspect, nothing fetched.
   */
  public boolean present(String image) {
    Recipe recipe = recipes.get(image);
    Optional<InspectImageResponse> existing = inspect(image);
    return recipe == null ? existing.isPresent() : builtFrom(existing, recipeHash(recipe));
  }

  /** Builds (one of the recipes') or pulls (any other) {@code image} when it is not there. */
  @Override
  public synchronized void ensurePresent(String image) {
    Recipe recipe = recipes.get(image);
    if (recipe != null) {
      ensureBuilt(recipe);
      return;
    }
    if (inspect(image).isPresent()) {
      return;
    }
    if (!pull(image)) {
      throw new RuntimeUnavailableException(
          "image "
              + image
              + " is not on this machine and cannot be pulled; build or load it, or fix the image in dockscale.yml");
    }
  }

  /** Whether {@code image} is there and was built from the recipe of this hash. */
  private static boolean builtFrom(Optional<InspectImageResponse> image, String hash) {
    Map<String, String> labels =
        image.map(InspectImageResponse::getConfig).map(c -> c.getLabels()).orElse(null);
    return labels != null && hash.equals(labels.get(RECIPE_LABEL));
  }

  /** Builds a recipe's image unless an image with the same recipe hash is already there. */
  private void ensureBuilt(Recipe recipe) {
    String hash = recipeHash(recipe);
    Optional<InspectImageResponse> existing = inspect(recipe.tag());
    if (builtFrom(existing, hash)) {
      return;
    }
    String base = baseFor(recipe);
    Path context = extract(recipe);
    try {
      LOG.info("building {} on {}", recipe.tag(), base);
      docker
          .buildImageCmd(context.resolve("Dockerfile").toFile())
          .withBaseDirectory(context.toFile())
          .withBuildArg("BASE_IMAGE", base)
          .withLabels(Map.of(RECIPE_LABEL, hash))
          .withTags(Set.of(recipe.tag()))
          .withPull(false)
          .exec(new BuildImageResultCallback())
          .awaitImageId(10, TimeUnit.MINUTES);
    } finally {
      deleteTree(context);
    }
    // The tag's previous image is dangling now: remove it, unless a container still uses it.
    existing.ifPresent(
        old -> {
          try {
            docker.removeImageCmd(old.getId()).exec();
          } catch (RuntimeException inUse) {
            LOG.debug(
                "kept the previous {} ({}): {}", recipe.tag(), old.getId(), inUse.getMessage());
          }
        });
  }

  /** The official base when present or pullable; else the local base, built when missing. */
  private String baseFor(Recipe recipe) {
    if (inspect(recipe.officialBase()).isPresent() || pull(recipe.officialBase())) {
      return recipe.officialBase();
    }
    String local = LocalBaseImage.ensure(docker);
    notice.accept(
        "no registry answered for "
            + recipe.officialBase()
            + "; building "
            + recipe.tag()
            + " on the local base image "
            + local);
    return local;
  }

  private Optional<InspectImageResponse> inspect(String image) {
    try {
      return Optional.of(docker.inspectImageCmd(image).exec());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  private boolean pull(String image) {
    try {
      return docker
              .pullImageCmd(image)
              .exec(new PullImageResultCallback())
              .awaitCompletion(5, TimeUnit.MINUTES)
          && inspect(image).isPresent();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (RuntimeException e) {
      LOG.debug("pull of {} failed: {}", image, e.getMessage());
      return false;
    }
  }

  private static String recipeHash(Recipe recipe) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String file : recipe.files()) {
        sha.update(file.getBytes(StandardCharsets.UTF_8));
        sha.update(read(recipe, file));
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] read(Recipe recipe, String file) {
    String resource = recipe.resourceDir() + "/" + file;
    try (InputStream in = Images.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new RuntimeUnavailableException(
            "the build of "
                + recipe.tag()
                + " needs "
                + resource
                + " on the classpath; rebuild dockscale (mvn -B package)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path extract(Recipe recipe) {
    try {
      Path dir = Files.createTempDirectory("dockscale-image-");
      for (String file : recipe.files()) {
        Files.write(dir.resolve(file), read(recipe, file));
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debug("could not delete {}: {}", dir, e.getMessage());
    }
  }
}
