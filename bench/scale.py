"""Costs as a district grows, on SQLite and (when one is reachable) PostgreSQL: each a curve size → time, three
runs each, printed as min–max, so a regression shows as a number (issue 17).

- a week's question ("本周有什么任务") beside 0 / 3,000 / 30,000 tasks of other school years, earlier and later
  (target: within 1.5x of 0);
- a reminder pass at a quiet minute, with 1,000 and 10,000 configured robot groups (target: < 1 s);
- the minute's read of what to send, beside 0 and 1,000,000 sent ledger rows (flat; SCHOOLBOT_BENCH_LEDGER_ROWS);
- "12 进度" with a roster of 100 and 5,000 teachers.

Plans go in through the app's own import; each curve's data is built once per database, then timed in RUNS
runs (each a median of many). Nothing here runs under tracemalloc.
PostgreSQL: SCHOOLBOT_BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres); a database of the
bench's own is created there and dropped after.
"""
from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import requests
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from bench.plan_import import synthetic_plan
from bot.config import RobotGroup, SchoolSettings, Settings, Term
from bot.dispatch import Dispatcher
from bot.messages import IncomingMessage
from bot.plan_import import import_file
from bot.reminders.runner import run_pass
from storage import deliveries, plans
from storage.db import Database, normalise_url
from storage.models import ChatGroup, ReminderDelivery
from storage.people import NewMember, RoleRow, import_roster

TZ = ZoneInfo("Asia/Shanghai")
SETTINGS = Settings(school=SchoolSettings(name="示例小学", terms=(Term("第一学期", date(2026, 9, 1), date(2027, 1, 22)),)))
ASKED_AT = datetime(2026, 10, 13, 9, tzinfo=TZ)
QUIET_MINUTE = datetime(2026, 10, 14, 3, 17, tzinfo=TZ)   # nothing is due at 03:17
RUNS = 3
LEDGER_ROWS = int(os.environ.get("SCHOOLBOT_BENCH_LEDGER_ROWS", "1000000"))
POSTGRES_URL = os.environ.get("SCHOOLBOT_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def databases() -> Iterator[tuple[str, Callable[[], Database]]]:
    """(name, a factory of fresh databases) for SQLite and, if reachable, PostgreSQL; all dropped afterwards."""
    made: list[tuple[Database, str | None]] = []
    with tempfile.TemporaryDirectory() as tmp:
        def sqlite() -> Database:
            database = Database(f"sqlite:///{tmp}/scale-{uuid.uuid4().hex[:8]}.db")
            database.upgrade()
            made.append((database, None))
            return database

        kinds = [("SQLite", sqlite)]
        admin = _postgres_admin()
        if admin is not None:
            def postgres() -> Database:
                name = f"schoolbot_bench_{uuid.uuid4().hex[:10]}"
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
                database = Database(make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False))
                database.upgrade()
                made.append((database, name))
                return database
            kinds.append(("PostgreSQL", postgres))
        else:
            print(f"(no PostgreSQL at {POSTGRES_URL}: SQLite only)")
        try:
            yield kinds
        finally:
            for database, name in made:
                database.dispose()
                if name and admin is not None:
                    with admin.connect() as conn:
                        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if admin is not None:
                admin.dispose()


def _postgres_admin():
    try:
        engine = create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        return engine
    except Exception:   # no server, no driver, no rights: the PostgreSQL curves are left out
        return None


def spread(samples: list[float]) -> str:
    return f"{min(samples):.1f}–{max(samples):.1f}"


