"""DingTalk Stream mode against a fake gateway and websocket on 127.0.0.1, with the real dingtalk-stream client."""
from __future__ import annotations

import asyncio
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import requests
from flask import Flask, jsonify, request
from websockets.sync.server import serve as ws_serve

from bot.config import DingTalkSettings, SchoolSettings, Settings, Term
from bot.dispatch import Dispatcher
from bot.inbox import Inbox
from bot.plan_import import import_file
from bot.platforms.dingtalk_reply import DingTalkResponder
from bot.stream import stream_client
from tests.conftest import ROOT
from tests.servers import FakeDingTalk, serving, wait_until
from tests.test_dingtalk import callback_body


class FakeGateway:
    """gateway/connections/open hands out a websocket; the socket pushes one robot message and records the ack."""

    def __init__(self, frames: list[dict]) -> None:
        self.frames, self.acks, self.opened = frames, [], []
        self.ws = ws_serve(self._session, "127.0.0.1", 0)
        threading.Thread(target=self.ws.serve_forever, daemon=True).start()
        self.app = Flask("fake-gateway")

        @self.app.post("/v1.0/gateway/connections/open")
        def open_connection():
            self.opened.append(request.get_json(force=True))
            return jsonify(endpoint=f"ws://127.0.0.1:{self.ws.socket.getsockname()[1]}", ticket="ticket-1")

    def _session(self, websocket) -> None:
        for frame in self.frames:
            websocket.send(json.dumps(frame))
        for _ in self.frames:
            self.acks.append(json.loads(websocket.recv(timeout=10)))
        time.sleep(30)  # keep the socket open until the test is done


def frame(body: dict, message_id: str) -> dict:
    return {"specVersion": "1.0", "type": "CALLBACK", "data": json.dumps(body, ensure_ascii=False),
            "headers": {"topic": "/v1.0/im/bot/messages/get", "messageId": message_id, "contentType": "application/json",
                        "time": str(int(time.time() * 1000)), "appId": "app"}}


def test_stream_message_is_acknowledged_and_answered(sqlite_database):
    fake = FakeDingTalk()
    with serving(fake.app) as fake_url:
        good = callback_body(fake_url, "本周有什么任务", msg_id="stream-1")
        gateway = FakeGateway([frame(good, "f-1"), frame({"text": "no ids"}, "f-2")])
        with serving(gateway.app) as gateway_url:
            config = Settings(
                school=SchoolSettings(name="青禾小学", terms=(Term("第一学期", date(2026, 9, 1), date(2027, 1, 22)),)),
                dingtalk=DingTalkSettings(app_key="ding-key", app_secret="ding-secret", mode="stream",
                                          api_base=gateway_url, session_webhook_base=fake_url),
            )
            import_file(ROOT / "examples" / "sample_plan.docx", config, sqlite_database)
            responder = DingTalkResponder(config.dingtalk, requests.Session())
            dispatcher = Dispatcher(config, sqlite_database)
            client = stream_client(config.dingtalk, responder, Inbox(sqlite_database, dispatcher.answer), ThreadPoolExecutor(2))
            loop = asyncio.new_event_loop()
            threading.Thread(target=lambda: loop.run_until_complete(client.start()), daemon=True).start()

            (sent,) = fake.wait_for(1)
            assert sent["body"]["markdown"]["text"].startswith("#### 本周（")
            assert wait_until(lambda: len(gateway.acks) >= 2)
            codes = {a["headers"]["messageId"]: a["code"] for a in gateway.acks}
            assert codes == {"f-1": 200, "f-2": 400}
            assert gateway.opened[0]["clientId"] == "ding-key"
            assert gateway.opened[0]["subscriptions"] == [{"type": "CALLBACK", "topic": "/v1.0/im/bot/messages/get"}]
            # The SDK's start() retries forever and swallows cancellation; its daemon thread ends with the run.
