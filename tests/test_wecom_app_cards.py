"""Status buttons one to one, through the WeCom self-built app: with `wecom.private_reminders`, a deadline's chase
goes to each owner who has not reported as a button_interaction card (message/send); a tap comes back to
/wecom/callback as a template_card_event, is recorded as "完成 1" from the tapper would be, once however often WeCom
delivers it, and replaces the tapper's card with the tally (update_template_card, on the tap's ResponseCode).
A tap by someone the task does not concern records nothing and is answered by text. Against the fake of WeCom's
API on 127.0.0.1, the real app over HTTP and a real SQLite database."""
from __future__ import annotations

import time
from dataclasses import replace

import pytest
import requests

from bot.app import REPLY_WORKERS, create_app
from bot.config import Settings, WeComSettings
from bot.platforms.wecom import parse_tap
from bot.platforms.wecom_api import WeComClient
from bot.reminders.groups import reminder_groups
from bot.reminders.runner import run_pass
from storage import chats, deliveries, status
from storage.plans import ensure_school, get_task_by_number
from tests.servers import FakeWeComApi, drain, serving, wait_until
from tests.test_wecom import CORP, KEY, SCHOOL, SECRET, TOKEN, message_xml, post
from tests.test_wecom_cards import LAST_DAY, OUTSIDER, TEACHER, VISITS, with_plan_and_roster

OWNERS = {"wx-wang", "wx-li"}   # the roster's two 班主任, the owners of task VISITS


@pytest.fixture
def database(sqlite_database_prepared):
    return sqlite_database_prepared(with_plan_and_roster)


@pytest.fixture
def api():
    fake = FakeWeComApi(CORP, SECRET)
    with serving(fake.app) as url:
        fake.url = url
        yield fake


def settings_for(api: FakeWeComApi, private_reminders: bool = True) -> Settings:
    return Settings(school=SCHOOL, wecom=WeComSettings(corp_id=CORP, agent_id="1000002", secret=SECRET, token=TOKEN,
                                                       encoding_aes_key=KEY, api_base=api.url,
                                                       private_reminders=private_reminders))


@pytest.fixture
def app_url(api, database):
    app = create_app(settings_for(api), database)
    with serving(app) as url:
        yield url
        drain(app.extensions["schoolbot.executor"], REPLY_WORKERS)


def cards(api: FakeWeComApi) -> list[dict]:
    return [s for s in api.sent if s.get("msgtype") == "template_card"]


