"""The office's first week through Flask's test client on real SQLite: first-run set-up without
editing files, settings that outlive a restart, removing a plan, the school year on upload, the
task filters, the dashboard, holidays for a year the national calendar does not know."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from werkzeug.security import generate_password_hash

from bot import holiday_years, schools
from bot.app import create_app
from bot.config import AdminWebSettings, RobotGroup, SchoolSettings, Settings, Term
from bot.task_dates import recurs_in
from bot.timegrammar.recurrence import Recurrence
from storage import office_settings, plans, school_calendar, status
from storage.people import NewMember, RoleRow, import_roster, load_members
from tests.test_admin_web import PASSWORD, import_plan, settings_with, sign_in, token, upload

NEW_PASSWORD = "a-new-office-password"


def unconfigured(**school) -> Settings:
    return Settings(school=SchoolSettings(**school) if school else SchoolSettings())


def setup_form(client, **changes) -> dict:
    page = client.get("/admin/setup").get_data(as_text=True)
    form = dict(re.findall(r'name="(term\d_(?:name|start|end|original))" value="([^"]*)"', page))
    code = office_settings.get(client.application.extensions["schoolbot.database"], office_settings.SETUP_CODE)
    return form | {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1), "code": code,
                   "school_name": "东湖路小学", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD, "days_off": ""} | changes


def test_before_setup_every_page_leads_to_setup_and_the_style_sheet_is_served(sqlite_database):
    client = create_app(unconfigured(), sqlite_database).test_client()
    assert client.get("/admin/tasks").location.endswith("/admin/setup")
    assert client.get("/admin/login").location.endswith("/admin/setup")
    assert client.get("/admin/static/admin.css").status_code == 200
    assert client.get("/").location.endswith("/admin/")
    page = client.get("/admin/setup").get_data(as_text=True)
    assert "设置码" in page and "办公室密码" in page


def test_setup_names_the_school_sets_terms_days_off_and_password_and_signs_in(sqlite_database):
    client = create_app(unconfigured(), sqlite_database).test_client()
    form = setup_form(client, days_off="2026-10-30 至 2026-10-31 校运会调休\n2026-12-31")
    assert form["term0_name"].endswith("第一学期") and form["term0_start"].endswith("-09-01")   # prefilled from the school year
    done = client.post("/admin/setup", data=form)
    assert done.status_code == 302 and done.location.endswith("/admin/")
    home = client.get("/admin/").get_data(as_text=True)
    assert "东湖路小学" in home and "设置完成" in home                       # signed in, header names the school
    school = schools.home_school(sqlite_database, SchoolSettings())
    assert [t.name for t in school_calendar.school_terms(sqlite_database, school)] == [form["term0_name"], form["term1_name"]]
    days = [d for d, _ in school_calendar.school_holidays(sqlite_database, school)]
    assert {date(2026, 10, 30), date(2026, 10, 31), date(2026, 12, 31)} <= set(days)
    assert client.get("/admin/setup").location.endswith("/admin/")          # done once: no second set-up
    again = form | {"password": "takeover-attempt", "password_again": "takeover-attempt", "csrf_token": token(client, "/admin/")}
    assert client.post("/admin/setup", data=again).location.endswith("/admin/")   # a replayed set-up changes nothing
    fresh = create_app(unconfigured(), sqlite_database).test_client()       # a restart keeps all of it
    assert "/admin/login" in fresh.get("/admin/").location
    fresh.post("/admin/login", data={"password": "takeover-attempt", "csrf_token": token(fresh)})
    assert "/admin/login" in fresh.get("/admin/").location
    fresh.post("/admin/login", data={"password": NEW_PASSWORD, "csrf_token": token(fresh)})
    assert "东湖路小学" in fresh.get("/admin/").get_data(as_text=True)


def test_setup_refuses_a_wrong_code_and_keeps_what_was_typed(sqlite_database):
    client = create_app(unconfigured(), sqlite_database).test_client()
    wrong = client.post("/admin/setup", data=setup_form(client, code="0000-0000"))
    assert wrong.status_code == 401 and "设置码不对" in wrong.get_data(as_text=True)
    bad = client.post("/admin/setup", data=setup_form(client, term0_end="2026-08-01", school_name="西湖小学"))
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "结束日期早于开始日期" in page and 'value="西湖小学"' in page
    assert office_settings.get(sqlite_database, office_settings.PASSWORD_HASH) == ""     # nothing half-saved
    short = client.post("/admin/setup", data=setup_form(client, password="short", password_again="short"))
    assert short.status_code == 400 and "至少 8 位" in short.get_data(as_text=True)


def test_setup_codes_are_rate_limited(sqlite_database):
    client = create_app(unconfigured(), sqlite_database).test_client()
    answers = [client.post("/admin/setup", data=setup_form(client, code=f"1111-{n:04d}")).status_code for n in range(6)]
    assert answers[:5] == [401] * 5 and answers[5] == 429
    assert client.post("/admin/setup", data=setup_form(client)).status_code == 429   # even the right code, for a while


def test_a_configured_password_needs_no_setup_and_the_config_name_seeds_the_school(sqlite_database):
    client = create_app(settings_with(), sqlite_database).test_client()
    assert client.get("/admin/setup").location.endswith("/admin/")
    sign_in(client)
    assert "青禾小学" in client.get("/admin/").get_data(as_text=True)


def test_the_office_renames_the_school_and_a_restart_keeps_the_name(sqlite_database):
    client = create_app(settings_with(), sqlite_database).test_client()
    sign_in(client)
    client.post("/admin/school", data={"school_name": "青禾实验小学", "csrf_token": token(client, "/admin/school")})
    again = create_app(settings_with(), sqlite_database).test_client()   # config still says 青禾小学
    sign_in(again)
    assert "青禾实验小学" in again.get("/admin/").get_data(as_text=True)
    assert plans.school_name(sqlite_database, schools.home_school(sqlite_database, settings_with().school)) == "青禾实验小学"


@pytest.fixture
def office(sqlite_database, tmp_path):
    client = create_app(settings_with(), sqlite_database).test_client()
    sign_in(client)
    import_plan(client, tmp_path)
    return client, sqlite_database, schools.home_school(sqlite_database, settings_with().school)


def test_removing_a_plan_takes_its_tasks_and_hides_reported_ones(office, tmp_path):
    client, db, school = office
    tasks = {t.title: t for t in plans.list_tasks(db, school)}
    import_roster(db, school, [NewMember("王芳", dingtalk_user_id="dt-wang")])
    drill = tasks["全体教师参加消防演练"]
    status.record_report(db, status.NewReport(drill.id, load_members(db, school)[0].id, None, "done", "完成"))
    [plan] = plans.list_plans(db, school)
    assert plan.task_count == len(tasks)
    home = client.get("/admin/").get_data(as_text=True)
    removed = client.post(f"/admin/plans/{plan.id}/remove", data={"csrf_token": token(client, "/admin/")}, follow_redirects=True)
    assert "已删除计划" in removed.get_data(as_text=True) and "计划" in home
    assert plans.list_tasks(db, school) == [] and plans.list_plans(db, school) == []
    assert status.latest_reports(db, [drill.id])[drill.id]                  # the report survives, hidden with its task
    import_plan(client, tmp_path)                                        # imported again: back, with new numbers
    back = {t.title: t for t in plans.list_tasks(db, school)}
    assert set(back) == set(tasks) and back[drill.title].number > max(t.number for t in tasks.values())


def test_upload_shows_the_school_year_and_the_office_can_change_it(office, tmp_path):
    client, db, school = office
    (tmp_path / "旧计划.txt").write_text("2023-2024学年第一学期德育工作计划\n一、活动安排\n1. 10月18日，举行秋季运动会。\n", encoding="utf-8")
    draft = upload(client, tmp_path / "旧计划.txt").location
    page = client.get(draft).get_data(as_text=True)
    assert "2023-2024学年第一学期" in page and "这份计划是 2023-2024 学年的" in page
    moved = client.get(draft + "?year=2026").get_data(as_text=True)
    assert "2026-2027学年第一学期" in moved and "这份计划是" not in moved and "10月18日" in moved
    client.post(draft + "/accept", data={"year": "2026", "name": "德育计划", "csrf_token": token(client, draft)})
    meet = next(t for t in plans.list_tasks(db, school) if "运动会" in t.title)
    assert meet.start == date(2026, 10, 18)


def test_task_filters_and_marks(office):
    client, db, school = office
    tasks = {t.title: t for t in plans.list_tasks(db, school)}
    visits = tasks["各班主任提交家访记录"]
    client.post(f"/admin/tasks/{visits.id}", data={"title": visits.title, "start": "2026-10-19", "end": "2026-10-19", "owner": "班主任",
                                                  "csrf_token": token(client, f"/admin/tasks/{visits.id}")})
    client.post("/admin/tasks/new", data={"title": "校园开放日", "start": "2026-11-05", "end": "2026-11-05", "owner": "",
                                          "csrf_token": token(client, "/admin/tasks/new")})

    def rows(query: str) -> list[str]:
        page = client.get("/admin/tasks" + query).get_data(as_text=True)
        return re.findall(r'<tr id="task-\d+">.*?</tr>', page, re.S)

    assert len(rows("")) == len(tasks) + 1
    assert [r for r in rows("?q=消防")] and all("消防" in r for r in rows("?q=消防"))
    assert all("教务处" in r for r in rows("?owner=教务处")) and len(rows("?owner=教务处")) == 2
    november = rows("?month=2026-11")
    assert any("公开课" in r for r in november) and any("开放日" in r for r in november) and not any("消防" in r for r in november)
    assert len(rows("?kind=routine")) == 1 and "作业批改" in rows("?kind=routine")[0]
    assert "已修改" in next(r for r in rows("") if "家访" in r) and "手工添加" in next(r for r in rows("") if "开放日" in r)
    assert not any("已修改" in r or "手工添加" in r for r in rows("?q=消防"))
    assert client.get("/admin/tasks?month=9999-99&kind=nonsense&q=" + "字" * 5000).status_code == 200


def test_a_failed_edit_keeps_what_was_typed_and_deleting_says_so(office):
    client, db, school = office
    drill = next(t for t in plans.list_tasks(db, school) if "消防" in t.title)
    failed = client.post(f"/admin/tasks/{drill.id}", data={"title": "消防演练（改期）", "start": "2026-10-25", "end": "2026-10-24", "owner": "安全办",
                                                          "csrf_token": token(client, f"/admin/tasks/{drill.id}")})
    page = failed.get_data(as_text=True)
    assert failed.status_code == 400 and 'value="消防演练（改期）"' in page and 'value="2026-10-25"' in page and 'value="安全办"' in page
    deleted = client.post(f"/admin/tasks/{drill.id}/delete", data={"csrf_token": token(client, f"/admin/tasks/{drill.id}")}, follow_redirects=True)
    assert f"已删除 #{drill.number}" in deleted.get_data(as_text=True)


def test_dashboard_shows_today_week_overdue_reminders_and_failing_robots(sqlite_database, tmp_path, monkeypatch):
    settings = Settings(school=settings_with().school, admin_web=settings_with().admin_web,
                        groups=(RobotGroup("全体教师群", "dingtalk", "http://127.0.0.1:9/robot/send?access_token=t"),))
    client = create_app(settings, sqlite_database).test_client()
    sign_in(client)
    import_plan(client, tmp_path)
    db, school = sqlite_database, schools.home_school(sqlite_database, settings.school)
    import_roster(db, school, [NewMember("王芳", (RoleRow("班主任"),), dingtalk_user_id="dt-wang"),
                               NewMember("李强", (RoleRow("班主任"),), dingtalk_user_id="dt-li")])
    from storage import chats
    chats.sync_robot_groups(db, school, settings.groups)
    moment = datetime(2026, 10, 22, 7, 0, tzinfo=settings.tz)   # a Thursday: 家访 (10-20) overdue, 消防 (10-23) tomorrow
    monkeypatch.setattr("bot.admin.extension.datetime", _Frozen(moment))
    page = client.get("/admin/").get_data(as_text=True)
    assert "10月22日 星期四" in page
    overdue = page[page.index('id="overdue"'):page.index('id="upcoming"')]
    assert "家访" in overdue and "王芳" in overdue and "李强" in overdue
    week = page[page.index('id="week"'):page.index('id="overdue"')]
    assert "消防演练" in week and "家访" in week and "作业批改" in week          # Tuesday's, Friday's, and the routine duty
    assert "今天没有安排" in page[page.index('id="today"'):page.index('id="week"')]
    soon = page[page.index('id="upcoming"'):]
    assert "全体教师群" in soon and "前一天提醒" in soon and "消防演练" in soon


class _Frozen(datetime):
    """datetime with now() fixed, for the views' clock."""

    def __new__(cls, moment):
        frozen = type("FrozenDateTime", (datetime,), {"now": classmethod(lambda c, tz=None: moment.astimezone(tz) if tz else moment)})
        return frozen


