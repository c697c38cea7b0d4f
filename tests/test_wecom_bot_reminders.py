"""Reminders into WeCom groups through the 智能机器人's own long connection (aibot_send_msg), against the fake
of WeCom's websocket and a real SQLite database: switched on in the group by an admin (“开启提醒”), sent
once across a restart, retried while the bot is not connected; and the bot's messages left for the process
that holds the connection by a process that does not."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.app import create_app
from bot.config import Settings, WeComBotSettings
from bot.dispatch import Dispatcher
from bot.inbox import Inbox
from bot.messages import Mention, Reply
from bot.platforms.wecom_bot import REPLY_BYTES, AibotFrame, parse_message, send_body
from bot.reminder_rules.groups import reachable, reminders_on
from bot.reminders import runner
from bot.wecom_longconn import WeComBotHolder, start_for
from storage.models import InboundMessage, ReminderDelivery
from tests.fake_wecom_ws import FakeWeComWs
from tests.servers import wait_until
from tests.test_wecom import SCHOOL
from tests.test_wecom_longconn import BOT_ID, QUICK, SECRET, database, fake  # noqa: F401 (fixtures)

GROUP, ADMIN = "wrk-teachers", "wang-admin"
MONDAY = datetime(2026, 10, 12, 7, 31, tzinfo=ZoneInfo("Asia/Shanghai"))   # a digest, a morning and a recurring reminder



class Process:
    """One bot process on the shared database: its dispatcher, inbox, reply workers, holder and reminder runner."""

    def __init__(self, settings: Settings, database, name: str) -> None:
        dispatcher = Dispatcher(settings, database)
        self.settings, self.database = replace(settings, scheduler_id=name), database
        self.executor = ThreadPoolExecutor(2, thread_name_prefix=f"reply-{name}")
        inbox = Inbox(database, lambda message: dispatcher.answer(message, REPLY_BYTES))
        self.holder = WeComBotHolder(settings.wecom_bot, database, inbox, self.executor, name, **QUICK)

    def start(self) -> Process:
        self.holder.start()
        assert wait_until(lambda: self.holder.connection is not None), "the holder never subscribed"
        return self

    def run_pass(self, now: datetime):
        return runner.run_pass(now, self.settings, self.database, wecom_chat=self.holder)

    def stop(self) -> None:
        self.holder.stop()
        self.executor.shutdown(wait=True)


@pytest.fixture
def processes(fake, database):
    made: list[Process] = []
    settings = Settings(school=SCHOOL, admins=(ADMIN,), wecom_bot=WeComBotSettings(bot_id=BOT_ID, secret=SECRET, ws_url=fake.url))

    def make(name: str) -> Process:
        made.append(Process(settings, database, name))
        return made[-1]

    yield make
    for process in made:
        process.stop()


def sends(fake: FakeWeComWs) -> list[dict]:
    return [frame for frame in fake.replies if frame["cmd"] == "aibot_send_msg"]


def switch_on(fake: FakeWeComWs, msgid: str = "on-1", userid: str = ADMIN) -> str:
    """An admin's “@校务助手 开启提醒” in GROUP, over the long connection; the bot's answer."""
    req_id = fake.push_text("@校务助手 开启提醒", msgid=msgid, chatid=GROUP, userid=userid)
    assert wait_until(lambda: any(f["headers"]["req_id"] == req_id for f in fake.replies))
    return next(f for f in fake.replies if f["headers"]["req_id"] == req_id)["body"]["stream"]["content"]


def states(database) -> list[str]:
    with database.read() as session:
        return list(session.scalars(select(ReminderDelivery.state).order_by(ReminderDelivery.id)))


def test_a_group_switched_on_gets_the_digest_once_and_not_again_after_a_restart(fake, database, processes):
    first = processes("host-a:1").start()
    answer = switch_on(fake)
    assert "已更新" in answer and "通过企业微信智能机器人推送" in answer
    report = first.run_pass(MONDAY)
    assert (report.sent, report.retrying, report.failed) == (3, 0, 0)   # the three a webhook group gets
    digests = [f for f in sends(fake) if f["body"]["markdown"]["content"].startswith("#### 本周")]
    assert len(digests) == 1 and digests[0]["body"]["chatid"] == GROUP and "秋季田径运动会" in digests[0]["body"]["markdown"]["content"]
    first.stop()

    second = processes("host-b:2").start()   # a new process on the same database, once the old lease has lapsed
    again = second.run_pass(MONDAY + timedelta(minutes=4))
    assert (again.sent, len(sends(fake))) == (0, 3)


def test_while_the_bot_is_not_connected_the_reminders_wait_and_go_once_it_is(fake, database, processes):
    process = processes("host-a:1").start()
    switch_on(fake)
    fake.secret = "rotated"   # the connection drops and WeCom refuses it for a while
    fake.drop()
    assert wait_until(lambda: process.holder.connection is None and fake.refused >= 1)
    report = process.run_pass(MONDAY)
    assert (report.sent, report.retrying, report.failed) == (0, 3, 0) and sends(fake) == []
    assert states(database) == ["retry"] * 3   # never marked sent
    fake.secret = SECRET
    assert wait_until(lambda: process.holder.connection is not None)
    assert process.run_pass(MONDAY + timedelta(seconds=10)).sent == 0   # a waiting row is looked at again a minute on
    later = process.run_pass(MONDAY + timedelta(minutes=1))
    assert later.sent == 3 and len(sends(fake)) == 3 and states(database) == ["sent"] * 3


def attempts(database) -> list[int]:
    with database.read() as session:
        return list(session.scalars(select(ReminderDelivery.attempts).order_by(ReminderDelivery.id)))


def test_a_scheduler_without_the_connection_leaves_the_rows_to_the_process_that_holds_it(fake, database, processes):
    holder = processes("host-a:1").start()
    switch_on(fake)
    elsewhere = runner.run_pass(MONDAY, replace(holder.settings, scheduler_id="host-b:2"), database, wecom_chat=None)
    assert (elsewhere.sent, elsewhere.retrying, elsewhere.failed) == (0, 3, 0) and sends(fake) == []
    assert attempts(database) == [0, 0, 0]   # waiting is no attempt: nothing burns toward "failed"
    runner.run_pass(MONDAY + timedelta(hours=3), replace(holder.settings, scheduler_id="host-b:2"), database, wecom_chat=None)
    assert attempts(database) == [0, 0, 0]

    later = runner.run_pass(MONDAY + timedelta(hours=4), holder.settings, database, wecom_chat=holder.holder)
    assert later.sent == 3 and len(sends(fake)) == 3   # once the scheduler runs where the connection is, once


def test_rows_nobody_can_send_fail_a_day_past_due(fake, database, processes):
    holder = processes("host-a:1").start()
    switch_on(fake)
    holder.stop()
    runner.run_pass(MONDAY, holder.settings, database, wecom_chat=None)
    report = runner.run_pass(MONDAY + timedelta(days=2), holder.settings, database, wecom_chat=None)
    assert report.failed >= 3 and "failed" in states(database)


def test_a_non_admin_cannot_switch_the_group_on(fake, database, processes):
    processes("host-a:1").start()
    assert "只有管理员可以修改提醒设置" in switch_on(fake, userid="zhao-teacher")


def test_the_scheduler_s_job_sends_through_the_connection_its_process_handed_over(tmp_path, monkeypatch, database):
    seen = {}
    monkeypatch.setattr(runner, "run_pass", lambda now, settings, db, **given: seen.update(given))
    config = tmp_path / "config.yaml"
    config.write_text(f"database: {{url: 'sqlite:///{database.engine.url.database}'}}\n", encoding="utf-8")

    def push(chat_id: str, reply: Reply) -> bool:
        return True

    try:
        runner.scheduler(str(config), Settings(), background=True, wecom_chat=push)   # built, not started
        runner.tick(str(config))
        assert seen["wecom_chat"] is push
    finally:
        runner.scheduler(str(config), Settings(), background=True)   # this process has no connection any more
    runner.tick(str(config))
    assert seen["wecom_chat"] is None


@dataclass(frozen=True)
class Group:
    platform: str
    by_webhook: bool = False
    settings: dict = field(default_factory=dict)
    by_app: bool = False


@pytest.mark.parametrize("group, wecom_bot, expected", [
    (Group("wecom"), True, True),            # the 智能机器人 posts into the groups it is in
    (Group("wecom"), False, False),          # without it, a WeCom group needs a group robot's webhook
    (Group("dingtalk"), False, True),
])
def test_a_wecom_conversation_is_reachable_through_the_bot(group, wecom_bot, expected):
    assert reachable(group, wecom_bot) is expected
    assert reminders_on(replace(group, settings={"enabled": True}), wecom_bot) is expected


def test_a_chase_ats_the_people_it_names():
    reply = Reply("今天截止", "今天截止：交材料", mentions=(Mention("王老师", None, "wangwu"), Mention("李老师", None, "lisi")))
    assert send_body(GROUP, reply)["markdown"]["content"].endswith("\n<@wangwu> <@lisi>")


# --- a message that came on the long connection, resumed by a process without it -------------------

def test_a_process_without_the_connection_leaves_the_bot_s_messages_for_the_one_with_it(fake, database):
    settings = Settings(school=SCHOOL, wecom_bot=WeComBotSettings(bot_id=BOT_ID, secret=SECRET, ws_url=fake.url))
    body = {"msgid": "left-1", "chatid": GROUP, "chattype": "group", "from": {"userid": "zhangsan"},
            "msgtype": "text", "text": {"content": "帮助"}}
    worker = create_app(settings, database)   # a gunicorn worker: the inbox resumer runs, no holder
    inbox = worker.extensions["schoolbot.inbox"]
    row_id = inbox.accept(parse_message(body, AibotFrame("req-of-a-dead-connection")))
    assert inbox.resume(worker.extensions["schoolbot.executor"]) == 0
    inbox.run(row_id, inbox.late_delivery["wecom"])   # asked directly: handed back, not answered
    with database.read() as session:
        row = session.get(InboundMessage, row_id)
        assert (row.state, row.attempts) == ("received", 0)   # no attempt burnt
    holding = create_app(settings, database)
    holder = start_for(holding)
    try:
        assert wait_until(lambda: holder.connection is not None)
        holding.extensions["schoolbot.inbox"].resume(holding.extensions["schoolbot.executor"])   # (or its resumer did)
        (sent,) = fake.wait_for_replies(1)
        assert sent["cmd"] == "aibot_send_msg" and sent["body"]["chatid"] == GROUP
        assert wait_until(lambda: _state(database, row_id) == "handled")
    finally:
        holder.stop()


def _state(database, row_id: int) -> str:
    with database.read() as session:
        return session.get(InboundMessage, row_id).state
