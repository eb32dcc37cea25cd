#!/bin/sh
# Entry point of dockscale's test app image. Waits STARTUP_DELAY_MS milliseconds (default 0) with
# port 8000 still closed, so tests can make a slow starter, then replaces itself (exec) with the
# server chosen by MODE, which so receives SIGTERM itself and stops gracefully:
#   MODE=http (default)  gunicorn serving app.py (HTTP)
#   MODE=tcp             tcp_server.py (plain TCP greeting, no HTTP)
set -eu

delay_ms="${STARTUP_DELAY_MS:-0}"
case "$delay_ms" in
  '' | *[!0-9]* | 0?*)
    echo "entrypoint: STARTUP_DELAY_MS must be a whole number of milliseconds, got '$delay_ms'" >&2
    exit 2 ;;
esac
if [ "$delay_ms" -gt 0 ]; then
  echo "entrypoint: waiting ${delay_ms} ms before serving" >&2
  # The shell is PID 1 here, which ignores SIGTERM unless it traps it: stop during the wait too.
  trap 'exit 143' TERM INT
  sleep "$((delay_ms / 1000)).$(printf '%03d' $((delay_ms % 1000)))" &
  wait $!
  trap - TERM INT
fi

case "${MODE:-http}" in
  http)
    # --preload imports the app once in the master before it binds the port and forks: start is
    # one import, not one per worker. gthread workers idle in a 1 s poll; the short graceful timeout
    # fits inside `docker stop`'s 10 s.
    exec gunicorn --workers 2 --threads 4 --preload --bind 0.0.0.0:8000 \
      --graceful-timeout 5 --worker-tmp-dir /dev/shm app:app ;;
  tcp)
    exec python3 tcp_server.py ;;
  *)
    echo "entrypoint: MODE must be http or tcp, got '$MODE'" >&2
    exit 2 ;;
esac
