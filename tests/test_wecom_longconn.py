"""The WeCom 智能机器人 long connection against a fake of WeCom's websocket on 127.0.0.1, with the SDK's client."""
from __future__ import annotations

import logging
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bot.config import Settings, WeComBotSettings
from bot.dispatch import Dispatcher
from bot.inbox import Inbox
from bot.messages import Reply
from bot.platforms.wecom_bot import REPLY_BYTES, AibotFrame, content, parse_message
from bot.wecom_longconn import LEASE, WeComBotHolder
from storage import deliveries
from storage.models import InboundMessage, SchedulerMark, StatusReport
from tests.conftest import ROOT, stored_by_a_process_that_died
from tests.fake_wecom_ws import FakeWeComWs
from tests.servers import wait_until
from tests.test_wecom import SCHOOL, with_sample_plan

BOT_ID, SECRET = "aibot-qinghe", "aibot-secret-value"
QUICK = {"lease_s": 5, "renew_s": 0.05, "heartbeat_s": 0.1, "backoff_s": (0.05, 0.1, 0.2)}


@pytest.fixture
def fake():
    server = FakeWeComWs(BOT_ID, SECRET)
    yield server
    server.close()


@pytest.fixture
def database(sqlite_database_prepared):
    return sqlite_database_prepared(with_sample_plan)


@pytest.fixture
def holders(fake, database):
    """holders(name, secret=…): a started holder (stopped after the test), speaking to the fake."""
    made = []

    def make(name: str = "host-a:1", secret: str = SECRET, start: bool = True, **timing) -> WeComBotHolder:
        settings = Settings(school=SCHOOL, wecom_bot=WeComBotSettings(bot_id=BOT_ID, secret=secret, ws_url=fake.url))
        dispatcher = Dispatcher(settings, database)
        executor = ThreadPoolExecutor(2, thread_name_prefix=f"reply-{name}")
        inbox = Inbox(database, lambda message: dispatcher.answer(message, REPLY_BYTES))
        holder = WeComBotHolder(settings.wecom_bot, database, inbox, executor, name, **{**QUICK, **timing})
        made.append(holder)
        return holder.start() if start else holder

    yield make
    for holder in made:
        holder.stop()
        holder.executor.shutdown(wait=True)


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.INFO)
    return caplog


def connected(holder: WeComBotHolder) -> WeComBotHolder:
    assert wait_until(lambda: holder.connection is not None), "the holder never subscribed"
    return holder


def logged(caplog, text: str) -> bool:
    return wait_until(lambda: any(text in record.getMessage() for record in caplog.records))


def handled(database, msgid: str) -> bool:
    with database.read() as session:
        return session.scalar(select(InboundMessage.state).where(InboundMessage.msg_id == msgid)) == "handled"


def expected_answer(database, text: str, msgid: str) -> str:
    """What the dispatcher says to the same message, as the long connection's markdown."""
    body = {"msgid": msgid, "chatid": "wrk-group-1", "chattype": "group", "from": {"userid": "zhangsan"},
            "msgtype": "text", "text": {"content": text}}
    message = parse_message(body, AibotFrame("req"))
    return content(Dispatcher(Settings(school=SCHOOL), database).handle(message, REPLY_BYTES), "zhangsan")


def test_a_group_question_is_answered_in_the_group_with_the_dispatchers_words(fake, database, holders):
    connected(holders())
    req_id = fake.push_text("@校务助手 本周有什么任务", msgid="q-1")
    (reply,) = fake.wait_for_replies(1)
    assert reply["cmd"] == "aibot_respond_msg" and reply["headers"]["req_id"] == req_id
    stream = reply["body"]["stream"]
    assert stream["finish"] is True and stream["content"].startswith("#### 本周（")
    assert stream["content"] == expected_answer(database, "@校务助手 本周有什么任务", "q-2")
    assert wait_until(lambda: fake.pings >= 1)   # the SDK's heartbeat, acknowledged


def test_a_report_is_recorded(fake, database, holders):
    connected(holders())
    fake.push_text("@校务助手 完成 12", msgid="r-1")
    (reply,) = fake.wait_for_replies(1)
    assert "已记录" in reply["body"]["stream"]["content"]
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(StatusReport)) == 1


def test_a_redelivered_message_is_answered_once(fake, database, holders, logs):
    connected(holders())
    first = fake.push_text("帮助", msgid="dup-1")
    fake.wait_for_replies(1)
    assert wait_until(lambda: handled(database, "dup-1"))   # marked handled just after the reply is acknowledged
    fake.push_text("帮助", msgid="dup-1")   # the same msgid on a new req_id
    assert logged(logs, "dropping redelivered wecom message dup-1")
    later = fake.push_text("帮助", msgid="dup-2")
    fake.wait_for_replies(2)
    assert [r["headers"]["req_id"] for r in fake.replies] == [first, later]


def test_a_dropped_connection_is_dialled_again_and_the_next_message_answered(fake, holders):
    holder = connected(holders())
    fake.drop()
    fake.wait_for_subscriptions(2)
    assert wait_until(lambda: holder.connection is not None and holder.connection.is_connected)
    req_id = fake.push_text("帮助", msgid="after-drop")
    (reply,) = fake.wait_for_replies(1)
    assert reply["headers"]["req_id"] == req_id


