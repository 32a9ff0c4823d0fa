"""A real local HTTP consumer for the delivery tests: checks signatures, applies each Idempotency-Key once."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from smartjustice.hub import transport


class LocalConsumer:
    """An HTTP endpoint on 127.0.0.1 that behaves like a receiving system.

    `applied` maps Idempotency-Key → payload (each applied once); `receipts` counts every request, repeats
    included. `stop()` takes it down (connection refused), `start()` brings it back on the same port.
    """

    def __init__(self, secret: str = ""):
        self.secret = secret
        self.applied: dict[str, dict] = {}
        self.receipts = 0
        self.bad_signatures = 0
        self.repeats_ignored = 0  # requests whose Idempotency-Key had already been applied
        self.lock = threading.Lock()
        self.received = threading.Condition(self.lock)
        self.hold = None  # an Event: requests wait for it before answering (to kill a worker mid-batch)
        self.server = None
        self.port = 0
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hub/receive"

    def start(self) -> None:
        consumer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                ok = transport.verify_signature(
                    consumer.secret,
                    self.headers.get("X-Hub-Timestamp", ""),
                    body,
                    self.headers.get("X-Hub-Signature", ""),
                )
                with consumer.lock:
                    consumer.receipts += 1
                    if not ok:
                        consumer.bad_signatures += 1
                    elif self.headers["Idempotency-Key"] in consumer.applied:
                        consumer.repeats_ignored += 1
                    else:
                        consumer.applied[self.headers["Idempotency-Key"]] = json.loads(body)
                    consumer.received.notify_all()
                if consumer.hold is not None:
                    consumer.hold.wait(timeout=60)
                status = 204 if ok else 401
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the sender is gone (killed worker)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def wait_for_receipts(self, n: int, timeout: float = 60) -> bool:
        with self.lock:
            return self.received.wait_for(lambda: self.receipts >= n, timeout=timeout)
