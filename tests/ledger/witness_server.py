"""A real local HTTP witness (c2sp.org/tlog-witness add-checkpoint) for the witness-push tests.

It is ``ledger.witness.WitnessSigner`` behind ``ThreadingHTTPServer`` on 127.0.0.1: it verifies the log's signature
and the consistency proof from the size it last cosigned, answers 200 with its cosignature line, 409 with its size,
404/403/400/422 as the spec says. ``stop()`` takes it down (connection refused), ``start()`` brings it back on the
same port with its state intact; ``forget()`` loses its state, as a witness restored from an old backup would.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from smartjustice.ledger.witness import ADD_CHECKPOINT, WitnessSigner


class LocalWitness:
    def __init__(self, name: str = "witness.test.example/w1"):
        self.signer = WitnessSigner.generate(name)
        self.requests: list[bytes] = []  # every add-checkpoint body received
        self.answers: list[int] = []  # the status of each answer
        self.lock = threading.Lock()
        self.server = None
        self.port = 0
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/tlog-witness/"

    def trust(self, log, public_key: bytes) -> None:
        self.signer.trust(
            log.origin,
            hash_algorithm=log.hash_algorithm,
            signature_algorithm=log.signature_algorithm,
            public_key=public_key,
        )

    def forget(self) -> None:
        self.signer.state.clear()

    def start(self) -> None:
        witness = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path != "/tlog-witness/" + ADD_CHECKPOINT:
                    status, content_type, answer = 404, "text/plain", b"no such endpoint\n"
                else:
                    status, content_type, answer = witness.signer.handle_add_checkpoint(body)
                with witness.lock:
                    witness.requests.append(body)
                    witness.answers.append(status)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
