"""Reminder benchmarks: one dispatch pass over 1,000 groups with a 300-task plan (time, peak memory;
targets < 1 s and < 300 MB; the time is taken without tracemalloc, the memory in a second, untimed run), and the
sustained push rate against a local fake robot."""
from __future__ import annotations

import resource
import tempfile
import time
import tracemalloc
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import requests

from bench.chat_callbacks import server_process
from bench.plan_import import database_with_plan
from bot.config import RobotGroup, SchoolSettings, Settings, Term
from bot.reminders.passes import plan_pass, record_pass
from bot.reminders.sending import send_outstanding
from storage import chats, plans
from storage.db import Database
from storage.models import ChatGroup

ROOT = Path(__file__).resolve().parent.parent
MONDAY_MORNING = datetime(2026, 10, 12, 7, 31, tzinfo=ZoneInfo("Asia/Shanghai"))


def setup(tmp: str, groups: int, webhook: str) -> tuple[Settings, Database]:
    settings = Settings(
        school=SchoolSettings(name="示例小学", terms=(Term("第一学期", date(2026, 9, 1), date(2027, 1, 22)),)),
        groups=tuple(RobotGroup(f"第{i}组", "wecom" if i % 2 else "dingtalk", f"{webhook}?key={i}") for i in range(groups)),
    )
    database = database_with_plan(tmp, settings)
    chats.sync_robot_groups(database, plans.ensure_school(database, settings.school.name), settings.groups)
    return settings, database


def dispatch_pass(groups: int = 1000, distinct_settings: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings, database = setup(tmp, groups, "http://127.0.0.1:9/robot/send")
        if distinct_settings:  # the worst case: no two groups share a plan
            with database.transaction() as s:
                for group in s.query(ChatGroup):
                    group.settings = {"eve_time": f"{15 + group.id % 3}:{group.id % 60:02d}", "deadline_days": [group.id % 5 + 1]}
        started = time.perf_counter()   # timed without tracemalloc, which slows Python code 3-4x
        plan = plan_pass(MONDAY_MORNING, settings, database)
        found = time.perf_counter() - started
        tracemalloc.start()             # the same planning again, untimed, for its peak memory
        plan_pass(MONDAY_MORNING, settings, database)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        started = time.perf_counter()
        record_pass(plan, database)
        recorded = time.perf_counter() - started
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        label = "each with its own settings" if distinct_settings else "default settings"
        print(f"dispatch pass, {groups} groups ({label}) x 300 tasks: found {len(plan.deliveries)} due in {found * 1000:.0f} ms "
              f"(target < 1 s), recorded in {recorded * 1000:.0f} ms; peak Python memory {peak / 1e6:.1f} MB, "
              f"process max RSS {rss:.0f} MB (target < 300 MB)")
        database.dispose()


def send_rate(groups: int = 200) -> None:
    with server_process(["-m", "bench.fake_robot", "{port}"], "/received") as url, tempfile.TemporaryDirectory() as tmp:
        settings, database = setup(tmp, groups, f"{url}/robot/send")
        record_pass(plan_pass(MONDAY_MORNING, settings, database), database)
        started = time.perf_counter()
        report = send_outstanding(MONDAY_MORNING, settings, database, requests.Session())
        elapsed = time.perf_counter() - started
        received = requests.get(url + "/received", timeout=5).json()["count"]
        print(f"sustained send: {report.sent} pushes to {groups} robots in {elapsed:.1f} s = {report.sent / elapsed:.0f} pushes/s "
              f"(robot received {received}; each robot paced to 20 a minute)")
        database.dispose()


def main() -> None:
    print("== reminders ==")
    dispatch_pass()
    dispatch_pass(distinct_settings=True)
    send_rate()


if __name__ == "__main__":
    main()