def tap_xml(key: str, card_id: str, code: str, sender: str) -> str:
    return (f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><FromUserName><![CDATA[{sender}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[{key}]]></EventKey>"
            f"<TaskId><![CDATA[{card_id}]]></TaskId><CardType><![CDATA[button_interaction]]></CardType>"
            f"<ResponseCode><![CDATA[{code}]]></ResponseCode><AgentID>1000002</AgentID></xml>")


def reports(database) -> int:
    return status.report_count(database, get_task_by_number(database, ensure_school(database, "青禾小学"), VISITS).id)


def test_a_chase_goes_one_to_one_as_a_card_once(api, database):
    run_pass(LAST_DAY, settings_for(api), database, requests.Session())
    (body,) = cards(api)
    card = body["template_card"]
    assert set(body["touser"].split("|")) == OWNERS and body["agentid"] == 1000002
    assert card["card_type"] == "button_interaction" and "家访记录" in card["sub_title_text"] and "**" not in card["sub_title_text"]
    assert [(b["text"], b["key"]) for b in card["button_list"]] == [
        ("已完成", f"status:{VISITS}:done"), ("进行中", f"status:{VISITS}:doing"), ("有困难", f"status:{VISITS}:blocked")]
    run_pass(LAST_DAY.replace(minute=5), settings_for(api), database, requests.Session())
    assert len(cards(api)) == 1   # never twice


def test_a_teacher_s_tap_is_recorded_once_and_their_card_shows_the_tally(api, app_url, database):
    run_pass(LAST_DAY, settings_for(api), database, requests.Session())
    card = cards(api)[0]["template_card"]
    tap = tap_xml(f"status:{VISITS}:done", card["task_id"], api.tap_code(), TEACHER)
    assert (post(app_url, tap).status_code, post(app_url, tap).text) == (200, "")   # delivered twice
    assert wait_until(lambda: len(api.updates) == 1)
    time.sleep(0.3)   # a second update, if the redelivery were answered, would have come by now
    (update,) = api.updates
    assert update["userids"] == [TEACHER] and update["agentid"] == 1000002
    new_card = update["template_card"]
    assert new_card["task_id"] == card["task_id"] and new_card["button_list"] == card["button_list"]
    assert "王芳" in new_card["sub_title_text"] and "1/2 已完成" in new_card["sub_title_text"]
    assert reports(database) == 1
    assert not [s for s in api.sent if s.get("msgtype") == "text"]   # the card was the answer


def test_an_outsider_s_tap_records_nothing_and_is_answered_by_text(api, app_url, database):
    run_pass(LAST_DAY, settings_for(api), database, requests.Session())
    card = cards(api)[0]["template_card"]
    assert post(app_url, tap_xml(f"status:{VISITS}:done", card["task_id"], api.tap_code(), OUTSIDER)).status_code == 200
    assert wait_until(lambda: any(s.get("msgtype") == "text" for s in api.sent))
    (text,) = [s for s in api.sent if s.get("msgtype") == "text"]
    assert text["touser"] == OUTSIDER and "未记录" in text["text"]["content"]
    assert api.updates == [] and reports(database) == 0


def test_a_refused_card_update_still_answers_the_tapper(api, app_url, database):
    run_pass(LAST_DAY, settings_for(api), database, requests.Session())
    card = cards(api)[0]["template_card"]
    post(app_url, tap_xml(f"status:{VISITS}:doing", card["task_id"], "a-code-wecom-never-issued", TEACHER))
    assert wait_until(lambda: any(s.get("msgtype") == "text" for s in api.sent))
    (text,) = [s for s in api.sent if s.get("msgtype") == "text"]
    assert text["touser"] == TEACHER and "进行中" in text["text"]["content"] and reports(database) == 1


def test_a_throttled_send_is_tried_again_and_unreachable_people_do_not_stop_the_others(api, database):
    api.send_script = [45009]
    report = run_pass(LAST_DAY, settings_for(api), database, requests.Session())
    assert cards(api) == [] and report.retrying == 1 and report.failed == 0
    api.unreachable = {"wx-li"}
    run_pass(LAST_DAY.replace(minute=10), settings_for(api), database, requests.Session())
    assert len(cards(api)) == 1 and set(cards(api)[0]["touser"].split("|")) == OWNERS


def test_a_refusal_fails_the_row_and_names_the_channel(api, database):
    api.send_script = [40003] * 6   # invalid userid: no use trying again
    report = run_pass(LAST_DAY, settings_for(api), database, requests.Session())
    assert report.failed == 1 and report.failing_groups == {"企业微信应用私信"} and cards(api) == []


def test_only_the_owners_who_have_not_done_their_part_are_told(api, app_url, database):
    assert post(app_url, message_xml(f"完成 {VISITS}", msg_id="typed-1", sender="wx-li")).status_code == 200
    assert wait_until(lambda: reports(database) == 1)
    run_pass(LAST_DAY.replace(hour=7, minute=0), settings_for(api), database, requests.Session())   # nothing due yet
    (channel,) = [c for c in chats.school_chats(database, ensure_school(database, "青禾小学")) if c.by_app]
    chats.update_chat_settings(database, channel.id, {"morning": True})   # the office switched the day's reminder on
    run_pass(LAST_DAY.replace(hour=7, minute=31), settings_for(api), database, requests.Session())
    (morning,) = [s for s in api.sent if s.get("msgtype") == "text"]      # no buttons on it: text
    assert morning["touser"] == "wx-wang" and "家访记录" in morning["text"]["content"]
    run_pass(LAST_DAY, settings_for(api), database, requests.Session())   # the chase
    assert [c["touser"] for c in cards(api)] == ["wx-wang"]


def test_the_channel_exists_only_while_switched_on(api, database):
    run_pass(LAST_DAY.replace(hour=7, minute=0), settings_for(api, private_reminders=False), database, requests.Session())
    assert chats.school_of_chat(database, "wecom", chats.APP_CHANNEL) is None
    run_pass(LAST_DAY.replace(hour=7, minute=1), settings_for(api), database, requests.Session())
    assert chats.school_of_chat(database, "wecom", chats.APP_CHANNEL) == ensure_school(database, "青禾小学")
    assert any(g.by_app for g in reminder_groups(database))
    run_pass(LAST_DAY, settings_for(api, private_reminders=False), database, requests.Session())
    assert cards(api) == [] and not any(g.by_app for g in reminder_groups(database))   # switched off: no channel
    run_pass(LAST_DAY.replace(hour=7, minute=2), settings_for(api), database, requests.Session())
    assert any(g.by_app for g in reminder_groups(database))                           # on again
    unconfigured = replace(settings_for(api), wecom=replace(settings_for(api).wecom, secret=""))
    run_pass(LAST_DAY.replace(minute=3), unconfigured, database, requests.Session())
    assert not any(g.by_app for g in reminder_groups(database))                       # no secret: no channel either
    assert cards(api) == [] and not deliveries.outstanding(database, LAST_DAY.replace(minute=3))


# --- pure: the tap

def test_the_tap_is_the_chat_message_and_names_itself_by_its_response_code():
    tap = parse_tap(tap_xml("status:12:blocked", "task12-d7", "code-1", "wx-liu"))
    message = tap.message
    assert (message.sender_id, message.chat_id, message.text, tap.number, tap.card_id) == (
        "wx-liu", "user:wx-liu", "有困难 12", 12, "task12-d7")
    assert message.msg_id == parse_tap(tap_xml("status:12:blocked", "task12-d7", "code-1", "wx-liu")).message.msg_id
    assert message.msg_id != parse_tap(tap_xml("status:12:blocked", "task12-d7", "code-2", "wx-liu")).message.msg_id
    for key in ("status:12:todo", "status:x:done", "approve", ""):
        assert parse_tap(tap_xml(key, "t", "c", "wx-liu")) is None
    with pytest.raises(ValueError):
        parse_tap(tap_xml("status:12:done", "t", "", "wx-liu"))


def test_the_scheduler_s_passes_share_one_access_token(api):
    """Each pass builds its own client; WeCom wants a token kept for its lifetime, not fetched every minute."""
    for _ in range(3):
        WeComClient(api.url, CORP, SECRET, "1000002", requests.Session()).send_text("wx-wang", "提醒")
    assert api.tokens_issued == 1 and len(api.sent) == 3