def timed_ms(work: Callable[[], object], repeat: int) -> float:
    """The median of `repeat` timings of work(), in ms."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def ask(dispatcher: Dispatcher, words: str, count: list[int]) -> None:
    count[0] += 1
    reply = dispatcher.handle(IncomingMessage("console", f"scale-{count[0]}", "c", "u", "王老师", words, ASKED_AT))
    if reply is None or not reply.markdown:
        raise RuntimeError(f"no answer to {words!r}")


def import_plan(database: Database, tmp: str, tasks: int, year: int, name: str) -> None:
    path = Path(tmp) / f"{name}.txt"
    path.write_bytes(synthetic_plan(tasks, year))
    import_file(path, SETTINGS, database, name=name)


def samples(work: Callable[[], object], repeat: int) -> list[float]:
    """RUNS runs, each the median of `repeat` timings of work(), in ms; one warm-up first."""
    work()
    return [timed_ms(work, repeat) for _ in range(RUNS)]


def week_curve(make: Callable[[], Database]) -> dict[int, list[float]]:
    """Week question time beside 0, 3,000 and 30,000 tasks of other school years, earlier and later by turns
    (3,000 a plan): old plans kept, next year's imported early."""
    curve: dict[int, list[float]] = {}
    database = make()
    with tempfile.TemporaryDirectory() as tmp:
        import_plan(database, tmp, 300, 2026, "本学年")
        dispatcher, count, other = Dispatcher(SETTINGS, database), [0], 0
        for size in (0, 3000, 30000):
            while other < size:
                k = other // 3000
                import_plan(database, tmp, 3000, 2027 + k // 2 if k % 2 == 0 else 2025 - k // 2, f"其他{k}")
                other += 3000
            curve[size] = samples(lambda: ask(dispatcher, "本周有什么任务", count), 30)
    return curve


def pass_curve(make: Callable[[], Database]) -> dict[int, list[float]]:
    """One reminder pass at a quiet minute with N configured robot groups, after a first pass wrote them."""
    curve: dict[int, list[float]] = {}
    http, database = requests.Session(), make()
    with tempfile.TemporaryDirectory() as tmp:
        import_plan(database, tmp, 300, 2026, "本学年")
    minute = [0]

    def one_pass(settings: Settings) -> None:
        minute[0] += 1
        run_pass(QUIET_MINUTE + timedelta(minutes=minute[0]), settings, database, http)

    for size in (1000, 10000):
        settings = Settings(school=SETTINGS.school, groups=tuple(
            RobotGroup(f"第{i}组", "wecom" if i % 2 else "dingtalk", f"http://127.0.0.1:9/robot/send?key={i}")
            for i in range(size)))
        curve[size] = samples(lambda: one_pass(settings), 3)
    return curve


def ledger_curve(make: Callable[[], Database]) -> dict[int, list[float]]:
    """The minute's read of what to send beside 0 and LEDGER_ROWS sent rows."""
    curve: dict[int, list[float]] = {}
    database = make()
    with database.transaction() as s:   # one group for the rows to belong to
        group = ChatGroup(platform="dingtalk", conversation_id="bench", name="bench", settings={})
        s.add(group)
        s.flush()
        chat_id = group.id
    rows = 0
    for size in (0, LEDGER_ROWS):
        _add_sent(database, chat_id, rows, size)
        rows = size
        curve[size] = samples(lambda: deliveries.outstanding(database, QUIET_MINUTE), 20)
    return curve


def _add_sent(database: Database, chat_id: int, first: int, last: int, batch: int = 50_000) -> None:
    sent_at = datetime(2026, 9, 1)
    for start in range(first, last, batch):
        with database.transaction() as s:
            s.execute(insert(ReminderDelivery), [
                {"dedupe_key": f"history:{i}", "kind": "digest", "task_id": None, "chat_id": chat_id,
                 "occurrence": date(2026, 9, 1), "due_at": sent_at, "state": "sent", "attempts": 1, "sent_at": sent_at,
                 "created_at": sent_at} for i in range(start, min(start + batch, last))])


def progress_curve(make: Callable[[], Database]) -> dict[int, list[float]]:
    """"1 进度" with a roster of N 班主任, the task's owners (the roster is read once, then kept)."""
    curve: dict[int, list[float]] = {}
    for size in (100, 5000):
        database = make()
        school = plans.ensure_school(database, SETTINGS.school.name)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "计划.txt"
            path.write_text("示例小学2026-2027学年工作计划\n一、重点工作\n1. 10月20日前，各班主任提交家访记录。\n", encoding="utf-8")
            import_file(path, SETTINGS, database)
        import_roster(database, school, [NewMember(f"教师{i:04d}", (RoleRow("班主任"),), dingtalk_user_id=f"dt-{i}")
                                         for i in range(size)])
        dispatcher, count = Dispatcher(SETTINGS, database), [0]
        number = plans.list_tasks(database, school)[0].number
        curve[size] = samples(lambda: ask(dispatcher, f"{number} 进度", count), 30)
    return curve


CURVES = [
    ("week question, ms, beside N tasks of other years (earlier and later)", week_curve, "within 1.5x of N=0"),
    ("reminder pass at a quiet minute, ms, N robot groups", pass_curve, "< 1000 ms"),
    ("the minute's read of what to send, ms, N sent ledger rows", ledger_curve, "flat"),
    ("\"N 进度\", ms, roster of N teachers", progress_curve, ""),
]


def main() -> None:
    print(f"== scale: size -> time, min–max over {RUNS} runs ==")
    with databases() as kinds:
        for title, curve_of, target in CURVES:
            print(f"{title}{f' (target {target})' if target else ''}")
            for name, make in kinds:
                curve = curve_of(make)
                print(f"  {name:<10} " + "  ".join(f"{size:,}: {spread(samples)}" for size, samples in curve.items()))


if __name__ == "__main__":
    main()
