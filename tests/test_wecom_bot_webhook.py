"""The WeCom AI bot's webhook mode end to end: encrypted callbacks to the running app, answers POSTed to a
fake response_url. The callbacks are encrypted here with `cryptography` directly (PROTOCOLS.md §5.2, §6.2),
not with the app's WeComCrypto, so a mistake shared by both sides cannot pass unseen."""
from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
import time
from datetime import datetime, timezone

import pytest
import requests
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from flask import Flask, jsonify, request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.app import REPLY_WORKERS, create_app
from bot.config import Settings, WeComBotSettings
from bot.dispatch import Dispatcher
from bot.messages import IncomingMessage
from bot.platforms import dingtalk
from bot.platforms.wecom_bot import ResponseUrl, parse_message
from storage.models import StatusReport
from tests.conftest import stored_by_a_process_that_died
from tests.servers import drain, serving, wait_until
from tests.test_wecom import SCHOOL, with_sample_plan

TOKEN, KEY = "bot-token", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
NONCE = "263014780"


def encrypt(plain: str, key: str = KEY, receive_id: str = "") -> str:
    """WXBizMsgCrypt: AES-256-CBC, key = Base64(EncodingAESKey + "="), IV its first 16 bytes; plaintext =
    16 random bytes + 4-byte big-endian length + msg + receive id ("" for an AI bot), PKCS#7 to 32 bytes."""
    aes = base64.b64decode(key + "=")
    body = plain.encode("utf-8")
    data = os.urandom(16) + struct.pack(">I", len(body)) + body + receive_id.encode()
    pad = 32 - len(data) % 32
    encryptor = Cipher(algorithms.AES(aes), modes.CBC(aes[:16])).encryptor()
    return base64.b64encode(encryptor.update(data + bytes([pad]) * pad) + encryptor.finalize()).decode()


def signature(timestamp: str, nonce: str, encrypted: str, token: str = TOKEN) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode()).hexdigest()


