"""WeCom callbacks end to end: encrypted requests to the running app, encrypted replies read back."""
from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from datetime import date

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bot.routes.wecom as wecom_routes
from bot.app import REPLY_WORKERS, create_app
from bot.config import SchoolSettings, Settings, Term, WeComSettings
from bot.plan_import import import_file
from bot.platforms.wecom_crypto import WeComCrypto
from handlers import HANDLERS
from tests.conftest import ROOT
from tests.servers import FakeWeComApi, drain, serving
from tests.test_wecom_crypto import TV2_ENCRYPT

CORP, TOKEN, KEY, SECRET = "ww-test-corp", "test-token", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "app-secret"
CRYPTO = WeComCrypto(TOKEN, KEY, CORP)


SCHOOL = SchoolSettings(name="青禾小学", terms=(Term("第一学期", date(2026, 9, 1), date(2027, 1, 22)),))


def with_sample_plan(database) -> None:
    """The sample plan imported for SCHOOL (built once, copied for each test)."""
    import_file(ROOT / "examples" / "sample_plan.docx", Settings(school=SCHOOL), database)


@pytest.fixture
def wecom(sqlite_database_prepared):
    database = sqlite_database_prepared(with_sample_plan)
    api = FakeWeComApi(CORP, SECRET)
    with serving(api.app) as api_url:
        config = Settings(school=SCHOOL, wecom=WeComSettings(corp_id=CORP, agent_id="1000002", secret=SECRET, token=TOKEN,
                                                             encoding_aes_key=KEY, api_base=api_url))
        app = create_app(config, database)
        with serving(app) as app_url:
            yield app_url, api
            drain(app.extensions["schoolbot.executor"], REPLY_WORKERS)   # late answers are sent before the test ends


def message_xml(text: str, msg_id: str = "1001", sender: str = "zhangsan") -> str:
    return (f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><FromUserName><![CDATA[{sender}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>")


def post(app_url: str, inner: str, timestamp: str | None = None, crypto: WeComCrypto = CRYPTO, signature: str | None = None):
    timestamp, nonce = timestamp or str(int(time.time())), "1372623149"
    encrypted = crypto.encrypt(inner)
    body = f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt><AgentID>1000002</AgentID></xml>"
    params = {"msg_signature": signature or crypto.signature(timestamp, nonce, encrypted), "timestamp": timestamp, "nonce": nonce}
    return requests.post(f"{app_url}/wecom/callback", params=params, data=body.encode(), timeout=10)


def open_reply(response) -> ET.Element:
    envelope = ET.fromstring(response.text)
    encrypted = envelope.findtext("Encrypt")
    plain = CRYPTO.open(envelope.findtext("MsgSignature"), envelope.findtext("TimeStamp"), envelope.findtext("Nonce"), encrypted)
    return ET.fromstring(plain)


def test_url_verification(wecom):
    app_url, _ = wecom
    timestamp, nonce = str(int(time.time())), "9527"
    echo = CRYPTO.encrypt("echo-1616140317555161061")
    params = {"msg_signature": CRYPTO.signature(timestamp, nonce, echo), "timestamp": timestamp, "nonce": nonce, "echostr": echo}
    response = requests.get(f"{app_url}/wecom/callback", params=params, timeout=10)
    assert (response.status_code, response.text) == (200, "echo-1616140317555161061")
    params["nonce"] = "9528"
    assert requests.get(f"{app_url}/wecom/callback", params=params, timeout=10).status_code == 403


def test_this_week_gets_an_encrypted_passive_reply(wecom):
    app_url, _ = wecom
    response = post(app_url, message_xml("本周有什么任务"))
    assert response.status_code == 200
    reply = open_reply(response)
    assert reply.findtext("ToUserName") == "zhangsan" and reply.findtext("MsgType") == "text"
    assert reply.findtext("Content").startswith("本周（") and "**" not in reply.findtext("Content")
    assert len(reply.findtext("Content").encode()) <= 2048


def test_a_redelivered_message_is_answered_once(wecom):
    app_url, _ = wecom
    assert open_reply(post(app_url, message_xml("帮助", msg_id="77")))
    again = post(app_url, message_xml("帮助", msg_id="77"))
    assert (again.status_code, again.text) == (200, "")


def test_a_slow_answer_goes_through_the_message_api(wecom, monkeypatch):
    app_url, api = wecom
    monkeypatch.setattr(wecom_routes, "PASSIVE_WAIT_S", 0.05)
    for intent, answer in list(HANDLERS.items()):
        monkeypatch.setitem(HANDLERS, intent, slowly(answer, 0.25))   # five passive waits
    assert post(app_url, message_xml("帮助", msg_id="slow-1")).text == ""
    api.expire_next = True  # the second send meets an expired token, refreshes it and retries
    assert post(app_url, message_xml("下周有什么任务", msg_id="slow-2")).text == ""
    sent = api.wait_for(2)
    assert {s["touser"] for s in sent} == {"zhangsan"} and all(s["agentid"] == 1000002 for s in sent)
    assert any("校务助手可以这样用" in s["text"]["content"] for s in sent)
    assert api.tokens_issued == 2


def slowly(answer, seconds: float):
    def slow_answer(*args):
        time.sleep(seconds)  # a handler that outlives WeCom's passive-reply window
        return answer(*args)
    return slow_answer


def test_replayed_official_vector_is_refused_as_stale(wecom):
    app_url, _ = wecom
    body = f"<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[{TV2_ENCRYPT}]]></Encrypt></xml>"
    params = {"msg_signature": "477715d11cdb4164915debcba66cb864d751f3e6", "timestamp": "1409659813", "nonce": "1372623149"}
    assert requests.post(f"{app_url}/wecom/callback", params=params, data=body.encode(), timeout=10).status_code == 400


def test_forged_signature_and_another_corp_are_refused(wecom):
    app_url, _ = wecom
    assert post(app_url, message_xml("本周"), signature="0" * 40).status_code == 403
    other = WeComCrypto(TOKEN, KEY, "ww-other-corp")
    assert post(app_url, message_xml("本周"), crypto=other).status_code == 403


def test_events_get_an_empty_answer(wecom):
    app_url, _ = wecom
    event = f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><FromUserName><![CDATA[u]]></FromUserName><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event></xml>"
    assert (post(app_url, event).status_code, post(app_url, event).text) == (200, "")


def test_doctype_is_refused(wecom):
    app_url, _ = wecom
    evil = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Encrypt>&a;</Encrypt></xml>'
    response = requests.post(f"{app_url}/wecom/callback", params={"msg_signature": "x", "timestamp": str(int(time.time())), "nonce": "1"},
                             data=evil.encode(), timeout=10)
    assert response.status_code == 400


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(lambda t: f"<xml><Encrypt>{t}</Encrypt></xml>".encode())),
       params=st.dictionaries(st.sampled_from(["msg_signature", "timestamp", "nonce", "echostr"]), st.text(max_size=40), max_size=4))
def test_no_request_produces_a_server_error(wecom, body, params):
    app_url, _ = wecom
    assert requests.post(f"{app_url}/wecom/callback", params=params, data=body, timeout=10).status_code < 500
    assert requests.get(f"{app_url}/wecom/callback", params=params, timeout=10).status_code < 500


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inner=st.text(max_size=200))
def test_signed_garbage_inside_the_envelope_is_not_a_server_error(wecom, inner):
    app_url, _ = wecom
    assert post(app_url, inner).status_code in (200, 400)
