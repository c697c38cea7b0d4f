"""A fake of WeCom's 智能机器人 long connection (wss://openws.work.weixin.qq.com) on 127.0.0.1.

It speaks the frames of developer.work.weixin.qq.com/document/path/101463: aibot_subscribe answered
with errcode 0 (or 40058 for a wrong bot id or secret), ping acknowledged, aibot_respond_msg,
aibot_send_msg and aibot_respond_update_msg recorded and acknowledged (headers.req_id echoed). A test
pushes aibot_msg_callback frames, and template_card_event taps, to the newest subscribed connection,
can drop it (no close frame, as a network fault), and a
second subscription kicks the first as WeCom does: a disconnected_event, then a clean close (1000).
"""
from __future__ import annotations

import contextlib
import json
import socket
import threading
import time

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect
from websockets.sync.server import ServerConnection, serve

from tests.servers import wait_until

WRONG_SECRET = 40058


class FakeWeComWs:
    def __init__(self, bot_id: str, secret: str) -> None:
        self.bot_id, self.secret = bot_id, secret
        self.subscribed: list[ServerConnection] = []   # every accepted subscription, oldest first
        self.refused = 0
        self.pings = 0
        self.replies: list[dict] = []                  # aibot_respond_msg, aibot_send_msg and aibot_respond_update_msg frames
        self.reply_errcode = 0                         # answer replies (not sends) with this errcode
        self._lock = threading.Lock()
        self._clients = contextlib.ExitStack()         # the other programs' connections, closed with the server
        self.server = serve(self._session, "127.0.0.1", 0)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}"

    def close(self) -> None:
        self._clients.close()
        self.server.shutdown()

    # --- what a test does

    def push_text(self, text: str, msgid: str, chatid: str = "wrk-group-1", userid: str = "zhangsan",
                  chattype: str = "group", req_id: str | None = None) -> str:
        """An aibot_msg_callback to the live connection; its req_id."""
        req_id = req_id or f"aibot_msg_callback_{msgid}_{time.monotonic_ns()}"
        body = {"msgid": msgid, "aibotid": self.bot_id, "chattype": chattype, "from": {"userid": userid},
                "create_time": int(time.time()), "msgtype": "text", "text": {"content": text}}
        if chattype == "group":
            body["chatid"] = chatid
        self._send(self.live(), {"cmd": "aibot_msg_callback", "headers": {"req_id": req_id}, "body": body})
        return req_id

    def push_tap(self, event_key: str, task_id: str, msgid: str, chatid: str = "wrk-group-1", userid: str = "zhangsan",
                 req_id: str | None = None) -> str:
        """An aibot_event_callback for a tap on a button_interaction card's button in a group; its req_id."""
        req_id = req_id or f"aibot_event_callback_{msgid}_{time.monotonic_ns()}"
        body = {"msgid": msgid, "aibotid": self.bot_id, "chatid": chatid, "chattype": "group", "from": {"userid": userid},
                "create_time": int(time.time()), "msgtype": "event",
                "event": {"eventtype": "template_card_event",
                          "template_card_event": {"card_type": "button_interaction", "event_key": event_key, "task_id": task_id}}}
        self._send(self.live(), {"cmd": "aibot_event_callback", "headers": {"req_id": req_id}, "body": body})
        return req_id

    def live(self) -> ServerConnection:
        return self.subscribed[-1]

    def subscribe_elsewhere(self) -> ClientConnection:
        """Another program subscribes with the same bot (and kicks the live connection)."""
        client = self._clients.enter_context(connect(self.url))
        client.send(json.dumps({"cmd": "aibot_subscribe", "headers": {"req_id": "aibot_subscribe_elsewhere"},
                                "body": {"bot_id": self.bot_id, "secret": self.secret}}))
        assert json.loads(client.recv(timeout=10))["errcode"] == 0
        return client

    def kicked_frames(self, client: ClientConnection) -> int:
        """How many disconnected_events a client got before its connection was closed."""
        events = 0
        try:
            for raw in client:
                events += json.loads(raw).get("body", {}).get("event", {}).get("eventtype") == "disconnected_event"
        except ConnectionClosed:
            pass
        return events

    def drop(self) -> None:
        """The live connection's TCP connection ends without a close frame (code 1006 for the client)."""
        self.live().socket.shutdown(socket.SHUT_RDWR)

    def wait_for_replies(self, count: int, timeout: float = 10) -> list[dict]:
        assert wait_until(lambda: len(self.replies) >= count, timeout), f"{len(self.replies)} replies of {count}"
        return self.replies

    def wait_for_subscriptions(self, count: int, timeout: float = 10) -> list[ServerConnection]:
        assert wait_until(lambda: len(self.subscribed) >= count, timeout), f"{len(self.subscribed)} subscriptions of {count}"
        return self.subscribed

    # --- the server's side

    def _session(self, websocket: ServerConnection) -> None:
        for raw in websocket:
            frame = json.loads(raw)
            cmd, req_id = frame.get("cmd"), (frame.get("headers") or {}).get("req_id", "")
            if cmd == "aibot_subscribe":
                self._subscribe(websocket, req_id, frame.get("body") or {})
            elif cmd == "ping":
                self.pings += 1
                self._ack(websocket, req_id)
            elif cmd in ("aibot_respond_msg", "aibot_send_msg", "aibot_respond_update_msg"):
                self.replies.append(frame)
                self._ack(websocket, req_id, self.reply_errcode if cmd == "aibot_respond_msg" else 0)

    def _subscribe(self, websocket: ServerConnection, req_id: str, body: dict) -> None:
        if (body.get("bot_id"), body.get("secret")) != (self.bot_id, self.secret):
            self.refused += 1
            self._ack(websocket, req_id, WRONG_SECRET, "invalid bot_id or secret")
            return
        previous = self.subscribed[-1] if self.subscribed else None
        self.subscribed.append(websocket)
        self._ack(websocket, req_id)
        if previous is not None and previous is not websocket:
            self._kick(previous)

    def _kick(self, websocket: ServerConnection) -> None:
        event = {"cmd": "aibot_event_callback", "headers": {"req_id": f"aibot_event_callback_{time.monotonic_ns()}"},
                 "body": {"msgid": f"kick-{time.monotonic_ns()}", "aibotid": self.bot_id, "create_time": int(time.time()),
                          "event": {"eventtype": "disconnected_event"}}}
        try:
            self._send(websocket, event)
            websocket.close(1000, "a new connection took over")
        except Exception:   # it may be gone already
            pass

    def _ack(self, websocket: ServerConnection, req_id: str, errcode: int = 0, errmsg: str = "ok") -> None:
        self._send(websocket, {"headers": {"req_id": req_id}, "errcode": errcode, "errmsg": errmsg})

    def _send(self, websocket: ServerConnection, frame: dict) -> None:
        with self._lock:
            websocket.send(json.dumps(frame, ensure_ascii=False))
