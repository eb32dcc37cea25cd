#!/usr/bin/env bash
# Builds the image of dockscale's non-Java test app (scripts/test-app/: Flask under gunicorn, or a
# plain TCP greeter with MODE=tcp) from Debian packages, for machines that reach no image registry:
# a debootstrap (minbase) root file system with python3-flask and gunicorn, imported with
# `docker import`. The image holds neither curl nor wget — the script fails when it would — so
# integration tests can prove that dockscale probes readiness from outside any image. It is
# labelled dockscale.test=true (containers started from it inherit that label). The image is cached
# by tag: nothing is done when it exists, so bump the tag when scripts/test-app/ changes.
#
#   scripts/build-test-app-image.sh            # builds $DOCKSCALE_TEST_APP_IMAGE when missing
#   scripts/build-test-app-image.sh --print    # prints the tag and exits
#
# The mirror is read from the machine's apt sources, never hard-coded.
set -euo pipefail

SUITE="${DOCKSCALE_TEST_APP_SUITE:-bookworm}"
TAG="${DOCKSCALE_TEST_APP_IMAGE:-dockscale-test/flask-app:2}"
PACKAGES="python3-flask,gunicorn"
APP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/test-app"
APP_FILES=(app.py tcp_server.py entrypoint.sh)

log() { echo "build-test-app-image: $*" >&2; }

# shellcheck source=lib/debian.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/debian.sh"
print_or_skip_if_built "$TAG" "$@"

for f in "${APP_FILES[@]}"; do
  [ -f "$APP_DIR/$f" ] || { log "missing $APP_DIR/$f"; exit 1; }
done

MIRROR="${DOCKSCALE_DEBIAN_MIRROR:-$(debian_mirror)}"
require_debootstrap

ROOTFS=$(mktemp -d /tmp/dockscale-test-app-rootfs.XXXXXX)
trap 'rm -rf "$ROOTFS"' EXIT
DEBOOTSTRAP_LOG=/tmp/dockscale-test-app-debootstrap.log

log "debootstrap $SUITE from $MIRROR with $PACKAGES (about 40 s)"
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$ROOTFS" "$MIRROR" >"$DEBOOTSTRAP_LOG" 2>&1 \
  || { log "debootstrap failed; see $DEBOOTSTRAP_LOG"; tail -20 "$DEBOOTSTRAP_LOG" >&2; exit 1; }

# The point of this image: no HTTP client inside, so no probe can lean on one. Look for any file or
# link of that name anywhere in the root file system, not only on the PATH.
found=$(find "$ROOTFS" -xdev \( -name curl -o -name wget \) ! -type d -printf '/%P\n')
if [ -n "$found" ]; then
  log "the test app image must hold neither curl nor wget, but the root file system has:"
  echo "$found" >&2
  exit 1
fi

install -d -m 755 "$ROOTFS/app"
for f in "${APP_FILES[@]}"; do
  install -m 644 "$APP_DIR/$f" "$ROOTFS/app/$f"
done
chmod 755 "$ROOTFS/app/entrypoint.sh"

# Keep the image small: package caches and docs are not needed at run time.
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/usr/share/doc/* \
  "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* "$ROOTFS"/var/log/*.log "$ROOTFS"/var/log/apt/*
# Message translations are a fifth of the image; the app speaks C.UTF-8 (locale.alias stays).
find "$ROOTFS/usr/share/locale" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +

log "docker import as $TAG"
tar -C "$ROOTFS" -c . | docker import \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV PYTHONUNBUFFERED=1' \
  --change 'ENV PYTHONDONTWRITEBYTECODE=1' \
  --change 'ENV MODE=http' \
  --change 'ENV STARTUP_DELAY_MS=0' \
  --change 'WORKDIR /app' \
  --change 'EXPOSE 8000' \
  --change 'LABEL dockscale.test=true' \
  --change 'CMD ["/app/entrypoint.sh"]' \
  - "$TAG" >/dev/null
echo "$TAG"
