#!/usr/bin/env bash
# Installs the Debian packages the integration tests drive when they are missing: tmux (the
# `status --watch` test reads its pane), prometheus (the scrape test starts one on 127.0.0.1),
# chromium with chromium-driver (the dashboard test opens the dashboard in headless Chromium) and
# docker-compose (ComposeIT runs dockscale's image from compose.yaml).
# Packages only; nothing is started here (the tests start and stop what they need).
set -euo pipefail

missing=()
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "ensure-test-tools: installing ${missing[*]}" >&2
apt-get update -qq
# policy-rc.d keeps the package from starting a daemon of its own where an init system would.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  created_policy=1
fi
trap '[ "$created_policy" = 1 ] && rm -f "$policy"' EXIT
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
