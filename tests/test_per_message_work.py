"""What runs per chat message, counted where it costs: a question stored, answered and marked handled takes one
write to store it (already claimed by its receiver), one read transaction for everything the answer reads, and one
write to finish it, shared under load with the rows other threads finish meanwhile; the shared reads of one
answer see a write made in between; reply threads run behind the callbacks."""
from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, select, text

from bot.app import create_app
from bot.config import SchoolSettings, Settings, Term
from bot.dispatch import Dispatcher
from bot.inbox import GroupCommit, Inbox, NotFinished
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
        for engine in {database.engine, database.read_engine}:   # (SQLite's reads have an engine of their own)
            event.listen(engine, "begin", lambda conn: self.kinds.append(set()))
            event.listen(engine, "before_cursor_execute",
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
    assert [kinds - {"BEGIN"} for kinds in counted.kinds] == [{"INSERT"}, {"SELECT"}, {"UPDATE"}]   # and no PRAGMA


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
    with database.shared_reads():
        with pytest.raises(Exception):
            with database.read() as s:
                s.execute(text("SELECT no_such_column FROM member"))   # on PostgreSQL the transaction is now aborted
        with database.read() as s:
            assert s.scalar(count) == 1                     # the next read of the answer still works


@pytest.mark.skipif(sys.platform != "linux", reason="a priority per thread is Linux's")
@pytest.mark.parametrize("niceness", [10, 0])
def test_reply_threads_run_behind_the_callbacks(sqlite_database, niceness):
    app = create_app(replace(SETTINGS, reply_niceness=niceness), sqlite_database)
    own = os.getpriority(os.PRIO_PROCESS, 0)
    reply_thread = app.extensions["schoolbot.executor"].submit(lambda: os.getpriority(os.PRIO_PROCESS, 0)).result()
    assert reply_thread == min(19, own + niceness)
    assert os.getpriority(os.PRIO_PROCESS, 0) == own        # the request threads (and the process) keep theirs


def test_finishing_under_load_groups_the_rows_into_fewer_transactions():
    """Each caller returns once its own row is written, or with its transaction's error; rows that come while a
    transaction runs are written together in the next. Every write takes a while, as a commit waiting for SQLite's
    lock does: a caller that returned while its batch was still being written would be caught."""
    written: list[list[int]] = []
    writing = threading.Lock()

    def write(batch: list[int]) -> None:
        assert writing.acquire(blocking=False), "two writes at once"
        try:
            time.sleep(0.05)
            if 13 in batch:
                raise OSError("database is locked")
            written.append(sorted(batch))
        finally:
            writing.release()
    group = GroupCommit(write)
    outcomes: dict[int, str] = {}

    def finish(row: int) -> None:
        try:
            group.commit(row)
            outcomes[row] = "written" if any(row in batch for batch in written) else "returned before its write"
        except (OSError, NotFinished):
            outcomes[row] = "failed"
    threads = [threading.Thread(target=finish, args=(row,)) for row in range(1, 30)]
    for i, thread in enumerate(threads):
        thread.start()
        if i % 5 == 0:
            time.sleep(0.02)   # arrivals spread over several writes
    for thread in threads:
        thread.join(10)
    assert not any(thread.is_alive() for thread in threads)
    failed_batch = set(range(1, 30)) - {row for batch in written for row in batch}
    assert 13 in failed_batch and all(outcomes[row] == "failed" for row in failed_batch)   # its batch, and only it
    assert {outcomes[row] for row in set(range(1, 30)) - failed_batch} == {"written"}
    assert len(written) + 1 < 29                     # fewer transactions than rows
