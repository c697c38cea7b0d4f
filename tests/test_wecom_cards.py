"""Status buttons under WeCom reminders, through the 智能机器人's long connection: a chase goes to the group as a
button_interaction card (已完成 · 进行中 · 有困难); a teacher's tap is recorded as "完成 1" would be, once however
often WeCom delivers it, and the card is updated with the tally; a tap by someone the task does not concern changes
nothing and is answered to them alone. Against the fake of WeCom's websocket and a real SQLite database."""
from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings, WeComBotSettings
from bot.members import import_roster_file
from bot.messages import Reply
from bot.platforms.wecom_cards import parse_tap, status_card, update_body
from bot.plan_import import import_file
from storage import status
from storage.plans import ensure_school, get_task_by_number
from tests.fake_wecom_ws import FakeWeComWs
from tests.servers import wait_until
from tests.test_status import PLAN
from tests.test_wecom import SCHOOL
from tests.test_wecom_bot_reminders import GROUP, Process, sends, switch_on
from tests.test_wecom_longconn import BOT_ID, SECRET, fake  # noqa: F401 (fixture)

ADMIN, TEACHER, OUTSIDER = "wx-zhao", "wx-wang", "wx-chen"
ROSTER = f"""姓名,角色,部门,年级,钉钉userId,企业微信userid,手机,管理员
王芳,班主任,,三年级,,{TEACHER},,
李强,班主任,,四年级,,wx-li,,
赵敏,,教务处,,,{ADMIN},,是
陈杰,,教务处,,,{OUTSIDER},,
"""
VISITS, LAST_DAY = 1, datetime(2026, 10, 20, 8, 1, tzinfo=ZoneInfo("Asia/Shanghai"))   # 10月20日前，各班主任提交家访记录


def with_plan_and_roster(database) -> None:
    """tests.test_status's plan (a deadline for 班主任, a role: each of them reports) and a roster with WeCom ids."""
    settings = Settings(school=SCHOOL)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "计划.txt").write_text(PLAN, encoding="utf-8")
        (Path(folder) / "名单.csv").write_text(ROSTER, encoding="utf-8")
        import_file(Path(folder) / "计划.txt", settings, database)
        import_roster_file(Path(folder) / "名单.csv", settings, database)


@pytest.fixture
def database(sqlite_database_prepared):
    return sqlite_database_prepared(with_plan_and_roster)


@pytest.fixture
def bot(fake, database):  # noqa: F811 (fake is a fixture)
    settings = Settings(school=SCHOOL, admins=(ADMIN,), wecom_bot=WeComBotSettings(bot_id=BOT_ID, secret=SECRET, ws_url=fake.url))
    process = Process(settings, database, "host-a:1").start()
    switch_on(fake, userid=ADMIN)
    yield process
    process.stop()


def card_sent(fake: FakeWeComWs) -> dict:
    cards = [f["body"] for f in sends(fake) if f["body"].get("msgtype") == "template_card"]
    assert len(cards) == 1, sends(fake)
    return cards[0]


def updates(fake: FakeWeComWs) -> list[dict]:
    return [f for f in fake.replies if f["cmd"] == "aibot_respond_update_msg"]


def reports(database) -> int:
    return status.report_count(database, get_task_by_number(database, ensure_school(database, "青禾小学"), VISITS).id)


def test_a_chase_is_a_card_with_three_buttons(fake, bot):
    bot.run_pass(LAST_DAY)
    body = card_sent(fake)
    card = body["template_card"]
    assert body["chatid"] == GROUP and card["card_type"] == "button_interaction" and "家访记录" in card["sub_title_text"]
    assert [(b["text"], b["key"]) for b in card["button_list"]] == [
        ("已完成", f"status:{VISITS}:done"), ("进行中", f"status:{VISITS}:doing"), ("有困难", f"status:{VISITS}:blocked")]
    ats = [f["body"] for f in sends(fake) if f["body"].get("msgtype") == "markdown"
           and f["body"]["markdown"]["content"].lstrip().startswith("<@")]
    assert len(ats) == 1 and ats[0]["chatid"] == GROUP and "<@wx-wang>" in ats[0]["markdown"]["content"]   # a card cannot @


