"""The calendar feeds as a calendar app reads them: the raw header, UIDs across installs and
restarts, a month's item as one all-day event, and the routine feed expanded instance by instance
(RRULE, EXDATE and moved instances) against the days the bot itself gives each duty."""
from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from bot.admin.feed_events import routine_series
from bot.app import create_app
from bot.config import Term
from bot.school_days import is_school_day
from bot.task_dates import due_in
from bot.timegrammar.recurrence import Recurrence
from storage import chats, office, people, plans
from storage.db import Database
from storage.models import OfficeState
from storage.people import NewMember, import_roster
from storage.school_calendar import add_holiday, school_terms
from tests.test_admin_web import settings_with, sign_in, token, upload

TERM = Term("第一学期", date(2026, 9, 1), date(2027, 1, 22))
PLAN = """青禾小学2026-2027学年第一学期工作计划

一、常规工作
1. 每周二、周四，值周教师检查学生午餐秩序。
2. 每月8日前，各年级组长上交月度考勤汇总表。
3. 每月底前，教务处检查作业批改情况。
4. 每周一次，少先队大队部开展红领巾广播。
二、重点工作
5. 11月份，各教研组长组织一次公开课。
6. 10月20日前，各班主任提交家访记录。
"""
CONFIG_HOLIDAY = date(2026, 11, 10)   # a Tuesday, off by config.yaml
OFFICE_HOLIDAY = date(2026, 12, 8)    # a Tuesday and the 8th, off on the office's page


def app_on(database: Database):
    settings = dataclasses.replace(settings_with(), holidays=(CONFIG_HOLIDAY,))
    app = create_app(settings, database)
    app.config["TESTING"] = True
    return app


def with_plan(client, tmp_path) -> str:
    """Sign in, import PLAN and return the school feed's path."""
    sign_in(client)
    (tmp_path / "例行计划.txt").write_text(PLAN, encoding="utf-8")
    response = upload(client, tmp_path / "例行计划.txt")
    client.post(response.location + "/accept", data={"csrf_token": token(client, response.location)})
    page = client.get("/admin/feed").get_data(as_text=True)
    return re.search(r'value="http://localhost(/feed/[^"/]+\.ics)"', page).group(1)


@pytest.fixture
def feeds(sqlite_database, tmp_path):
    client = app_on(sqlite_database).test_client()
    path = with_plan(client, tmp_path)
    school = plans.ensure_school(sqlite_database, "青禾小学")
    add_holiday(sqlite_database, school, OFFICE_HOLIDAY, "校运会")
    return client, sqlite_database, path


def routine_path(path: str) -> str:
    return path.removesuffix(".ics") + "/routine.ics"


def expand(data: bytes) -> dict[str, list[date]]:
    """Each event's days as a calendar app shows them: the rule's instances, less EXDATEs, with moved
    instances (same UID, RECURRENCE-ID) put on their own day."""
    events = Calendar.from_ical(data).walk("VEVENT")
    moved = {(str(e["uid"]), e.decoded("recurrence-id")): e.decoded("dtstart") for e in events if "recurrence-id" in e}
    days: dict[str, list[date]] = {}
    for event in (e for e in events if "recurrence-id" not in e):
        start, uid = event.decoded("dtstart"), str(event["uid"])
        assert type(start) is date and event.decoded("dtend") == start + timedelta(days=1)   # all-day, DTEND exclusive
        assert uid not in days, "one series per UID"
        instances = [start]
        if "rrule" in event:
            rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=datetime.combine(start, datetime.min.time()))
            instances = [d.date() for d in rule]
        lines = event.get("exdate", [])
        excluded = {d.dt for line in (lines if isinstance(lines, list) else [lines]) for d in line.dts}
        assert excluded <= set(instances), "every EXDATE names an instance"
        assert {n for (u, n) in moved if u == uid} <= set(instances), "every moved instance names one"
        days[str(event["summary"])] = sorted(moved.get((uid, d), d) for d in instances if d not in excluded)
    return days


