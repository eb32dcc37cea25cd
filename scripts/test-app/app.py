"""dockscale's non-Java test app: a small Flask app served by gunicorn on 0.0.0.0:8000.

It runs in an image with neither curl nor wget, so integration tests can prove that dockscale
probes readiness from outside a replica, whatever the image holds.

  GET /            200 "hello from <SERVER_NAME or hostname>\n" (load tools count replicas by it)
  GET /cpu?ms=N    burns N ms of CPU time (1..2000) in the request's thread, then greets as / does
  GET /healthz     200 "ok"

Any prefix is accepted (/api/cpu is /cpu), so the app can sit behind a balancer path of its own.

The start delay (STARTUP_DELAY_MS) and the choice of server (MODE) live in entrypoint.sh, so that
the port stays closed while a slow starter waits.
"""
import os
import socket
import time

from flask import Flask, request

MAX_BURN_MS = 2000
TEXT = {"Content-Type": "text/plain; charset=utf-8"}
GREETING = f"hello from {os.environ.get('SERVER_NAME') or socket.gethostname()}\n"

app = Flask(__name__)


@app.get("/")
@app.get("/<path:prefix>/")
def hello(prefix=None):
    return GREETING, 200, TEXT


@app.get("/cpu")
@app.get("/<path:prefix>/cpu")
def cpu(prefix=None):
    raw = request.args.get("ms", "")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_BURN_MS:
        return f"ms must be a whole number from 1 to {MAX_BURN_MS}, got '{raw}'\n", 400, TEXT
    burn_cpu(int(raw))
    return GREETING, 200, TEXT


@app.get("/healthz")
@app.get("/<path:prefix>/healthz")
def healthz(prefix=None):
    return "ok", 200, TEXT


def burn_cpu(ms):
    """Spins until this thread has used ms milliseconds of CPU time (not wall time: under a CPU
    limit the same burn takes longer, as real work would)."""
    until = time.thread_time() + ms / 1000
    x = 0
    while time.thread_time() < until:
        for i in range(1000):
            x += i * i
    return x
