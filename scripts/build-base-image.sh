#!/usr/bin/env bash
# Builds dockscale's local base image from Debian packages, for machines that reach no image
# registry: a debootstrap (minbase) root file system with a headless JRE 17, nginx and curl,
# imported with `docker import`. The image is cached by tag: nothing is done when it exists.
#
#   scripts/build-base-image.sh            # builds $DOCKSCALE_BASE_IMAGE when missing
#   scripts/build-base-image.sh --print    # prints the tag and exits
#
# The mirror is read from the machine's apt sources, never hard-coded.
set -euo pipefail

SUITE="${DOCKSCALE_BASE_SUITE:-bookworm}"
TAG="${DOCKSCALE_BASE_IMAGE:-dockscale/base:${SUITE}-jre17-nginx-1}"
PACKAGES="openjdk-17-jre-headless,nginx,curl,ca-certificates"

log() { echo "build-base-image: $*" >&2; }

# shellcheck source=lib/debian.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/debian.sh"
print_or_skip_if_built "$TAG" "$@"

MIRROR="${DOCKSCALE_DEBIAN_MIRROR:-$(debian_mirror)}"
require_debootstrap

ROOTFS=$(mktemp -d /tmp/dockscale-rootfs.XXXXXX)
trap 'rm -rf "$ROOTFS"' EXIT

log "debootstrap $SUITE from $MIRROR with $PACKAGES (about 40 s)"
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$ROOTFS" "$MIRROR" >/tmp/dockscale-debootstrap.log 2>&1 \
  || { log "debootstrap failed; see /tmp/dockscale-debootstrap.log"; tail -20 /tmp/dockscale-debootstrap.log >&2; exit 1; }

# Debian's default site also listens on port 80; dockscale owns the whole nginx config.
rm -f "$ROOTFS/etc/nginx/sites-enabled/default"
# Keep the image small: package caches and docs are not needed at run time.
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/*

log "docker import as $TAG"
tar -C "$ROOTFS" -c . | docker import \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["/bin/bash"]' \
  - "$TAG" >/dev/null
echo "$TAG"
