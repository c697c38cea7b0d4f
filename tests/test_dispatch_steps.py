"""The dispatcher's steps in their order, and its error handler: a step that raises answers the
teacher 出错了，请稍后再试 and leaves the message to be tried again, a bounded number of times."""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot import texts
from bot.config import DingTalkSettings, SchoolSettings, Settings
from bot.dispatch import STEPS, Dispatcher
from bot.inbox import Inbox
from bot.messages import IncomingMessage, Reply
from handlers import HANDLERS
from storage import inbox as queue
from storage.models import InboundMessage

SETTINGS = Settings(school=SchoolSettings(name="青禾小学"), dingtalk=DingTalkSettings(robot_code="robot-7"))
SENT = datetime(2026, 10, 13, 1, tzinfo=timezone.utc)


def message(msg_id: str = "m-1", sender: str = "wang", text: str = "帮助") -> IncomingMessage:
    return IncomingMessage("dingtalk", msg_id, "cid", sender, "王老师", text, SENT, is_group=False)


class Flaky:
    """The help handler, failing its first `failures` calls."""

    def __init__(self, failures: int) -> None:
        self.failures, self.calls = failures, 0

    def __call__(self, intent, message, context) -> Reply:
        self.calls += 1
        if self.calls <= self.failures:
            raise RuntimeError("the handler broke")
        return Reply("帮助", "答复")


@pytest.fixture
def flaky(monkeypatch):
    def install(failures: int) -> Flaky:
        handler = Flaky(failures)
        monkeypatch.setitem(HANDLERS, "help", handler)
        return handler
    return install


def retry(inbox: Inbox) -> int:
    """One pass of the inbox's resumer, run to the end."""
    executor = ThreadPoolExecutor(1)
    resumed = inbox.resume(executor)
    executor.shutdown(wait=True)
    return resumed


def state(database) -> tuple[str, int]:
    with database.engine.connect() as conn:
        return tuple(conn.execute(select(InboundMessage.state, InboundMessage.attempts)).one())


def test_the_steps_read_in_order():
    assert [step.__name__ for step in STEPS] == [
        "drop_own_message", "drop_redelivery", "know_sender", "understand", "welcome_unlinked_chat", "run_handler"]


def test_the_bot_s_own_message_is_dropped_before_anything_is_remembered(sqlite_database, flaky):
    handler = flaky(0)
    dispatcher = Dispatcher(SETTINGS, sqlite_database)
    assert dispatcher.handle(message(sender="robot-7")) is None
    assert handler.calls == 0
    with sqlite_database.engine.connect() as conn:
        assert conn.execute(select(InboundMessage.id)).first() is None   # dropped before drop_redelivery


def test_a_failed_answer_is_no_redelivery_but_an_answered_one_is(sqlite_database, flaky, caplog):
    handler = flaky(1)
    dispatcher = Dispatcher(SETTINGS, sqlite_database)
    with caplog.at_level(logging.ERROR, logger="bot.dispatch"):
        assert dispatcher.handle(message()).markdown == texts.STEP_FAILED
    assert "step run_handler failed on dingtalk message m-1" in caplog.text and "帮助" not in caplog.text
    assert dispatcher.handle(message()).markdown == "答复"      # the resend is answered, not dropped
    assert dispatcher.handle(message()) is None                 # once answered, a resend is a redelivery
    assert handler.calls == 2


def test_a_queued_message_that_fails_is_apologised_for_then_answered_on_retry(sqlite_database, flaky):
    flaky(1)
    sent = []
    inbox = Inbox(sqlite_database, Dispatcher(SETTINGS, sqlite_database).answer)
    inbox.late_delivery["dingtalk"] = lambda m, r: sent.append(r.markdown)
    row = inbox.accept(message())
    inbox.run(row, lambda m, r: sent.append(r.markdown))
    assert sent == [texts.STEP_FAILED]
    assert state(sqlite_database) == ("received", 1)            # not marked done: back in the queue
    assert retry(inbox) == 1
    assert sent == [texts.STEP_FAILED, "答复"]
    assert state(sqlite_database) == ("handled", 2)
    assert inbox.accept(message()) is None                      # the platform's resend is dropped


def test_a_message_that_always_fails_is_apologised_for_once_and_given_up(sqlite_database, flaky):
    handler = flaky(10 ** 6)
    sent = []
    inbox = Inbox(sqlite_database, Dispatcher(SETTINGS, sqlite_database).answer)
    inbox.late_delivery["dingtalk"] = lambda m, r: sent.append(r.markdown)
    inbox.run(inbox.accept(message()), lambda m, r: sent.append(r.markdown))
    for _ in range(queue.MAX_ATTEMPTS + 2):
        retry(inbox)
    assert handler.calls == queue.MAX_ATTEMPTS
    assert sent == [texts.STEP_FAILED]                          # once: five apologies would be noise
    assert state(sqlite_database) == ("failed", queue.MAX_ATTEMPTS)
    assert inbox.accept(message()) is None


def test_an_answer_that_never_gets_through_is_given_up_after_the_bound(sqlite_database, flaky):
    handler = flaky(0)

    def unreachable(m, r):
        raise ConnectionError("the platform is down")
    inbox = Inbox(sqlite_database, Dispatcher(SETTINGS, sqlite_database).answer, lease=timedelta(0))
    inbox.late_delivery["dingtalk"] = unreachable
    inbox.accept(message())
    for _ in range(queue.MAX_ATTEMPTS + 2):                     # each time the work is taken for dead after its lease
        retry(inbox)
    assert handler.calls == queue.MAX_ATTEMPTS
    assert state(sqlite_database) == ("failed", queue.MAX_ATTEMPTS)
