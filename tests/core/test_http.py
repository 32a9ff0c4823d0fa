"""core.http: the one outgoing POST (hub pushes, witness submissions) answers, never raises, and pools on request."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from smartjustice.core import http


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like a real consumer

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        self.server.seen.append(
            (self.client_address[1], self.headers.get("Content-Type"), self.rfile.read(length))
        )
        answer = b"x" * 200_000 if self.path == "/big" else b"ok " + self.path.encode()
        self.send_response(201 if self.path != "/fail" else 500)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_one_shot_post_returns_status_and_body(server):
    httpd, base = server
    answer = http.post(
        f"{base}/add-checkpoint", b"old 1\n", headers={"Content-Type": "text/plain"}, timeout=5
    )
    assert (
        answer.status == 201 and answer.body == b"ok /add-checkpoint" and answer.content_type == "text/plain"
    )
    assert httpd.seen[0][1:] == ("text/plain", b"old 1\n")
    assert http.post(f"{base}/fail", b"{}", timeout=5).status == 500
    assert len(http.post(f"{base}/big", b"{}", timeout=5, max_body=1000).body) == 1000


def test_kept_alive_posts_share_one_connection(server):
    httpd, base = server
    first = http.post(f"{base}/a", b"{}", timeout=5, keep_alive=True)
    second = http.post(f"{base}/b", b"{}", timeout=5, keep_alive=True)
    assert (first.status, second.status) == (201, 201)
    assert httpd.seen[0][0] == httpd.seen[1][0]  # the same client port: one connection
    assert httpd.seen[0][1] == "application/json; charset=utf-8"  # JSON unless told otherwise


def test_a_server_that_is_not_there_is_an_answer_not_an_exception():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for keep_alive in (False, True):
        answer = http.post(f"http://127.0.0.1:{port}/x", b"{}", timeout=2, keep_alive=keep_alive)
        assert answer.status is None and answer.error.startswith("无法连接") and answer.reason
