"""The office's pages in-process on SQLite: milliseconds per page for a 300-task plan, a roster of
200 teachers and 50 reminder groups — the home dashboard plans the next 24 hours of reminders on
every view, so its cost grows with groups and tasks."""
from __future__ import annotations

import re
import statistics
import tempfile
import time
from datetime import date

from werkzeug.security import generate_password_hash

from bench.plan_import import database_with_plan
from bot import schools
from bot.app import create_app
from bot.config import AdminWebSettings, RobotGroup, SchoolSettings, Settings, Term
from storage import chats
from storage.people import NewMember, RoleRow, import_roster

PAGES = ["/admin/", "/admin/tasks", "/admin/tasks?q=检查&kind=dated", "/admin/calendar?view=month&day=2026-10-01", "/admin/board"]
ROUNDS = 10
PASSWORD = "bench-office-password"


def main() -> None:
    print("== office pages in-process: 300 tasks, 200 teachers, 50 groups (SQLite) ==")
    groups = tuple(RobotGroup(f"年级组{i}", "dingtalk", f"http://127.0.0.1:9/robot/send?access_token=t{i}") for i in range(50))
    settings = Settings(school=SchoolSettings(name="基准学校", terms=(Term("第一学期", date(2026, 9, 1), date(2027, 1, 22)),)),
                        admin_web=AdminWebSettings(password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")),
                        groups=groups)
    with tempfile.TemporaryDirectory() as tmp:
        database = database_with_plan(tmp, settings)
        school = schools.home_school(database, settings.school)
        import_roster(database, school, [NewMember(f"老师{i}", (RoleRow("班主任" if i % 2 else "教师"),), dingtalk_user_id=f"dt{i}")
                                         for i in range(200)])
        chats.sync_robot_groups(database, school, settings.groups)
        app = create_app(settings, database)
        client = app.test_client()
        login = client.get("/admin/login").get_data(as_text=True)
        client.post("/admin/login", data={"password": PASSWORD, "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', login)[1]})
        for page in PAGES:
            times = []
            for _ in range(ROUNDS):
                started = time.perf_counter()
                assert client.get(page).status_code == 200, page
                times.append((time.perf_counter() - started) * 1000)
            print(f"{page}: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms")
        app.extensions["schoolbot.executor"].shutdown(wait=True)


if __name__ == "__main__":
    main()
