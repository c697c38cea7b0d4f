"""DingTalk callbacks end to end: signed requests to the running app, replies read from a fake DingTalk."""
from __future__ import annotations

import json
import time
from datetime import date
from typing import NamedTuple

import pytest
import requests
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import REPLY_WORKERS, create_app
from bot.config import DingTalkSettings, SchoolSettings, Settings, Term
from bot.plan_import import import_file
from bot.platforms.dingtalk import sign
from tests.conftest import ROOT
from tests.servers import FakeDingTalk, drain, serving

SECRET = "test-app-secret-not-real"


class Site(NamedTuple):
    """The app on 127.0.0.1 and the fake DingTalk its replies go to."""
    app_url: str
    fake_url: str
    fake: FakeDingTalk
    app: Flask

    def settle(self) -> None:
        """Return once every reply the app has taken on is posted or given up, so that absence can be asserted."""
        drain(self.app.extensions["schoolbot.executor"], REPLY_WORKERS)


SCHOOL = SchoolSettings(name="青禾小学", terms=(Term("第一学期", date(2026, 9, 1), date(2027, 1, 22)),))


def with_sample_plan(database) -> None:
    """The sample plan imported for SCHOOL (built once, copied for each test)."""
    import_file(ROOT / "examples" / "sample_plan.docx", Settings(school=SCHOOL), database)


@pytest.fixture
def dingtalk(sqlite_database_prepared):
    database = sqlite_database_prepared(with_sample_plan)
    fake = FakeDingTalk()
    with serving(fake.app) as fake_url:
        config = Settings(school=SCHOOL, dingtalk=DingTalkSettings(app_secret=SECRET, session_webhook_base=fake_url))
        app = create_app(config, database)
        with serving(app) as app_url:
            site = Site(app_url, fake_url, fake, app)
            yield site
            site.settle()   # nothing still being answered outlives the test


def callback_body(fake_url: str, text: str, msg_id: str = "msg-1", created: int | None = None) -> dict:
    created = created or int(time.time() * 1000)
    return {
        "conversationId": "cid-teachers", "msgId": msg_id, "senderNick": "王老师", "isAdmin": False,
        "senderStaffId": "staff-7", "sessionWebhookExpiredTime": created + 5_400_000, "createAt": created,
        "conversationType": "2", "senderId": "$:LWCP_v1:$abc", "conversationTitle": "教师群", "isInAtList": True,
        "sessionWebhook": f"{fake_url}/robot/sendBySession?session=s-1", "text": {"content": f" {text}"}, "msgtype": "text",
    }


def post(app_url: str, body, timestamp: str | None = None, secret: str = SECRET, headers: dict | None = None):
    timestamp = timestamp or str(int(time.time() * 1000))
    signed = {"timestamp": timestamp, "sign": sign(timestamp, secret), "Content-Type": "application/json"}
    data = body if isinstance(body, (bytes, str)) else json.dumps(body, ensure_ascii=False).encode()
    return requests.post(f"{app_url}/dingtalk/callback", data=data, headers=headers if headers is not None else signed, timeout=10)


def test_signature_matches_the_documented_algorithm():
    # PROTOCOLS.md TV-7 (self-computed; DingTalk publishes no vector)
    assert sign("1577262236757", "this is secret") == "hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM="


def test_this_week_is_answered_through_the_session_webhook(dingtalk):
    app_url, fake_url, fake, _ = dingtalk
    response = post(app_url, callback_body(fake_url, "本周有什么任务"))
    assert response.status_code == 200
    (sent,) = fake.wait_for(1)
    assert sent["session"] == "s-1"
    assert sent["body"]["msgtype"] == "markdown"
    assert sent["body"]["markdown"]["text"].startswith("#### 本周（")


def test_a_redelivered_message_is_answered_once(dingtalk):
    app_url, fake_url, fake, _ = dingtalk
    body = callback_body(fake_url, "帮助", msg_id="retry-me")
    assert post(app_url, body).status_code == 200
    assert post(app_url, body).status_code == 200
    dingtalk.settle()
    assert len(fake.received) == 1


