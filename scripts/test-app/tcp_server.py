"""dockscale's test app in MODE=tcp: a plain TCP (not HTTP) server on 0.0.0.0:8000.

Each connection is greeted with "hello from <SERVER_NAME or hostname>\n" and closed, so tests can
prove a TCP readiness probe against a replica that speaks no HTTP. Standard library only; one thread
per connection. SIGTERM and SIGINT stop it at once and close the listening socket.
"""
import os
import signal
import socket
import socketserver
import sys

PORT = 8000
GREETING = f"hello from {os.environ.get('SERVER_NAME') or socket.gethostname()}\n".encode()


class GreetingHandler(socketserver.BaseRequestHandler):
    def handle(self):
        try:
            self.request.sendall(GREETING)
        except (BrokenPipeError, ConnectionResetError):
            pass  # a TCP probe may close as soon as it has connected; that is a normal visit


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 128


def stop(signum, _frame):
    raise SystemExit(0)


def main():
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with Server(("0.0.0.0", PORT), GreetingHandler) as server:
        print(f"tcp_server: listening on 0.0.0.0:{PORT}", file=sys.stderr, flush=True)
        # Shutdown comes from the signal handler, not from server.shutdown(), so the loop needs no
        # short poll interval: an idle server wakes once a minute.
        server.serve_forever(poll_interval=60)


if __name__ == "__main__":
    main()