def by_title(days: dict[str, list[date]], words: str) -> list[date]:
    return next(found for summary, found in days.items() if words in summary)


def test_every_feed_sends_one_charset(feeds):
    client, db, path = feeds
    for url in (path, routine_path(path)):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"


def test_a_month_long_item_is_one_all_day_event_over_the_month(feeds):
    client, _, path = feeds
    events = [e for e in Calendar.from_ical(client.get(path).data).walk("VEVENT") if "公开课" in str(e["summary"])]
    assert len(events) == 1
    assert events[0].decoded("dtstart") == date(2026, 11, 1) and events[0].decoded("dtend") == date(2026, 12, 1)
    assert "VALUE=DATE" in events[0].to_ical().decode().split("DTSTART")[1].split("\n")[0]
    assert "公开课" not in client.get(routine_path(path)).get_data(as_text=True)


def test_uids_are_stable_and_differ_between_installs(feeds, tmp_path):
    client, db, path = feeds
    first = uids(client.get(path).data)
    assert first == uids(client.get(path).data) == uids(app_on(db).test_client().get(path).data)   # again, and after a restart
    school = plans.ensure_school(db, "青禾小学")
    assert all(f".school-{school}." in uid for uid in first)
    other = Database(f"sqlite:///{tmp_path / 'other.db'}")
    other.upgrade()
    other_client = app_on(other).test_client()
    (tmp_path / "other").mkdir()
    other_path = with_plan(other_client, tmp_path / "other")
    assert {u.split(".")[0] for u in uids(other_client.get(other_path).data)} == {u.split(".")[0] for u in first}   # same task ids
    assert not uids(other_client.get(other_path).data) & first
    assert not uids(other_client.get(routine_path(other_path)).data) & uids(client.get(routine_path(path)).data)
    other.dispose()


def uids(data: bytes) -> set[str]:
    return {str(e["uid"]) for e in Calendar.from_ical(data).walk("VEVENT")}


def test_install_id_is_kept_and_a_lost_race_reads_the_winners(sqlite_database, monkeypatch):
    def draw_while_another_worker_inserts(bits):
        with sqlite_database.transaction() as s:
            s.add(OfficeState(key=office.INSTALL_ID, value=4242))
        return 17
    monkeypatch.setattr(office.secrets, "randbits", draw_while_another_worker_inserts)
    assert office.install_id(sqlite_database) == 4242
    assert office.install_id(sqlite_database) == 4242


def test_weekday_duties_repeat_on_their_school_days(feeds):
    client, db, path = feeds
    days = expand(client.get(routine_path(path)).data)
    holidays = frozenset({CONFIG_HOLIDAY, OFFICE_HOLIDAY})
    term_days = [TERM.start + timedelta(days=i) for i in range((TERM.end - TERM.start).days + 1)]
    expected = [d for d in term_days if d.weekday() in (1, 3) and is_school_day(d, holidays)]
    assert by_title(days, "午餐秩序") == expected
    assert date(2026, 10, 1) not in expected and CONFIG_HOLIDAY not in expected and OFFICE_HOLIDAY not in expected


def test_monthly_duties_fall_where_the_bot_puts_them(feeds):
    client, db, path = feeds
    days = expand(client.get(routine_path(path)).data)
    assert by_title(days, "考勤汇总表") == [date(2026, 9, 8), date(2026, 10, 8), date(2026, 11, 6),   # 11-08 a Sunday
                                        date(2026, 12, 7), date(2027, 1, 8)]                          # 12-08 the office's holiday
    assert by_title(days, "作业批改") == [date(2026, 9, 30), date(2026, 10, 30), date(2026, 11, 30), date(2026, 12, 31)]
    school = plans.ensure_school(db, "青禾小学")
    term = school_terms(db, school)[0]
    for task in (t for t in plans.list_tasks(db, school) if t.recurrence and t.recurrence.startswith("monthly")):
        for month in (9, 10, 11):   # task_dates.due_in knows no office holidays: compare the months without one
            first = date(2026, month, 1)
            last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            found = [d for d in by_title(days, task.title) if first <= d <= last]
            assert found == [due_in(task, task.title, first, last, term)]