def test_a_second_holder_waits_for_the_lease_and_takes_over_when_the_first_stops(fake, holders, logs):
    first = connected(holders("host-a:1"))
    second = holders("host-b:2")
    assert logged(logs, "host-b:2 stands by")
    assert len(fake.subscribed) == 1 and second.connection is None
    first.stop()
    fake.wait_for_subscriptions(2)
    connected(second)
    req_id = fake.push_text("帮助", msgid="after-takeover")
    (reply,) = fake.wait_for_replies(1)
    assert reply["headers"]["req_id"] == req_id


def test_kicked_by_a_connection_the_lease_does_not_know_the_holder_dials_back(fake, holders, logs):
    holder = connected(holders())
    intruder = fake.subscribe_elsewhere()   # another program on the same bot, outside the lease
    assert logged(logs, "taken over by another (disconnected_event)")
    fake.wait_for_subscriptions(3)          # the holder back, the intruder kicked in turn
    assert fake.kicked_frames(intruder) == 1
    assert wait_until(lambda: holder.connection is not None)


def test_kicked_while_another_process_holds_the_lease_the_holder_stands_by(fake, database, holders, logs):
    holder = connected(holders("host-a:1", renew_s=2))   # it learns of the theft from the kick, not a renewal
    with database.transaction() as session:   # the lease lapsed while host-a stalled, and host-b took it
        mark = session.get(SchedulerMark, LEASE)
        mark.holder, mark.at = "host-b:2", datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(minutes=5)
    fake.subscribe_elsewhere()
    assert logged(logs, "host-a:1 stands by")
    assert len(fake.subscribed) == 2 and holder.connection is None


def test_send_to_chat_reaches_the_chat_and_says_false_when_not_connected(fake, holders):
    idle = holders("idle:3", start=False)
    assert idle.send_to_chat("wrk-group-1", Reply("提醒", "#### 提醒")) is False
    holder = connected(holders())
    assert holder.send_to_chat("wrk-group-1", Reply("提醒", "#### 明天交材料")) is True
    (sent,) = fake.wait_for_replies(1)
    assert sent["cmd"] == "aibot_send_msg"
    assert sent["body"] == {"chatid": "wrk-group-1", "msgtype": "markdown", "markdown": {"content": "#### 明天交材料"}}


def test_a_refused_reply_goes_to_the_chat(fake, holders):
    fake.reply_errcode = 846605   # invalid req_id: the message came on a connection that is gone
    connected(holders())
    fake.push_text("帮助", msgid="stale-1", chatid="wrk-group-7")
    respond, send = fake.wait_for_replies(2)
    assert (respond["cmd"], send["cmd"]) == ("aibot_respond_msg", "aibot_send_msg")
    assert send["body"]["chatid"] == "wrk-group-7" and "校务助手可以这样用" in send["body"]["markdown"]["content"]


def test_a_message_left_unanswered_by_a_killed_process_goes_to_its_chat(fake, database, holders):
    holder = holders(start=False)
    body = {"msgid": "before-restart", "chatid": "wrk-group-2", "chattype": "group", "from": {"userid": "zhangsan"},
            "msgtype": "text", "text": {"content": "帮助"}}
    stored_by_a_process_that_died(database, parse_message(body, AibotFrame("req-of-a-dead-connection")))
    connected(holder.start())
    holder.inbox.late_delivery["wecom"] = holder.deliver_late
    assert holder.inbox.resume(holder.executor) == 1
    (sent,) = fake.wait_for_replies(1)
    assert sent["cmd"] == "aibot_send_msg" and sent["body"]["chatid"] == "wrk-group-2"


def test_a_wrong_secret_is_logged_without_the_secret_and_tried_again_later(fake, holders, logs):
    holder = holders(secret="not-the-secret")
    assert wait_until(lambda: fake.refused >= 2)   # refused, backed off, tried again: no crash
    assert logged(logs, f"WeCom refused bot {BOT_ID}")
    assert holder.connection is None and not fake.subscribed
    assert "not-the-secret" not in logs.text and SECRET not in logs.text


def test_stopping_gives_the_lease_up(fake, database, holders):
    holder = connected(holders("host-a:1"))
    holder.stop()
    now = datetime.now(timezone.utc)
    assert deliveries.take_lease(database, LEASE, "host-c:4", now, 30)   # at once, not after the lease would lapse
    assert not deliveries.take_lease(database, LEASE, "host-a:1", now + timedelta(seconds=1), 30)


def test_the_scheduler_process_holds_the_connection_and_gives_it_up_on_ctrl_c(fake, database, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database: {{url: 'sqlite:///{database.engine.url.database}'}}\n"
        "school: {name: 青禾小学, terms: [{name: 第一学期, start: 2026-09-01, end: 2027-01-22}]}\n"
        f"wecom_bot: {{bot_id: {BOT_ID}, secret: {SECRET}, ws_url: '{fake.url}'}}\n", encoding="utf-8")
    scheduler = subprocess.Popen([sys.executable, "-m", "bot", "scheduler", "--config", str(config)], cwd=ROOT,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        fake.wait_for_subscriptions(1, timeout=60)
        req_id = fake.push_text("@校务助手 帮助", msgid="from-the-scheduler")
        (reply,) = fake.wait_for_replies(1)
        assert reply["headers"]["req_id"] == req_id and "校务助手可以这样用" in reply["body"]["stream"]["content"]
    finally:
        scheduler.send_signal(signal.SIGINT)
        _, stderr = scheduler.communicate(timeout=30)
    assert SECRET not in stderr.decode()
    assert deliveries.take_lease(database, LEASE, "next-process:1", datetime.now(timezone.utc), 30)   # given up, not left to lapse
