#!/usr/bin/env bash
# Builds dockscale's own image (docker/dockscale/Dockerfile) from cli/target/dockscale.jar, building
# the jar first when it is missing. The base is the official JRE image when it is on this machine or
# can be pulled; otherwise the local base image built from Debian packages (scripts/build-base-image.sh,
# built when missing), with a one-line notice: the same choice dockscale makes for its own images.
# Docker's layer cache makes a rebuild with an unchanged jar a no-op. Prints the tag.
#
#   scripts/build-dockscale-image.sh            # builds $DOCKSCALE_IMAGE (dockscale/dockscale:latest)
#   DOCKSCALE_IMAGE_BASE=my/jre:17 scripts/build-dockscale-image.sh   # a base of your choice
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

TAG="${DOCKSCALE_IMAGE:-dockscale/dockscale:latest}"
OFFICIAL_BASE="eclipse-temurin:17-jre"
PULL_TIMEOUT=120
jar="$home/cli/target/dockscale.jar"

log() { echo "build-dockscale-image: $*" >&2; }

if [ ! -f "$jar" ]; then
  log "building $jar (mvn -B package, about a minute)"
  (cd "$home" && mvn -B -q -DskipTests package -pl cli -am) >&2
fi

base="${DOCKSCALE_IMAGE_BASE:-}"
if [ -z "$base" ]; then
  if docker image inspect "$OFFICIAL_BASE" >/dev/null 2>&1 \
    || timeout "$PULL_TIMEOUT" docker pull -q "$OFFICIAL_BASE" >/dev/null 2>&1; then
    base="$OFFICIAL_BASE"
  else
    base="$(bash "$home/scripts/build-base-image.sh")"
    log "no registry answered for $OFFICIAL_BASE; building $TAG on the local base image $base"
  fi
fi

context=$(mktemp -d /tmp/dockscale-image.XXXXXX)
trap 'rm -rf "$context"' EXIT
cp "$home/docker/dockscale/Dockerfile" "$jar" "$context/"

log "docker build $TAG on $base"
docker build -q --build-arg BASE="$base" -t "$TAG" "$context" >/dev/null
echo "$TAG"