class FakeResponseUrl:
    """WeCom's /cgi-bin/aibot/response: records each reply with its response_code."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.app = Flask("fake-aibot-response")

        @self.app.post("/cgi-bin/aibot/response")
        def respond():
            self.received.append({"code": request.args.get("response_code"), "body": request.get_json()})
            return jsonify(errcode=0, errmsg="ok")


@pytest.fixture
def bot(sqlite_database_prepared):
    database = sqlite_database_prepared(with_sample_plan)
    fake = FakeResponseUrl()
    with serving(fake.app) as fake_url:
        config = Settings(school=SCHOOL, wecom_bot=WeComBotSettings(mode="webhook", token=TOKEN, encoding_aes_key=KEY,
                                                                     response_url_base=fake_url))
        app = create_app(config, database)
        with serving(app) as app_url:
            yield Bot(app, app_url, fake_url, fake, config, database)
            bot_idle(app)


class Bot:
    def __init__(self, app, url, fake_url, fake, config, database) -> None:
        self.app, self.url, self.fake_url, self.fake, self.config, self.database = app, url, fake_url, fake, config, database

    def message(self, text: str, msg_id: str = "msg-1", chattype: str = "group", **extra) -> dict:
        body = {"msgid": msg_id, "aibotid": "AIBOT-1", "chattype": chattype, "from": {"userid": "zhangsan"},
                "response_url": f"{self.fake_url}/cgi-bin/aibot/response?response_code=code-{msg_id}",
                "msgtype": "text", "text": {"content": text}, **extra}
        return {**body, "chatid": "grp-1"} if chattype == "group" else body

    def post(self, plain: str, timestamp: str | None = None, sign: str | None = None, key: str = KEY, receive_id: str = ""):
        timestamp = timestamp or str(int(time.time()))
        encrypted = encrypt(plain, key, receive_id)
        params = {"msg_signature": sign or signature(timestamp, NONCE, encrypted), "timestamp": timestamp, "nonce": NONCE}
        return requests.post(f"{self.url}/wecom/bot/callback", params=params, json={"encrypt": encrypted}, timeout=10)

    def answers(self, count: int) -> list[dict]:
        assert wait_until(lambda: len(self.fake.received) >= count), self.fake.received
        return self.fake.received


def test_url_verification_echoes_the_plaintext(bot):
    timestamp = str(int(time.time()))
    echo = encrypt("5927782489442352469")
    params = {"msg_signature": signature(timestamp, NONCE, echo), "timestamp": timestamp, "nonce": NONCE, "echostr": echo}
    started = time.monotonic()
    response = requests.get(f"{bot.url}/wecom/bot/callback", params=params, timeout=10)
    assert (response.status_code, response.text) == (200, "5927782489442352469") and time.monotonic() - started < 1
    assert requests.get(f"{bot.url}/wecom/bot/callback", params={**params, "nonce": "1"}, timeout=10).status_code == 403
    stale = str(int(time.time()) - 3600)
    params = {**params, "timestamp": stale, "msg_signature": signature(stale, NONCE, echo)}
    assert requests.get(f"{bot.url}/wecom/bot/callback", params=params, timeout=10).status_code == 403


def test_a_group_question_gets_the_answer_dingtalk_would(bot):
    response = bot.post(json.dumps(bot.message("@校务助手 本周有什么任务"), ensure_ascii=False))
    assert (response.status_code, response.text) == (200, "")
    [answer] = bot.answers(1)
    dingtalk_answer = Dispatcher(bot.config, bot.database).handle(
        IncomingMessage("dingtalk", "dt-1", "cid-1", "lisi", "李老师", "本周有什么任务", datetime.now(timezone.utc)),
        dingtalk.REPLY_BYTES)
    assert answer["code"] == "code-msg-1" and answer["body"]["msgtype"] == "markdown"
    assert answer["body"]["markdown"]["content"] == dingtalk_answer.markdown
    assert dingtalk_answer.markdown.startswith("#### 本周（")


def test_a_report_in_a_group_is_recorded(bot):
    bot.post(json.dumps(bot.message("@校务助手 完成 12", msg_id="report-1"), ensure_ascii=False))
    [answer] = bot.answers(1)
    assert answer["body"]["markdown"]["content"].startswith("已记录：zhangsan #12")
    with bot.database.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(StatusReport)).scalar() == 1


def test_a_replayed_callback_is_answered_once(bot):
    plain = json.dumps(bot.message("@校务助手 帮助", msg_id="twice"), ensure_ascii=False)
    assert bot.post(plain).status_code == 200
    bot.answers(1)
    assert bot.post(plain).status_code == 200   # the same msgid again, freshly signed
    bot_idle(bot.app)
    assert len(bot.fake.received) == 1


def bot_idle(app) -> None:
    """Every answer queued so far is done: a callback queues its answer before it returns 200."""
    drain(app.extensions["schoolbot.executor"], REPLY_WORKERS)


def test_a_forged_signature_is_refused_and_not_answered(bot):
    plain = json.dumps(bot.message("@校务助手 本周有什么任务", msg_id="forged"), ensure_ascii=False)
    assert bot.post(plain, sign="0" * 40).status_code == 403
    assert bot.post(plain, key="6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt").status_code == 403   # another key
    assert bot.post(plain, receive_id="ww-some-corp").status_code == 403   # the app's envelope, not the bot's
    assert bot.fake.received == []


def test_a_stale_timestamp_is_refused(bot):
    plain = json.dumps(bot.message("@校务助手 本周有什么任务", msg_id="stale"), ensure_ascii=False)
    assert bot.post(plain, timestamp=str(int(time.time()) - 3600)).status_code == 403


def test_malformed_callbacks_are_bad_requests(bot):
    timestamp = str(int(time.time()))
    params = {"msg_signature": "x", "timestamp": timestamp, "nonce": NONCE}
    for body in (b"not json", b"[]", b'{"encrypt": 7}', b"{}", b"\xff\xfe"):
        assert requests.post(f"{bot.url}/wecom/bot/callback", params=params, data=body, timeout=10).status_code == 400
    assert bot.post("not json inside").status_code == 400
    assert bot.post(json.dumps({"msgtype": "text", "text": {"content": "本周"}})).status_code == 400   # no msgid, no sender


def test_pictures_and_events_are_acknowledged_unanswered(bot):
    image = {**bot.message("", msg_id="img"), "msgtype": "image", "image": {"url": "https://example.invalid/x"}}
    event = {"msgid": "ev", "aibotid": "AIBOT-1", "from": {"userid": "zhangsan"}, "msgtype": "event",
             "event": {"eventtype": "enter_chat"}}
    for body in (image, event):
        assert (bot.post(json.dumps(body)).status_code, bot.post(json.dumps(body)).text) == (200, "")
    assert bot.fake.received == []


def test_a_one_to_one_question_is_answered_without_an_at(bot):
    bot.post(json.dumps(bot.message("帮助", msg_id="single-1", chattype="single"), ensure_ascii=False))
    [answer] = bot.answers(1)
    assert "<@" not in answer["body"]["markdown"]["content"] and answer["code"] == "code-single-1"


def test_a_response_url_on_another_host_is_not_called(bot):
    body = {**bot.message("帮助", msg_id="elsewhere"), "response_url": "http://127.0.0.1:9/steal"}
    assert bot.post(json.dumps(body, ensure_ascii=False)).status_code == 200
    bot_idle(bot.app)
    assert bot.fake.received == []


def test_websocket_mode_has_no_callback(sqlite_database):
    app = create_app(Settings(wecom_bot=WeComBotSettings(mode="websocket", token=TOKEN, encoding_aes_key=KEY)), sqlite_database)
    assert app.test_client().post("/wecom/bot/callback", json={"encrypt": "x"}).status_code == 404


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inner=st.one_of(st.text(max_size=120), st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                                                           lambda c: st.lists(c, max_size=3) | st.dictionaries(
                                                               st.sampled_from(["msgid", "from", "chattype", "chatid", "msgtype",
                                                                                "text", "content", "userid", "mixed", "msg_item",
                                                                                "quote", "response_url", "create_time"]), c, max_size=5),
                                                           max_leaves=12).map(json.dumps)))
def test_no_signed_body_is_a_server_error(bot, inner):
    assert bot.post(inner).status_code in (200, 400)


def test_a_message_stored_before_a_crash_is_answered_through_its_response_url(bot):
    """Stored, never worked (the process died after the 200): the next resume answers it where it came from."""
    inbox = bot.app.extensions["schoolbot.inbox"]
    message = parse_message(bot.message("@校务助手 帮助", msg_id="orphan"), ResponseUrl(f"{bot.fake_url}/cgi-bin/aibot/response?response_code=late"))
    stored_by_a_process_that_died(bot.app.extensions["schoolbot.database"], message)
    inbox.resume(bot.app.extensions["schoolbot.executor"])   # (or the app's own resumer, if it came first)
    [answer] = bot.answers(1)
    assert answer["code"] == "late" and answer["body"]["markdown"]["content"]
