"""What runs per chat message, counted where it costs: a question stored, answered and marked handled takes one
write to store it (already claimed by its receiver), one read transaction for everything the answer reads, and one
write to finish it; the shared reads of one answer see a write made in between; reply threads run behind the
callbacks."""
from __future__ import annotations

import os
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, select

from bot.app import REPLY_NICENESS, create_app
from bot.config import SchoolSettings, Settings, Term
from bot.dispatch import Dispatcher
from bot.inbox import Inbox
from bot.messages import IncomingMessage, Reply
from storage import plans
from storage.models import Member
from tests.test_bounded_reads import add_plan

TZ = ZoneInfo("Asia/Shanghai")
TERM = Term("第一学期", date(2026, 9, 1), date(2027, 1, 22))
SETTINGS = Settings(school=SchoolSettings(name="青禾小学", terms=(TERM,)))


def question(n: int, text: str = "本周有什么任务") -> IncomingMessage:
    return IncomingMessage("dingtalk", f"q-{n}", "group-1", "staff-1", "王芳", text,
                           datetime(2026, 10, 14, 9, tzinfo=TZ), is_group=True, chat_name="三年级组")


class Transactions:
    """The transactions the database is sent, each as the kinds of statement in it (SELECT, INSERT, UPDATE…)."""

    def __init__(self, database) -> None:
        self.kinds: list[set[str]] = []
        event.listen(database.engine, "begin", lambda conn: self.kinds.append(set()))
        event.listen(database.engine, "before_cursor_execute",
                     lambda conn, cursor, statement, *rest: self.kinds and self.kinds[-1].add(statement.split()[0].upper()))


def test_a_question_is_one_write_to_store_one_read_to_answer_and_one_write_to_finish(database):
    school_id = plans.ensure_school(database, "青禾小学")
    add_plan(database, school_id, "本学期", [("期中考试", date(2026, 10, 13), date(2026, 10, 14)),
                                          ("秋季运动会", date(2026, 11, 20), date(2026, 11, 20))])
    inbox = Inbox(database, Dispatcher(SETTINGS, database).answer)
    answers: list[Reply] = []
    inbox.run(inbox.accept(question(0)), lambda m, r: answers.append(r))   # the sender is met: written once
    counted = Transactions(database)
    inbox.run(inbox.accept(question(1)), lambda m, r: answers.append(r))
    assert "期中考试" in answers[-1].markdown
    # store (claimed as stored), every read of the answer, finish: before, eight transactions
    assert [kinds - {"BEGIN", "PRAGMA"} for kinds in counted.kinds] == [{"INSERT"}, {"SELECT"}, {"UPDATE"}]


def test_the_reads_of_one_answer_share_a_session_and_see_a_write_made_between_them(database):
    school_id = plans.ensure_school(database, "青禾小学")
    count = select(func.count()).select_from(Member).where(Member.school_id == school_id)
    with database.shared_reads():
        with database.read() as first:
            assert first.scalar(count) == 0
        with database.read() as second:
            assert second is first                          # one session, one connection, one BEGIN
        with database.transaction() as s:
            s.add(Member(school_id=school_id, name="李老师"))
        with database.read() as after:
            assert after.scalar(count) == 1                 # the write ended the snapshot: the next read sees it
    with database.read() as outside:
        assert outside is not first                         # outside, each read is its own again


@pytest.mark.skipif(sys.platform != "linux", reason="a priority per thread is Linux's")
def test_reply_threads_run_behind_the_callbacks(sqlite_database):
    app = create_app(SETTINGS, sqlite_database)
    own = os.getpriority(os.PRIO_PROCESS, 0)
    reply_thread = app.extensions["schoolbot.executor"].submit(lambda: os.getpriority(os.PRIO_PROCESS, 0)).result()
    assert reply_thread == min(19, own + REPLY_NICENESS)
    assert os.getpriority(os.PRIO_PROCESS, 0) == own        # the request threads (and the process) keep theirs
