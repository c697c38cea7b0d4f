"""The office's calendar as a real month: the shapes (weeks of Monday-to-Sunday days, long tasks
listed once, holidays named) as pure functions, the page through Flask's test client, and the
month grid in headless Chromium at a computer's and a phone's width."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from bot.admin.pages import CalendarDay, calendar_view, school_day_and_name, weeks_of
from bot.app import create_app
from bot.config import Term
from storage import plans, school_calendar, task_edits
from storage.task_edits import TaskChange
from tests.servers import serving
from tests.test_admin_browser import ARTIFACTS, CHROMIUM, browser  # noqa: F401  (the fixture)
from tests.test_admin_web import PASSWORD, TERM, settings_with, sign_in

OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))


@dataclass(frozen=True)
class Task:
    id: int
    number: int
    title: str
    start: date | None
    end: date | None = None
    recurrence: str | None = None
    term_anchor: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None


def days(first: date, last: date) -> list[CalendarDay]:
    return [CalendarDay(first + timedelta(days=n), (), True) for n in range((last - first).days + 1)]


# --- pure: the grid, long tasks, the days' names ---------------------------------------------

def test_the_first_sits_under_its_weekday_with_blanks_around_the_month():
    weeks = weeks_of(days(*OCTOBER))                  # 2026-10-01 is a Thursday, the 31st a Saturday
    assert len(weeks) == 5 and all(len(week) == 7 for week in weeks)
    assert weeks[0][:3] == (None, None, None) and weeks[0][3].day == date(2026, 10, 1)
    assert weeks[-1][5].day == date(2026, 10, 31) and weeks[-1][6] is None
    assert [d.day.day for week in weeks for d in week if d] == list(range(1, 32))
    assert all(d.day.weekday() == column for week in weeks for column, d in enumerate(week) if d)


def test_a_month_from_monday_to_sunday_has_no_blanks():
    weeks = weeks_of(days(date(2027, 2, 1), date(2027, 2, 28)))
    assert len(weeks) == 4 and None not in {d for week in weeks for d in week}


def test_tasks_longer_than_a_week_are_listed_once_above_the_grid():
    tasks = [Task(1, 1, "公开课", date(2026, 11, 1), date(2026, 11, 30)),     # 11月份
             Task(2, 2, "家访", date(2026, 11, 3), date(2026, 11, 5)),
             Task(3, 3, "作业检查周", date(2026, 11, 9), date(2026, 11, 15)),  # a week exactly: in its days
             Task(4, 4, "读书节", date(2026, 11, 9), date(2026, 11, 16)),      # eight days: above
             Task(5, 5, "期末复习", None, term_anchor="term_end"),             # the term's last two weeks
             Task(6, 6, "每周升旗", None, recurrence="weekly:mon")]
    view = calendar_view(tasks, date(2026, 11, 1), date(2026, 11, 30), (TERM,), {}, date(2026, 11, 4))
    shown = {t.title: [d.day.day for week in view.weeks for d in week if d and t in d.tasks] for t in tasks}
    assert [(long.task.title, long.span) for long in view.long_tasks] == [("公开课", "11月1日至11月30日"), ("读书节", "11月9日至11月16日")]
    assert shown == {"公开课": [], "家访": [3, 4, 5], "作业检查周": list(range(9, 16)), "读书节": [], "期末复习": [], "每周升旗": []}
    january = calendar_view(tasks, date(2027, 1, 1), date(2027, 1, 31), (TERM,), {}, date(2027, 1, 4))
    assert [(long.task.title, long.span) for long in january.long_tasks] == [("期末复习", "1月9日至1月22日")]
    [today] = [d for week in view.weeks for d in week if d and d.today]
    assert today.day == date(2026, 11, 4)


def test_weekends_holidays_and_make_up_days():
    assert school_day_and_name(date(2026, 10, 1), {}) == (False, "国庆节")
    assert school_day_and_name(date(2026, 10, 10), {}) == (True, "调休上课")   # a Saturday the State Council made a working day
    assert school_day_and_name(date(2026, 10, 17), {}) == (False, "")         # a plain Saturday
    assert school_day_and_name(date(2026, 10, 21), {}) == (True, "")
    assert school_day_and_name(date(2026, 10, 21), {date(2026, 10, 21): "校运会"}) == (False, "校运会")
    assert school_day_and_name(date(2026, 10, 21), {date(2026, 10, 21): ""}) == (False, "放假")
    assert school_day_and_name(date(2040, 10, 6), {}) == (False, "")          # a year the package does not know
    assert school_day_and_name(date(2040, 10, 8), {}) == (True, "")


def test_days_out_of_term_are_marked():
    view = calendar_view([], date(2027, 1, 18), date(2027, 1, 24), (TERM,), {}, date(2027, 1, 1))
    assert [d.in_term for d in view.weeks[0]] == [True] * 5 + [False] * 2    # the term ends on Friday the 22nd


# --- the page ---------------------------------------------------------------------------------

@pytest.fixture
def office(sqlite_database):
    app = create_app(settings_with(), sqlite_database)
    app.config["TESTING"] = True
    client = app.test_client()
    sign_in(client)
    school = plans.ensure_school(sqlite_database, "青禾小学")
    task_edits.add_task(sqlite_database, school, TaskChange("各教研组长组织公开课", date(2026, 11, 1), date(2026, 11, 30)))
    task_edits.add_task(sqlite_database, school, TaskChange("全体教师消防演练", date(2026, 11, 12)))
    school_calendar.add_holiday(sqlite_database, school, date(2026, 11, 20), "校运会")
    return client, {t.title: t for t in plans.list_tasks(sqlite_database, school)}


def cells(page: str) -> list[str]:
    """The grid's cells in order, blanks included."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<td\b.*?</td>", body, flags=re.S)