def test_a_duty_sometime_in_the_week_is_on_its_first_school_day(feeds):
    client, _, path = feeds
    found = by_title(expand(client.get(routine_path(path)).data), "红领巾广播")
    assert found[0] == TERM.start and date(2026, 10, 8) in found            # the week of the National Day break
    assert len({d - timedelta(days=d.weekday()) for d in found}) == len(found) == 21


def test_group_routine_feed_and_the_page_links(feeds):
    client, db, path = feeds
    school = plans.ensure_school(db, "青禾小学")
    import_roster(db, school, [NewMember("赵敏", department="教务处", dingtalk_user_id="dt-zhao")])
    people.meet(db, school, "dingtalk", "dt-zhao", "赵敏", "cid-office", "教务处群")
    group = next(g for g in chats.school_chats(db, school) if g.name == "教务处群")
    chats.update_chat_settings(db, group.id, {"enabled": True})
    page = client.get("/admin/feed").get_data(as_text=True)
    assert "例行事项（每周、每月）单独订阅，可不订" in page
    links = re.findall(r'value="http://localhost(/feed/[^"]+/routine\.ics)"', page)
    assert links == [routine_path(path), path.removesuffix(".ics") + f"/{group.id}/routine.ics"]
    assert list(expand(client.get(links[1]).data)) == ["#3 教务处检查作业批改情况（每月底前）"]
    assert client.get("/feed/not-the-token/routine.ics").status_code == 404
    assert client.get(path.removesuffix(".ics") + "/99999/routine.ics").status_code == 404


def on_school_days(*off: date):
    return lambda day: day.weekday() < 5 and day not in off


def test_rhythms_without_a_day_and_those_the_bot_places_nowhere():
    term = Term("秋季", date(2025, 9, 1), date(2025, 12, 31))
    ends_on_a_sunday = Term("秋季", date(2025, 9, 1), date(2026, 1, 18))
    termly = routine_series(Recurrence.parse("termly"), ends_on_a_sunday, date(2025, 9, 1), date(2026, 1, 18), on_school_days())
    assert termly.rule is None and list(termly.days.values()) == [date(2026, 1, 16)]   # due by the term's last school day
    assert routine_series(Recurrence.parse("quarterly"), term, term.start, term.end, on_school_days()) is None
    daily = routine_series(Recurrence.parse("daily"), term, term.start, date(2025, 9, 14), on_school_days(date(2025, 9, 3)))
    assert [d for d in daily.days.values() if d] == [date(2025, 9, d) for d in (1, 2, 4, 5, 8, 9, 10, 11, 12)]
    biweekly = routine_series(Recurrence.parse("biweekly"), term, date(2025, 9, 10), term.end, on_school_days(date(2025, 9, 15)))
    assert list(biweekly.days)[:2] == [date(2025, 9, 1), date(2025, 9, 15)]   # rounds counted from the term's first week
    assert list(biweekly.days.values())[:2] == [date(2025, 9, 10), date(2025, 9, 16)]


def test_a_by_day_past_the_28th_names_each_months_last_day_and_keeps_its_own():
    term = Term("春季", date(2026, 2, 1), date(2026, 4, 30))
    series = routine_series(Recurrence.parse("monthly:by30"), term, term.start, term.end, on_school_days())
    assert series.rule == {"freq": "monthly", "bymonthday": [-1]}   # BYMONTHDAY=30 would skip February
    assert series.days == {date(2026, 2, 28): date(2026, 2, 27), date(2026, 3, 31): date(2026, 3, 30),
                           date(2026, 4, 30): date(2026, 4, 30)}
