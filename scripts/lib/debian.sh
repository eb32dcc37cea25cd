# Shared by the image scripts that build on Debian packages (sourced; needs a log function).

# `--print` prints the tag; an image already built under the tag is kept. Either way: exit here.
print_or_skip_if_built() {
  local tag="$1"
  shift
  if [ "${1:-}" = "--print" ]; then
    echo "$tag"
    exit 0
  fi
  if docker image inspect "$tag" >/dev/null 2>&1; then
    log "$tag is already built"
    echo "$tag"
    exit 0
  fi
}

# The machine's Debian mirror, read from its apt sources (never hard-coded).
debian_mirror() {
  local uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '/^deb / && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list)
  fi
  if [ -z "$uri" ]; then
    log "no Debian mirror found in /etc/apt/sources.list{,.d/debian.sources}; set DOCKSCALE_DEBIAN_MIRROR"
    exit 1
  fi
  echo "$uri"
}

# Installs debootstrap when it is missing.
require_debootstrap() {
  if ! command -v debootstrap >/dev/null 2>&1; then
    log "installing debootstrap"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
}