def test_the_month_page_is_a_grid_with_long_tasks_once(office):
    client, tasks = office
    page = client.get("/admin/calendar?view=month&day=2026-11-12").get_data(as_text=True)
    assert re.findall(r'<th scope="col"[^>]*><abbr title="星期(.)">', page) == list("一二三四五六日")
    grid = cells(page)
    assert len(grid) == 42 and all(c == '<td class="blank"></td>' for c in grid[:6] + grid[-6:])   # 11-01 a Sunday, 11-30 a Monday
    assert 'datetime="2026-11-01"' in grid[6] and "rest" in grid[6] and page.count("<h3>") == 30
    fire = next(c for c in grid if 'datetime="2026-11-12"' in c)
    assert f'href="/admin/tasks/{tasks["全体教师消防演练"].id}"' in fire and "rest" not in fire
    sports = next(c for c in grid if 'datetime="2026-11-20"' in c)
    assert 'class="day rest holiday"' in sports and "校运会" in sports
    assert page.count("各教研组长组织公开课") == 1
    long = page.split('class="long-tasks"', 1)[1].split("</section>", 1)[0]
    assert f'href="/admin/tasks/{tasks["各教研组长组织公开课"].id}"' in long and "11月1日至11月30日" in long


def test_the_week_page_has_the_same_columns_and_long_tasks_above(office):
    client, tasks = office
    page = client.get("/admin/calendar?day=2026-11-12").get_data(as_text=True)
    grid = cells(page)
    assert len(grid) == 7 and 'datetime="2026-11-09"' in grid[0] and 'datetime="2026-11-15"' in grid[6]
    assert "全体教师消防演练" in grid[3] and page.count("各教研组长组织公开课") == 1
    assert page.index('class="long-tasks"') < page.index('class="calendar-grid week"')
    national = client.get("/admin/calendar?day=2026-10-01").get_data(as_text=True)
    assert 'class="day rest holiday"' in cells(national)[3] and "国庆节" in cells(national)[3]
    make_up = client.get("/admin/calendar?day=2026-10-10").get_data(as_text=True)
    assert 'class="day"' in cells(make_up)[5] and "调休上课" in cells(make_up)[5]
    assert 'href="/admin/calendar?view=week&amp;day=2026-11-02"' in page and 'href="/admin/calendar?view=week&amp;day=2026-11-16"' in page


def test_today_is_marked(office):
    client, _ = office
    page = client.get("/admin/calendar?view=month").get_data(as_text=True)
    assert page.count('aria-current="date"') == 1 and "今天</strong>" in page


# --- in a browser -----------------------------------------------------------------------------

@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_the_month_grid_on_a_computer_and_on_a_phone(browser, sqlite_database):  # noqa: F811
    school = plans.ensure_school(sqlite_database, "青禾小学")
    task_edits.add_task(sqlite_database, school, TaskChange("各教研组长组织公开课，每位教师至少听课四节并写出评课意见", date(2026, 10, 1), date(2026, 10, 31)))
    task_edits.add_task(sqlite_database, school, TaskChange("全体教师参加消防安全疏散演练", date(2026, 10, 22)))
    task_edits.add_task(sqlite_database, school, TaskChange("三年级家访", date(2026, 10, 12), date(2026, 10, 14)))
    school_calendar.add_holiday(sqlite_database, school, date(2026, 10, 30), "秋季运动会")
    ARTIFACTS.mkdir(exist_ok=True)
    with serving(create_app(settings_with(), sqlite_database)) as site:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{site}/admin/login")
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("button:has-text('登录')")
        page.goto(f"{site}/admin/calendar?view=month&day=2026-10-22")

        def column(selector: str) -> float:
            return page.locator(selector).bounding_box()["x"]
        assert abs(column("td:has(time[datetime='2026-10-01'])") - column("th:has(abbr[title='星期四'])")) < 2   # the 1st under 四
        assert abs(column("td:has(time[datetime='2026-10-31'])") - column("th:has(abbr[title='星期六'])")) < 2
        assert "消防安全疏散演练" in page.locator("td:has(time[datetime='2026-10-22'])").inner_text()
        assert page.locator("text=评课意见").count() == 1 and page.locator("td:has-text('三年级家访')").count() == 3
        assert "国庆节" in page.locator("td:has(time[datetime='2026-10-01'])").inner_text()
        page.screenshot(path=str(ARTIFACTS / "calendar-month.png"), full_page=True)

        phone = browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
        phone.context.add_cookies(page.context.cookies())
        phone.goto(f"{site}/admin/calendar?view=month&day=2026-10-22")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375 + 1
        assert "10月22日 周四" in phone.locator("td:has(time[datetime='2026-10-22'])").inner_text()
        assert phone.locator("td.blank").first.is_hidden()
        phone.screenshot(path=str(ARTIFACTS / "calendar-month-phone.png"), full_page=True)