def test_a_year_the_national_calendar_does_not_know_gets_fixed_holidays_and_a_notice(sqlite_database):
    unknown = holiday_years.KNOWN_YEARS[-1] + 1
    term = Term("第一学期", date(unknown - 1, 9, 1), date(unknown, 1, 22))
    settings = Settings(school=SchoolSettings(name="青禾小学", terms=(term,)), admin_web=settings_with().admin_web)
    client = create_app(settings, sqlite_database).test_client()   # start-up prefills
    school = schools.home_school(sqlite_database, settings.school)
    days = dict(school_calendar.school_holidays(sqlite_database, school))
    assert days.get(date(unknown, 1, 1)) == "元旦" and days.get(date(unknown, 10, 7)) == "国庆节"
    [stored] = school_calendar.school_terms(sqlite_database, school)
    assert date(unknown, 1, 1) in stored.days_off
    if date(unknown, 1, 1).weekday() < 5:   # a weekday the bot would otherwise take for a school day
        assert not recurs_in(Recurrence("weekly", weekdays=(date(unknown, 1, 1).weekday(),)), date(unknown, 1, 1),
                             date(unknown, 1, 1), stored)
    school_calendar.delete_holiday(sqlite_database, school, date(unknown, 5, 3))   # the office's deletion sticks
    create_app(settings, sqlite_database)
    assert date(unknown, 5, 3) not in dict(school_calendar.school_holidays(sqlite_database, school))
    sign_in(client)
    home = client.get("/admin/").get_data(as_text=True)
    assert f"{unknown} 年的法定节假日还不知道" in home and "请补充春节、清明" in home
    client.post("/admin/holidays/confirm", data={"year": str(unknown), "csrf_token": token(client, "/admin/")})
    assert f"{unknown} 年的法定节假日还不知道" not in client.get("/admin/").get_data(as_text=True)


def test_the_home_page_counts_each_plan_s_unread_dates(sqlite_database, tmp_path):
    client = create_app(settings_with(), sqlite_database).test_client()
    sign_in(client)
    (tmp_path / "德育计划.txt").write_text("\n".join(["青禾小学2026-2027学年第一学期德育计划", "截至2026年6月，学校共有班级24个。",
                                                    "1. 9月10日开展教师节表彰活动，德育处负责。"]), encoding="utf-8")
    draft = upload(client, tmp_path / "德育计划.txt").location
    client.post(draft + "/accept", data={"csrf_token": token(client, draft)})
    [plan] = plans.list_plans(sqlite_database, schools.home_school(sqlite_database, settings_with().school))
    assert plan.unread_dates == 1
    row = re.search(r"<tr><td>德育计划</td>.*?</tr>", client.get("/admin/").get_data(as_text=True), re.S).group(0)
    assert "1 处" in row
