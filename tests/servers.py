"""Real HTTP servers on 127.0.0.1 for tests: our app, and fakes of the platforms' servers."""
from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable

from flask import Flask, jsonify, request
from werkzeug.serving import make_server


def free_port() -> int:
    """A loopback port nobody listens on now, for a server started in another process."""
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(base_url: str, process, seconds: float) -> bool:
    """Poll /healthz of a server started in another process; False if it exits or stays silent."""
    import requests
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if requests.get(f"{base_url}/healthz", timeout=1).ok:
                return True
        except requests.RequestException:
            time.sleep(0.02)
    return False


def wait_until(condition: Callable[[], object], timeout: float = 10.0, interval: float = 0.01) -> bool:
    """Poll `condition` until it holds or the deadline passes; whether it held (assert on it)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return bool(condition())
        time.sleep(interval)
    return True


def drain(executor, workers: int, timeout: float = 10.0) -> None:
    """Return once every task submitted to `executor` before this call has finished.

    `workers` tasks meet at a barrier with this thread. The executor's queue is first in, first
    out, so they can all be running together only when no worker is busy with earlier work: past
    the barrier, whatever the earlier tasks would ever do (post a reply, say) is done. Raises
    threading.BrokenBarrierError if they never meet (fewer workers than said)."""
    barrier = threading.Barrier(workers + 1, timeout=timeout)
    for _ in range(workers):
        executor.submit(barrier.wait)
    barrier.wait()


POLL_S = 0.01   # how soon a test server notices shutdown (werkzeug's default, 0.5 s, made every teardown slow)


@contextlib.contextmanager
def serving(app):
    """Run a WSGI app on a free loopback port; yields its base URL."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": POLL_S}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()   # serve_forever closes the socket as it returns
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


class FakeWeComApi:
    """WeCom's gettoken, message/send (text and template cards) and update_template_card, the admin list and the
    directory. expire_next makes the next send answer 42001 (token expired)."""

    def __init__(self, corp_id: str, secret: str) -> None:
        self.sent: list[dict] = []
        self.tokens_issued = 0
        self.expire_next = False
        self.app = Flask("fake-wecom")

        @self.app.get("/cgi-bin/gettoken")
        def gettoken():
            if (request.args.get("corpid"), request.args.get("corpsecret")) != (corp_id, secret):
                return jsonify(errcode=40001, errmsg="invalid credential")
            self.tokens_issued += 1
            return jsonify(errcode=0, errmsg="ok", access_token=f"token-{self.tokens_issued}", expires_in=7200)

        self.admins: list[str] = []
        self.users: list[dict] = []
        self.departments: list[dict] = [{"id": 1, "name": "学校", "parentid": 0}]

        def authorised() -> bool:
            return request.args.get("access_token") == f"token-{self.tokens_issued}"

        @self.app.post("/cgi-bin/agent/get_admin_list")
        def admin_list():
            if not authorised():
                return jsonify(errcode=40014, errmsg="invalid access_token")
            return jsonify(errcode=0, errmsg="ok", admin=[{"userid": u, "open_userid": f"o-{u}", "auth_type": 1} for u in self.admins])

        @self.app.get("/cgi-bin/department/list")
        def department_list():
            return jsonify(errcode=0, errmsg="ok", department=self.departments) if authorised() else jsonify(errcode=40014)

        @self.app.get("/cgi-bin/user/list")
        def user_list():
            if not authorised():
                return jsonify(errcode=40014, errmsg="invalid access_token")
            return jsonify(errcode=0, errmsg="ok", userlist=self.users)

        # Template cards: message/send answers a response_code for a card with buttons; a task_id is taken once per
        # app; update_template_card spends a response_code (the send's, or one a tap carried: `tap_code`) once.
        self.send_script: list[int] = []      # errcodes the next sends answer (45009: over the rate)
        self.unreachable: set[str] = set()    # userids message/send names in invaliduser
        self.updates: list[dict] = []
        self.codes: set[str] = set()
        self.card_ids: set[str] = set()

        @self.app.post("/cgi-bin/message/send")
        def send():
            if self.expire_next:
                self.expire_next = False
                return jsonify(errcode=42001, errmsg="access_token expired")
            if request.args.get("access_token") != f"token-{self.tokens_issued}":
                return jsonify(errcode=40014, errmsg="invalid access_token")
            if self.send_script:
                return jsonify(errcode=self.send_script.pop(0), errmsg="scripted failure")
            body = request.get_json()
            if not isinstance(body.get("agentid"), int) or not body.get("touser"):
                return jsonify(errcode=40008, errmsg="invalid message type")
            answer = {"errcode": 0, "errmsg": "ok"}
            if body.get("msgtype") == "template_card":
                card = body.get("template_card") or {}
                if not card.get("task_id") or card["task_id"] in self.card_ids or len(card.get("button_list") or ()) > 6:
                    return jsonify(errcode=40058, errmsg="template_card.task_id invalid or taken")
                self.card_ids.add(card["task_id"])
                answer["response_code"] = self.tap_code()
            self.sent.append(body)
            missing = [u for u in body["touser"].split("|") if u in self.unreachable]
            return jsonify({**answer, "invaliduser": "|".join(missing)} if missing else answer)

        @self.app.post("/cgi-bin/message/update_template_card")
        def update_card():
            if not authorised():
                return jsonify(errcode=40014, errmsg="invalid access_token")
            body = request.get_json()
            if body.get("response_code") not in self.codes:
                return jsonify(errcode=40058, errmsg="response_code invalid or used")
            self.codes.discard(body["response_code"])
            self.updates.append(body)
            return jsonify(errcode=0, errmsg="ok")

    def tap_code(self) -> str:
        """A fresh response_code, as a send or a tap's callback carries."""
        code = f"rc-{len(self.codes) + len(self.updates) + 1}-{time.monotonic_ns()}"
        self.codes.add(code)
        return code

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.sent) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.sent