@pytest.mark.parametrize("case, status", [
    ("wrong-secret", 403), ("stale", 401), ("future", 401), ("no-headers", 401), ("garbage-timestamp", 401),
])
def test_forged_and_stale_callbacks_are_refused(dingtalk, case, status):
    app_url, fake_url, fake, _ = dingtalk
    body = callback_body(fake_url, "本周有什么任务", msg_id=f"forged-{case}")
    now = int(time.time() * 1000)
    response = {
        "wrong-secret": lambda: post(app_url, body, secret="guess"),
        "stale": lambda: post(app_url, body, timestamp=str(now - 2 * 3600 * 1000)),
        "future": lambda: post(app_url, body, timestamp=str(now + 2 * 3600 * 1000)),
        "no-headers": lambda: post(app_url, body, headers={}),
        "garbage-timestamp": lambda: post(app_url, body, headers={"timestamp": "soon", "sign": "x"}),
    }[case]()
    assert response.status_code == status
    dingtalk.settle()
    assert fake.received == []


@pytest.mark.parametrize("created", [10**18, -5, "yesterday", True, 1.5e300])
def test_absurd_send_times_are_read_as_now(dingtalk, created):
    app_url, fake_url, fake, _ = dingtalk
    body = callback_body(fake_url, "帮助", msg_id=f"when-{created}")
    body["createAt"] = created
    assert post(app_url, body).status_code == 200
    assert fake.wait_for(1)[0]["body"]["markdown"]["title"] == "使用帮助"


def test_replies_only_go_to_the_trusted_webhook_host(dingtalk):
    app_url, fake_url, fake, _ = dingtalk
    body = callback_body(fake_url, "帮助", msg_id="elsewhere")
    body["sessionWebhook"] = "http://127.0.0.1:9/robot/sendBySession?session=x"
    assert post(app_url, body).status_code == 200
    dingtalk.settle()
    assert fake.received == []


@pytest.mark.parametrize("raw", [b"", b"not json", b"[]", b'{"msgId": 5}', b'{"text": "x"}', b"{\"msgId\":\"a\"}"])
def test_malformed_bodies_are_400_not_500(dingtalk, raw):
    app_url = dingtalk.app_url
    assert post(app_url, raw).status_code == 400


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(
    st.binary(max_size=300),
    st.dictionaries(st.sampled_from(["msgId", "conversationId", "text", "createAt", "msgtype", "sessionWebhook", "isAdmin"]),
                    st.one_of(st.none(), st.integers(), st.text(max_size=20), st.dictionaries(st.text(max_size=5), st.text(max_size=5))),
                    max_size=7).map(lambda d: json.dumps(d).encode()),
), headers=st.dictionaries(st.sampled_from(["timestamp", "sign", "Timestamp", "Sign"]), st.text(max_size=30).filter(lambda v: "\n" not in v and "\r" not in v), max_size=4))
def test_no_request_produces_a_server_error(dingtalk, body, headers):
    app_url = dingtalk.app_url
    try:
        response = requests.post(f"{app_url}/dingtalk/callback", data=body, headers=headers, timeout=10)
    except (requests.exceptions.InvalidHeader, UnicodeEncodeError, ValueError):
        return  # the client library refused to send such a header
    assert response.status_code < 500


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.dictionaries(st.sampled_from(["msgId", "conversationId", "text", "createAt", "msgtype", "sessionWebhook",
                                              "conversationType", "senderStaffId", "sessionWebhookExpiredTime"]),
                            st.one_of(st.none(), st.integers(-10**15, 10**15), st.text(max_size=20), st.booleans()), max_size=9))
def test_signed_but_odd_bodies_never_produce_a_server_error(dingtalk, body):
    app_url = dingtalk.app_url
    assert post(app_url, body).status_code in (200, 400)


@pytest.mark.parametrize("url, ok", [
    ("https://oapi.dingtalk.com/robot/sendBySession?session=x", True),
    ("https://oapi.dingtalk.com/robot/sendBySession/../../admin/x", False),
    ("https://oapi.dingtalk.com/robot/sendBySession/%2e%2e/admin", False),
    ("https://oapi.dingtalk.com/robot/sendBySessionEVIL", False),
    ("https://oapi.dingtalk.com/robot/sendBySession\\..\\admin", False),
    ("https://user@oapi.dingtalk.com/robot/sendBySession", False),
    ("https://oapi.dingtalk.com.evil.example/robot/sendBySession", False),
    ("http://oapi.dingtalk.com/robot/sendBySession", False),
])
def test_a_session_webhook_must_lie_under_the_trusted_path(url, ok):
    from bot.platforms.dingtalk import SessionWebhook
    assert SessionWebhook(url, 0).usable("https://oapi.dingtalk.com/robot/sendBySession", 1) is ok
