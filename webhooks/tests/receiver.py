"""A webhook receiver for the tests: an HTTP server on 127.0.0.1, in a thread, that checks each
delivery's signature as docs/webhooks.md tells a receiver to, keeps what it received, and answers
with the statuses it is given, in turn (the last one again and again).

    with Receiver(statuses=[500, 200]) as receiver:
        endpoint, secret = make_endpoint(receiver.url)
        receiver.secret = secret
        ...
        assert [r.verified for r in receiver.received] == [True, True]
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from webhooks import signing


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool | None  # None: no secret to check it with

    @property
    def json(self):
        return json.loads(self.body)


class Receiver:
    def __init__(self, statuses=(200,), answer=b'{"ok": true}', secret=None, redirect_to=None):
        self.statuses = list(statuses)
        self.answer = answer
        self.secret = secret
        self.redirect_to = redirect_to
        self.received: list[Received] = []
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def _next_status(self) -> int:
        with self._lock:
            return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]

    def __enter__(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                header = self.headers.get(signing.HEADER, "")
                verified = (
                    signing.verify(receiver.secret, header, body, int(time.time()))
                    if receiver.secret
                    else None
                )
                with receiver._lock:
                    receiver.received.append(
                        Received(self.path, dict(self.headers.items()), body, verified)
                    )
                status = receiver._next_status()
                self.send_response(status)
                if receiver.redirect_to and 300 <= status < 400:
                    self.send_header("Location", receiver.redirect_to)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(receiver.answer)))
                self.end_headers()
                self.wfile.write(receiver.answer)

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