class FakeRobot:
    """Group robot webhooks. /dingtalk checks 加签 against SECRET; behaviour per call from `script`
    ("ok", "throttle", "500", "hang"), then "ok" once the script runs out."""

    SECRET = "SECtest-robot-secret"

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.rejected: list[str] = []
        self.script: list[str] = []
        self.delay = 0.0   # seconds each push takes, to catch a sender mid-pass
        self.in_flight = 0   # pushes being answered now (a sender killed mid-push leaves one landing)
        self._lock = threading.Lock()
        self.app = Flask("fake-robot")

        @self.app.post("/dingtalk/robot/send")
        def dingtalk():
            import base64
            import hashlib
            import hmac
            timestamp, sign = request.args.get("timestamp", ""), request.args.get("sign", "")
            expected = base64.b64encode(hmac.new(self.SECRET.encode(), f"{timestamp}\n{self.SECRET}".encode(), hashlib.sha256).digest()).decode()
            if sign != expected or abs(time.time() * 1000 - int(timestamp or 0)) > 3600_000:
                self.rejected.append(request.url)
                return jsonify(errcode=310000, errmsg="sign not match")
            return self._answer("dingtalk", 130101)

        @self.app.post("/wecom/webhook/send")
        def wecom():
            return self._answer("wecom", 45009)

    def _answer(self, platform: str, throttle_code: int):
        with self._lock:
            self.in_flight += 1
        try:
            return self._answer_now(platform, throttle_code)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _answer_now(self, platform: str, throttle_code: int):
        time.sleep(self.delay)
        step = self.script.pop(0) if self.script else "ok"
        if step == "hang":
            time.sleep(3)
        if step == "500":
            return "boom", 500
        if step == "throttle":
            return jsonify(errcode=throttle_code, errmsg="send too fast")
        self.received.append({"platform": platform, "body": request.get_json()})
        return jsonify(errcode=0, errmsg="ok")


