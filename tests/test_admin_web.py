"""The office's pages through Flask's test client on a real SQLite database: sign-in, CSRF,
rate limiting, upload-review-accept, corrections that survive a re-import, calendar and feeds."""
from __future__ import annotations

import re
from datetime import date

import pytest
from icalendar import Calendar
from werkzeug.security import generate_password_hash

from bot import schools
from bot.app import create_app
from bot.config import AdminWebSettings, SchoolSettings, Settings, Term
from bot.reminders.groups import reminder_groups
from storage import chats, people, plans, status
from storage.people import NewMember, RoleRow, import_roster, load_members
from tests.factories.plan_files import text_plan_to_docx
from tests.test_status import PLAN

PASSWORD = "correct horse battery"
TERM = Term("第一学期", date(2026, 9, 1), date(2027, 1, 22))


def settings_with(**admin) -> Settings:
    web = AdminWebSettings(**({"password_hash": generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"),
                               "secret_key": "test-secret-key-not-real"} | admin))
    return Settings(school=SchoolSettings(name="青禾小学", terms=(TERM,)), admin_web=web)


@pytest.fixture
def web(sqlite_database):
    app = create_app(settings_with(), sqlite_database)
    app.config["TESTING"] = True
    return app.test_client(), sqlite_database


def token(client, path: str = "/admin/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client) -> None:
    response = client.post("/admin/login", data={"password": PASSWORD, "csrf_token": token(client)})
    assert response.status_code == 302


def upload(client, path, name: str | None = None):
    with open(path, "rb") as f:
        return client.post("/admin/plans/upload", data={"plan": (f, name or path.name), "csrf_token": token(client, "/admin/plans/upload")},
                           content_type="multipart/form-data")


def import_plan(client, tmp_path) -> None:
    """Upload our test plan as text and accept it."""
    (tmp_path / "计划.txt").write_text(PLAN, encoding="utf-8")
    response = upload(client, tmp_path / "计划.txt")
    client.post(response.location + "/accept", data={"csrf_token": token(client, response.location)})


def test_unconfigured_pages_lead_to_first_run_setup(sqlite_database):
    client = create_app(settings_with(password_hash=""), sqlite_database).test_client()
    response = client.get("/admin/login")
    assert response.status_code == 302 and response.location.endswith("/admin/setup")
    assert "设置码" in client.get("/admin/setup").get_data(as_text=True)   # tests/test_office_setup.py goes through it


def test_sign_in_csrf_and_rate_limit(web):
    client, _ = web
    assert client.get("/admin/tasks").status_code == 302                      # to the sign-in page
    assert client.post("/admin/login", data={"password": PASSWORD}).status_code == 400   # no CSRF token
    for _ in range(5):
        assert client.post("/admin/login", data={"password": "wrong", "csrf_token": token(client)}).status_code == 401
    blocked = client.post("/admin/login", data={"password": PASSWORD, "csrf_token": token(client)})
    assert blocked.status_code == 429 and "15 分钟" in blocked.get_data(as_text=True)


def test_upload_review_accept_then_correct_a_date(web, tmp_path):
    client, db = web
    sign_in(client)
    plan = text_plan_to_docx(PLAN, tmp_path / "工作计划.docx")
    response = upload(client, plan)
    assert response.status_code == 302 and "/admin/plans/drafts/" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "找到 <strong>5</strong> 项任务" in page and "<mark>" in page and "各班主任提交家访记录" in page
    school = plans.ensure_school(db, "青禾小学")
    assert plans.list_tasks(db, school) == []                                  # nothing stored before accepting
    accepted = client.post(response.location + "/accept", data={"name": "工作计划", "csrf_token": token(client, response.location)})
    assert accepted.status_code == 302
    tasks = {t.title: t for t in plans.list_tasks(db, school)}
    visits = tasks["各班主任提交家访记录"]
    form = token(client, f"/admin/tasks/{visits.id}")
    saved = client.post(f"/admin/tasks/{visits.id}", data={"title": visits.title, "start": "2026-10-22", "end": "2026-10-22",
                                                           "owner": "班主任", "csrf_token": form})
    assert saved.status_code == 302
    week = client.get("/admin/calendar?day=2026-10-22").get_data(as_text=True)
    assert re.search(r'<time datetime="2026-10-22">.*?</h3>\s*<ul><li><a [^>]*>#\d+ 各班主任提交家访记录', week)
    month = client.get("/admin/calendar?view=month&day=2026-10-05").get_data(as_text=True)
    assert "2026-10-01 至 2026-10-31" in month and month.count("<h3>") == 31 and "各班主任提交家访记录" in month
    drill = tasks["全体教师参加消防演练"]
    import_roster(db, school, [NewMember("王芳", dingtalk_user_id="dt-wang")])
    status.record_report(db, status.NewReport(drill.id, load_members(db, school)[0].id, None, "done", "完成"))
    upload_again = upload(client, plan)                                         # the same plan re-imported
    client.post(upload_again.location + "/accept", data={"name": "工作计划", "csrf_token": token(client, upload_again.location)})
    again = {t.title: t for t in plans.list_tasks(db, school)}
    assert again["各班主任提交家访记录"].start == date(2026, 10, 22) and again["各班主任提交家访记录"].number == visits.number
    assert again["全体教师参加消防演练"].id == drill.id and status.report_count(db, drill.id) == 1   # reports kept


def test_a_bad_upload_changes_nothing(web, tmp_path):
    client, db = web
    sign_in(client)
    broken = tmp_path / "计划.docx"
    broken.write_bytes(b"not a word file")
    response = upload(client, broken)
    assert response.status_code == 400 and "不是有效的Word 文档" in response.get_data(as_text=True)
    assert upload(client, tmp_path / "计划.docx", name="计划.pdf").status_code == 400


def test_add_merge_and_delete(web, tmp_path):
    client, db = web
    sign_in(client)
    import_plan(client, tmp_path)
    school = plans.ensure_school(db, "青禾小学")
    added = client.post("/admin/tasks/new", data={"title": "家访记录汇总", "start": "2026-10-21", "owner": "班主任",
                                                 "csrf_token": token(client, "/admin/tasks/new")})
    assert added.status_code == 302
    tasks = {t.title: t for t in plans.list_tasks(db, school)}
    original, extra = tasks["各班主任提交家访记录"], tasks["家访记录汇总"]
    import_roster(db, school, [NewMember("王芳", (RoleRow("班主任"),), dingtalk_user_id="dt-wang")])
    member = load_members(db, school)[0].id
    status.record_report(db, status.NewReport(extra.id, member, member, "done", "完成"))
    merged = client.post("/admin/tasks/merge", data={"task": [str(original.id), str(extra.id)], "csrf_token": token(client, "/admin/tasks")})
    assert merged.status_code == 302
    assert status.report_count(db, original.id) == 1 and "家访记录汇总" not in {t.title for t in plans.list_tasks(db, school)}
    bad = client.post(f"/admin/tasks/{original.id}", data={"title": "", "csrf_token": token(client, f"/admin/tasks/{original.id}")})
    assert bad.status_code == 400 and "不能为空" in bad.get_data(as_text=True)
    client.post(f"/admin/tasks/{original.id}/delete", data={"csrf_token": token(client, "/admin/tasks")})
    assert "各班主任提交家访记录" not in {t.title for t in plans.list_tasks(db, school)}
    assert status.report_count(db, original.id) == 1                            # hidden, its report kept


def test_calendar_feeds_by_secret_token(web, tmp_path):
    client, db = web
    sign_in(client)
    import_plan(client, tmp_path)
    page = client.get("/admin/feed").get_data(as_text=True)
    url = re.search(r'value="(http://localhost/feed/[^"]+\.ics)"', page).group(1)
    feed = client.get(url.replace("http://localhost", ""))
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    events = {str(e["summary"]): e for e in Calendar.from_ical(feed.data).walk("VEVENT")}
    visits = next(e for summary, e in events.items() if "家访" in summary)
    assert visits.decoded("dtstart") == date(2026, 10, 20) and visits.decoded("dtend") == date(2026, 10, 21)
    assert client.get("/feed/not-the-token.ics").status_code == 404
    school = plans.ensure_school(db, "青禾小学")
    import_roster(db, school, [NewMember("赵敏", department="教务处", dingtalk_user_id="dt-zhao")])
    people.meet(db, school, "dingtalk", "dt-zhao", "赵敏", "cid-office", "教务处群")
    office_group = next(g for g in chats.school_chats(db, school) if g.name == "教务处群")
    chats.update_chat_settings(db, office_group.id, {"enabled": True})
    group_url = url.replace(".ics", f"/{office_group.id}.ics").replace("http://localhost", "")
    group_events = [str(e["summary"]) for e in Calendar.from_ical(client.get(group_url).data).walk("VEVENT")]
    assert sorted(e.split(" ", 1)[1] for e in group_events) == ["全体教师参加消防演练", "教务处完成试卷命题审核"]   # not 班主任's 家访
    client.post("/admin/feed", data={"csrf_token": token(client, "/admin/feed")})     # renew: the old link stops working
    assert client.get(url.replace("http://localhost", "")).status_code == 404


def test_board_puts_overdue_first(web, tmp_path):
    client, db = web
    sign_in(client)
    import_plan(client, tmp_path)
    school = plans.ensure_school(db, "青禾小学")
    import_roster(db, school, [NewMember("王芳", (RoleRow("班主任"),)), NewMember("李强", (RoleRow("班主任"),))])
    people.meet(db, school, "dingtalk", "dt-wang", "王芳", "cid-grade3", "三年级组")   # 王芳 wrote in 三年级组
    board = client.get("/admin/board").get_data(as_text=True)
    assert board.index("各班主任提交家访记录") < board.index("组织一次公开课") and "已逾期" in board
    row = board[board.index("各班主任提交家访记录"):].split("</tr>")[0]
    assert "<th>三年级组</th>" in board and "0/2 已完成" in row and "<td>0/1</td>" in row


def test_group_reminder_settings_on_the_page(sqlite_database):
    from bot.config import RobotGroup
    from storage import chats
    settings = settings_with()
    settings = Settings(school=settings.school, admin_web=settings.admin_web,
                        groups=(RobotGroup("全体教师群", "dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=x"),))
    client = create_app(settings, sqlite_database).test_client()
    chats.sync_robot_groups(sqlite_database, plans.ensure_school(sqlite_database, "青禾小学"), settings.groups)
    sign_in(client)
    page = client.get("/admin/groups").get_data(as_text=True)
    assert "全体教师群" in page and "周报：开，每周第一个上课日 07:30" in page
    group = reminder_groups(sqlite_database)[0]
    form = {"enabled": "1", "digest": "1", "digest_time": "08:15", "eve": "1", "eve_time": "16:00", "morning_time": "07:30",
            "deadline": "1", "deadline_time": "07:30", "recurring_time": "07:30", "chase": "1", "chase_time": "08:00",
            "deadline_days": "5，2", "quiet_start": "21:00", "quiet_end": "07:00", "csrf_token": token(client, f"/admin/groups/{group.id}")}
    assert client.post(f"/admin/groups/{group.id}", data=form).status_code == 302
    stored = reminder_groups(sqlite_database)[0].settings
    assert (stored["digest_time"], stored["morning"], stored["recurring"], stored["deadline_days"]) == ("08:15", False, False, [5, 2])
    bad = client.post(f"/admin/groups/{group.id}", data={**form, "deadline_days": "0", "csrf_token": token(client, f"/admin/groups/{group.id}")})
    assert bad.status_code == 400 and "1 到 30" in bad.get_data(as_text=True)


def test_roster_upload_and_admins_on_the_page(web, tmp_path):
    client, db = web
    sign_in(client)
    roster = tmp_path / "名单.csv"
    roster.write_text("姓名,角色,部门\n王芳,三年级班主任,\n赵敏,,教务处\n", encoding="utf-8")
    with open(roster, "rb") as f:
        done = client.post("/admin/people", data={"roster": (f, "名单.csv"), "csrf_token": token(client, "/admin/people")},
                           content_type="multipart/form-data")
    assert done.status_code == 302
    page = client.get("/admin/people").get_data(as_text=True)
    assert "三年级班主任" in page and "教务处" in page
    zhao = next(m for m in load_members(db, plans.ensure_school(db, "青禾小学")) if m.name == "赵敏")
    client.post(f"/admin/people/{zhao.id}/admin", data={"admin": "1", "csrf_token": token(client, "/admin/people")})
    assert next(m for m in load_members(db, 1) if m.name == "赵敏").is_admin
    bad = tmp_path / "坏.csv"
    bad.write_text("编号,职务\n1,班主任\n", encoding="utf-8")
    with open(bad, "rb") as f:
        refused = client.post("/admin/people", data={"roster": (f, "坏.csv"), "csrf_token": token(client, "/admin/people")},
                              content_type="multipart/form-data")
    assert refused.status_code == 400 and "找不到“姓名”列" in refused.get_data(as_text=True)


def test_terms_and_holidays_on_the_page_drive_chat_and_reminders(sqlite_database, tmp_path):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.config import RobotGroup
    from bot.dispatch import Dispatcher
    from bot.messages import IncomingMessage
    from bot.reminders.passes import plan_pass
    from storage import chats
    from storage.school_calendar import school_terms
    settings = settings_with()
    settings = Settings(school=settings.school, admin_web=settings.admin_web,
                        groups=(RobotGroup("全体教师群", "wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"),))
    client = create_app(settings, sqlite_database).test_client()
    sign_in(client)
    school = schools.ensure_school(sqlite_database, "青禾小学", settings.school.terms)
    chats.sync_robot_groups(sqlite_database, school, settings.groups)
    saved = client.post("/admin/terms", data={"original": "第一学期", "name": "第一学期", "start": "2026-09-07", "end": "2027-01-22",
                                             "csrf_token": token(client, "/admin/terms")})
    assert saved.status_code == 302
    schools.ensure_school(sqlite_database, "青禾小学", settings.school.terms)      # the config does not undo the page
    assert school_terms(sqlite_database, school)[0].start == date(2026, 9, 7)
    asked = IncomingMessage("dingtalk", "m-1", "cid", "u-1", "王老师", "第3周有什么", datetime(2026, 9, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert "9月21日" in Dispatcher(settings, sqlite_database).handle(asked).markdown   # week 3 counted from 9月7日
    monday = datetime(2026, 10, 12, 7, 31, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert any(d.kind == "digest" for d in plan_pass(monday, settings, sqlite_database).deliveries)
    client.post("/admin/holidays", data={"start": "2026-10-12", "end": "2026-10-12", "name": "校运会调休",
                                         "csrf_token": token(client, "/admin/terms")})
    assert "校运会调休" in client.get("/admin/terms").get_data(as_text=True)
    assert not any(d.kind == "digest" for d in plan_pass(monday, settings, sqlite_database).deliveries)   # moves to Tuesday
    refused = client.post("/admin/terms/delete", data={"name": "第一学期", "csrf_token": token(client, "/admin/terms")})
    assert refused.status_code == 302 and school_terms(sqlite_database, school)


def test_errors_on_the_pages_are_in_chinese(sqlite_database, tmp_path):
    client = create_app(settings_with(max_upload_mb=1), sqlite_database).test_client()
    sign_in(client)
    assert "没有这个页面" in client.get("/admin/no-such-page").get_data(as_text=True)
    stale = client.post("/admin/tasks/merge", data={"csrf_token": "stale"})
    assert stale.status_code == 400 and "页面已过期" in stale.get_data(as_text=True)
    big = tmp_path / "计划.txt"
    big.write_bytes(b"x" * (2 * 1024 * 1024))
    too_big = upload(client, big)
    assert too_big.status_code == 413 and "文件太大" in too_big.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200 and client.get("/nothing").status_code == 404