def test_a_teacher_s_tap_is_recorded_once_and_the_card_shows_the_tally(fake, bot, database):
    bot.run_pass(LAST_DAY)
    card = card_sent(fake)["template_card"]
    req_id = fake.push_tap(f"status:{VISITS}:done", card["task_id"], msgid="tap-1", chatid=GROUP, userid=TEACHER)
    assert wait_until(lambda: len(updates(fake)) == 1)
    fake.push_tap(f"status:{VISITS}:done", card["task_id"], msgid="tap-1", chatid=GROUP, userid=TEACHER, req_id=req_id)
    fake.push_text("@校务助手 帮助", msgid="after-1", chatid=GROUP, userid=TEACHER)   # the redelivery was read before this
    assert wait_until(lambda: any(f["body"].get("msgtype") == "stream" and "after-1" in f["headers"]["req_id"] for f in fake.replies))
    (update,) = updates(fake)
    assert update["headers"]["req_id"] == req_id and update["body"]["response_type"] == "update_template_card"
    assert "userids" not in update["body"] and update["body"]["template_card"]["task_id"] == card["task_id"]
    text = update["body"]["template_card"]["sub_title_text"]
    assert "王芳" in text and "已完成" in text and "1/2 已完成" in text
    assert reports(database) == 1
    answer = fake.push_text(f"@校务助手 {VISITS} 进度", msgid="progress-1", chatid=GROUP, userid=ADMIN)
    assert wait_until(lambda: any(f["headers"]["req_id"] == answer for f in fake.replies))
    progress = next(f for f in fake.replies if f["headers"]["req_id"] == answer)["body"]["stream"]["content"]
    assert "**已完成（1）**：王芳" in progress and "李强" in progress


def test_an_outsider_s_tap_changes_nothing_and_is_answered_to_them_alone(fake, bot, database):
    bot.run_pass(LAST_DAY)
    card = card_sent(fake)["template_card"]
    fake.push_tap(f"status:{VISITS}:done", card["task_id"], msgid="tap-out", chatid=GROUP, userid=OUTSIDER)
    assert wait_until(lambda: len(updates(fake)) == 1)
    (update,) = updates(fake)
    assert update["body"]["userids"] == [OUTSIDER] and "未记录" in update["body"]["template_card"]["sub_title_text"]
    assert reports(database) == 0


# --- pure: the card, the tap, the update

def test_the_key_names_task_and_state_and_the_sender_comes_from_the_event():
    body = {"msgid": "m1", "chatid": "g", "chattype": "group", "from": {"userid": "wx-liu"}, "msgtype": "event",
            "event": {"eventtype": "template_card_event",
                      "template_card_event": {"card_type": "button_interaction", "event_key": "status:12:blocked", "task_id": "t"}}}
    tap = parse_tap(body)
    message = tap.as_message("req-1")
    assert (message.sender_id, message.text, message.msg_id, message.chat_id) == ("wx-liu", "有困难 12", "m1", "g")
    for key in ("status:12:todo", "status:x:done", "other", ""):
        forged = {**body, "event": {**body["event"], "template_card_event": {"event_key": key}}}
        assert parse_tap(forged) is None
    assert parse_tap({**body, "event": {"eventtype": "enter_chat"}}) is None


def test_an_update_keeps_the_card_and_its_buttons():
    card = status_card(Reply("今天截止", "今天截止：交材料"), 12, "task12-x")
    body = update_body(card, Reply("进度上报", "已记录"), ("wx-wang",))
    assert body["template_card"]["task_id"] == "task12-x" and body["template_card"]["button_list"] == card["button_list"]
    assert body["template_card"]["sub_title_text"] == "已记录" and body["userids"] == ["wx-wang"]
