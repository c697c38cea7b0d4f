"""Real HTTP servers on 127.0.0.1 for tests: our app, and fakes of the platforms' servers."""
from __future__ import annotations

import contextlib
import threading
import time

from flask import Flask, jsonify, request
from werkzeug.serving import make_server


@contextlib.contextmanager
def serving(app):
    """Run a WSGI app on a free loopback port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


class FakeDingTalk:
    """DingTalk's sessionWebhook endpoint: records every reply posted to /robot/sendBySession."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.app = Flask("fake-dingtalk")

        @self.app.post("/robot/sendBySession")
        def send_by_session():
            self.received.append({"session": request.args.get("session"), "body": request.get_json()})
            return jsonify(errcode=0, errmsg="ok")

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received
