"""Database.read(): a reader takes no lock on SQLite, and nothing written inside it is kept."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, insert, select, text
from sqlalchemy.exc import DBAPIError

from storage.db import Database
from storage.models import OfficeSetting

BUSY_S = 0.5   # a wrong implementation waits this long for the lock and fails; a right one never waits


@pytest.fixture
def impatient(tmp_path) -> Database:
    """A real file database whose connections give up on a held lock after half a second."""
    database = Database(f"sqlite:///{tmp_path / 'bot.db'}", busy_timeout_s=BUSY_S)
    database.upgrade()
    with database.transaction() as s:
        s.add(OfficeSetting(key="colour", value="blue"))
    yield database
    database.dispose()


def in_thread(work) -> object:
    """Run work() on another thread and hand back what it returned or raised."""
    outcome: list[object] = []
    thread = threading.Thread(target=lambda: outcome.append(_attempt(work)))
    thread.start()
    thread.join(timeout=10 * BUSY_S)
    assert not thread.is_alive(), "the other thread is still waiting"
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _attempt(work):
    try:
        return work()
    except BaseException as exc:   # handed back to the test's thread
        return exc


def colour(s) -> str:
    return s.scalar(select(OfficeSetting.value).where(OfficeSetting.key == "colour"))


def test_a_writer_commits_while_a_reader_holds_its_snapshot(impatient):
    def write():
        with impatient.transaction() as s:
            s.get(OfficeSetting, "colour").value = "green"
        return "written"

    with impatient.read() as reader:
        assert colour(reader) == "blue"          # the read transaction has begun and holds a snapshot
        assert in_thread(write) == "written"     # the writer neither waited nor timed out
        assert colour(reader) == "blue"          # the snapshot stays as it began
    with impatient.read() as s:
        assert colour(s) == "green"


def test_a_reader_reads_while_a_writer_holds_the_write_lock(impatient):
    with impatient.transaction() as writer:
        writer.get(OfficeSetting, "colour").value = "red"
        writer.flush()                           # BEGIN IMMEDIATE took the lock; the change is pending

        def read():
            with impatient.read() as s:
                return colour(s)
        assert in_thread(read) == "blue"         # the last committed value, at once
    assert in_thread(read) == "red"


def test_two_writers_still_queue(impatient):
    """The contrast: transaction() takes the lock at BEGIN, so a second writer waits, here in vain."""
    def write():
        with impatient.transaction() as s:
            s.get(OfficeSetting, "colour").value = "grey"

    with impatient.transaction() as s:
        s.execute(text("SELECT 1"))
        with pytest.raises(DBAPIError, match="locked"):
            in_thread(write)


def test_read_refuses_a_flushed_write(database):
    with pytest.raises(DBAPIError):
        with database.read() as s:
            s.add(OfficeSetting(key="sneaked", value="in"))
            s.flush()
    with database.read() as s:
        assert s.get(OfficeSetting, "sneaked") is None


def test_read_refuses_raw_sql(database):
    with pytest.raises(DBAPIError):
        with database.read() as s:
            s.execute(insert(OfficeSetting).values(key="sneaked", value="in"))
    with database.read() as s:
        assert s.get(OfficeSetting, "sneaked") is None


def test_read_discards_what_it_never_flushed(database):
    with database.read() as s:
        s.add(OfficeSetting(key="left", value="behind"))   # no autoflush inside read(): dropped at the end
    with database.read() as s:
        assert s.get(OfficeSetting, "left") is None


def test_a_write_after_a_read_on_the_same_connection_is_allowed(database):
    """The read-only state belongs to read(), not to the pooled connection it borrowed."""
    for value in ("one", "two"):
        with database.read() as s:
            colour(s)
        with database.transaction() as s:
            s.merge(OfficeSetting(key="colour", value=value))
    with database.read() as s:
        assert colour(s) == "two"


def test_reads_say_begin_and_writes_say_begin_immediate(sqlite_database):
    said: list[str] = []
    for engine in (sqlite_database.engine, sqlite_database.read_engine):
        event.listen(engine, "before_cursor_execute",
                     lambda conn, cursor, statement, *rest: said.append(statement) if statement.startswith("BEGIN") else None)
    with sqlite_database.read() as s:
        colour(s)
    with sqlite_database.transaction() as s:
        colour(s)
    assert said == ["BEGIN", "BEGIN IMMEDIATE"]