class FakeDingTalkOpenApi:
    """DingTalk's server API for the enterprise robot: /gettoken (dingtalk-sdk's way) and
    /v1.0/robot/groupMessages/send, checking the token header and the body's fields.
    `script` steps per send: "ok", "throttle" (403 QpsLimit), "expired" (401), "500"."""

    def __init__(self, app_key: str, app_secret: str, robot_code: str) -> None:
        self.sent: list[dict] = []
        self.refused: list[dict] = []
        self.tokens_issued = 0
        self.script: list[str] = []
        self.app = Flask("fake-dingtalk-openapi")

        @self.app.get("/gettoken")
        def gettoken():
            if (request.args.get("appkey"), request.args.get("appsecret")) != (app_key, app_secret):
                return jsonify(errcode=40089, errmsg="不合法的corpid或corpsecret")
            self.tokens_issued += 1
            return jsonify(errcode=0, errmsg="ok", access_token=f"dt-token-{self.tokens_issued}", expires_in=7200)

        self.departments: list[dict] = []
        self.users: dict[int, list[dict]] = {}

        def authorised() -> bool:
            return request.args.get("access_token") == f"dt-token-{self.tokens_issued}"

        @self.app.get("/department/list")
        def department_list():
            if not authorised():
                return jsonify(errcode=40014, errmsg="不合法的access_token")
            return jsonify(errcode=0, errmsg="ok", department=self.departments)

        @self.app.get("/user/list")
        def user_list():
            if not authorised():
                return jsonify(errcode=40014, errmsg="不合法的access_token")
            users = self.users.get(int(request.args["department_id"]), [])
            offset, size = int(request.args.get("offset", 0)), int(request.args.get("size", 100))
            return jsonify(errcode=0, errmsg="ok", hasMore=offset + size < len(users), userlist=users[offset:offset + size])

        @self.app.post("/v1.0/robot/groupMessages/send")
        def group_send():
            body = request.get_json()
            step = self.script.pop(0) if self.script else "ok"
            token = request.headers.get("x-acs-dingtalk-access-token")
            if step == "expired" or token != f"dt-token-{self.tokens_issued}":
                return jsonify(code="InvalidAuthentication", message="不合法的access_token"), 401
            if step == "throttle":
                return jsonify(code="Forbidden.AccessDenied.QpsLimitForApi", message="QPS限流"), 403
            if step == "500":
                return "boom", 500
            if body.get("robotCode") != robot_code or body.get("msgKey") != "sampleMarkdown" or not body.get("openConversationId"):
                self.refused.append(body)
                return jsonify(code="invalidParameter.robotCode.auth", message="robotCode 无权限"), 400
            self.sent.append({"conversation": body["openConversationId"], "param": json.loads(body["msgParam"])})
            return jsonify(processQueryKey=f"q{len(self.sent)}")

        # Read receipts: readers[processQueryKey] is who has read that message; query_script steps
        # per query: "ok", "throttle", "500". Pages of maxResults, continued by nextToken.
        self.readers: dict[str, list[str]] = {}
        self.read_by_default: list[str] = []      # who has read a sent message not in `readers`
        self.query_script: list[str] = []
        self.queries: list[dict] = []

        @self.app.post("/v1.0/robot/groupMessages/query")
        def group_query():
            body = request.get_json()
            self.queries.append(body)
            step = self.query_script.pop(0) if self.query_script else "ok"
            if request.headers.get("x-acs-dingtalk-access-token") != f"dt-token-{self.tokens_issued}":
                return jsonify(code="InvalidAuthentication", message="不合法的access_token"), 401
            if step == "throttle":
                return jsonify(code="Forbidden.AccessDenied.QpsLimitForApi", message="QPS限流"), 403
            if step == "500":
                return "boom", 500
            key, issued = body.get("processQueryKey"), {f"q{n}" for n in range(1, len(self.sent) + 1)}
            if body.get("robotCode") != robot_code or key not in set(self.readers) | issued:
                return jsonify(code="invalidParameter.processQueryKey", message="processQueryKey 无效"), 400
            readers = self.readers.get(key, self.read_by_default)
            start, size = int(body.get("nextToken") or 0), int(body.get("maxResults") or 100)
            page = readers[start:start + size]
            more = start + size < len(readers)
            answer = {"hasMore": more, "readUserIds": page, "sendStatus": "SUCCESS",
                      "readUsers": [{"userId": u, "unionId": f"union-{u}"} for u in page]}
            if more:
                answer["nextToken"] = str(start + size)
            return jsonify(answer)
