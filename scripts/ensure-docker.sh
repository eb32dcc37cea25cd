#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine: installs Debian's docker.io when dockerd is
# missing, starts dockerd in the background when it is not running, and waits until `docker info`
# answers. Safe to run again; does nothing when the engine already answers.
set -euo pipefail

log() { echo "ensure-docker: $*" >&2; }

if docker info >/dev/null 2>&1; then
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    log "dockerd is not installed and this is not root: install docker.io (or Docker Engine) first."
    exit 1
  fi
  log "installing docker.io from the machine's Debian mirror"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi

start_dockerd() {
  if [ "$(id -u)" != 0 ]; then
    log "dockerd is not running and this is not root: start the Docker service first."
    exit 1
  fi
  # A dockerd that was killed leaves its pid file behind and the next one refuses to start.
  rm -f /var/run/docker.pid
  log "starting dockerd (log: /var/log/dockerd.log)"
  nohup dockerd >/var/log/dockerd.log 2>&1 &
}

if ! pgrep -x dockerd >/dev/null 2>&1; then
  start_dockerd
fi

# A dockerd that is still shutting down answers nothing: once it is gone, start a new one.
for _ in $(seq 1 240); do
  if docker info >/dev/null 2>&1; then
    log "Docker engine $(docker version --format '{{.Server.Version}}' 2>/dev/null) is up"
    exit 0
  fi
  if ! pgrep -x dockerd >/dev/null 2>&1; then
    start_dockerd
  fi
  sleep 0.5
done
log "dockerd did not answer within 120 s; see /var/log/dockerd.log"
exit 1
