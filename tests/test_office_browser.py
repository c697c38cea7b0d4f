"""The office's first week in a real headless Chromium (Playwright) against the app on 127.0.0.1:
first start to a configured school without editing a file, an upload whose school year the office
corrects, the dashboard, the month grid, search, removing a plan, and every page on a 375 px phone
without sideways scrolling. Screenshots of each page go to tests/artifacts/ (ignored by git)."""
from __future__ import annotations

import re
from datetime import date

import pytest

from bot import schools
from bot.app import create_app
from bot.config import RobotGroup, Settings
from storage import chats, plans
from storage.people import NewMember, RoleRow, import_roster
from tests.factories.plan_files import text_plan_to_docx
from tests.servers import serving
from tests.test_admin_browser import ARTIFACTS, CHROMIUM, browser, submit  # noqa: F401  (the fixture)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (python3 dev.py test installs it with apt-get as root)")
PASSWORD = "browser-office-password"
OLD_PLAN = """2023-2024学年第一学期教导处工作计划
一、常规工作
1. 每周一升旗仪式，德育处负责。
2. 9月28日前，各教研组上交教研计划。
二、月历
十月份：
1. 10月15日，举行秋季田径运动会（体育组）。
2. 10月下旬，期中考试。
十一月份：
1. 11月8日，家长开放日。
2. 11月份，青年教师汇报课。
"""


@pytest.fixture
def first_start(sqlite_database, capfd):
    """A new install: no config file, no password; the console shows the set-up code."""
    settings = Settings(groups=(RobotGroup("全体教师群", "dingtalk", "http://127.0.0.1:9/robot/send?access_token=t"),))
    app = create_app(settings, sqlite_database)
    code = re.search(r"设置码 (\d{4}-\d{4})", capfd.readouterr().err).group(1)
    with serving(app) as url:
        yield url, code, sqlite_database, settings


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1


def test_the_office_s_first_week_in_a_browser(browser, first_start, tmp_path):
    site, code, db, settings = first_start
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    phone = browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True)

    # First start: any page leads to set-up, styled; the office sets up without touching a file.
    phone.goto(f"{site}/admin/")
    assert phone.url.endswith("/admin/setup") and no_sideways_scroll(phone)
    shot(phone, "phone-setup")
    page.goto(f"{site}/")
    assert page.url.endswith("/admin/setup")
    assert page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor") != "rgba(0, 0, 0, 0)"   # admin.css served
    shot(page, "setup")
    page.fill("input[name=code]", code)
    page.fill("input[name=school_name]", "柳岸小学")
    assert page.input_value("input[name=term0_start]").endswith("-09-01")
    page.fill("textarea[name=days_off]", "2026-10-30 至 2026-10-31 校运会调休")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password_again]", PASSWORD)
    submit(page, "完成设置")
    assert page.url.endswith("/admin/") and "柳岸小学" in page.inner_text("header") and "设置完成" in page.inner_text(".notice")
    for heading in ("今天", "本周", "逾期未完成", "24 小时内将发送的提醒"):
        assert page.locator("h2", has_text=heading).count() == 1
    shot(page, "home-empty")

    # An upload from another school year: the page says so, the office moves it to this one.
    plan = text_plan_to_docx(OLD_PLAN, tmp_path / "教导处计划.docx")
    page.goto(f"{site}/admin/plans/upload")
    page.set_input_files("input[name=plan]", str(plan))
    submit(page, "上传并预览")
    assert "这份计划是 2023-2024 学年的" in page.inner_text("main")
    shot(page, "review-other-year")
    page.select_option("select[name=year]", "2026")
    submit(page, "按这个学年重新识别")
    assert "2026-2027学年第一学期" in page.inner_text("main") and "这份计划是" not in page.inner_text("main")
    submit(page, "确认导入")
    school = schools.home_school(db, settings.school)
    meet = next(t for t in plans.list_tasks(db, school) if "运动会" in t.title)
    assert meet.start == date(2026, 10, 15)

    # Search narrows the list.
    page.goto(f"{site}/admin/tasks")
    total = page.locator("table.task-list tbody tr").count()
    page.fill("input[name=q]", "开放日")
    submit(page, "筛选")
    rows = page.locator("table.task-list tbody tr")
    assert 1 <= rows.count() < total and all("开放日" in rows.nth(i).inner_text() for i in range(rows.count()))
    shot(page, "tasks-search")

    # The month grid: the 1st under its weekday.
    page.goto(f"{site}/admin/calendar?view=month&day=2026-10-01")
    first = page.locator("table.calendar-grid td:has(time[datetime='2026-10-01'])")
    column = first.evaluate("cell => cell.cellIndex")
    assert column == date(2026, 10, 1).weekday()
    shot(page, "calendar-month-october")

    # The dashboard with something to show: people, a group, this week's tasks.
    import_roster(db, school, [NewMember("周敏", (RoleRow("体育老师", subject="体育"),), dingtalk_user_id="dt-zhou"),
                               NewMember("陈立", (RoleRow("班主任", "三年级"),), dingtalk_user_id="dt-chen")])
    chats.sync_robot_groups(db, school, settings.groups)
    page.goto(f"{site}/admin/")
    shot(page, "home")

    # A second upload left in review, so the review page is among the pages below.
    page.goto(f"{site}/admin/plans/upload")
    page.set_input_files("input[name=plan]", str(plan))
    submit(page, "上传并预览")
    review = page.url[len(site):]
    assert re.fullmatch(r"/admin/plans/drafts/\d+", review), review

    # Every page on a phone: nothing scrolls sideways.
    phone.context.add_cookies(page.context.cookies())
    task_id = plans.list_tasks(db, school)[0].id
    group_id = chats.school_chats(db, school)[0].id
    pages = {"login": "/admin/login", "home": "/admin/", "upload": "/admin/plans/upload", "review": review,
             "tasks": "/admin/tasks", "task": f"/admin/tasks/{task_id}", "task-new": "/admin/tasks/new", "week": "/admin/calendar", "month": "/admin/calendar?view=month&day=2026-10-01",
             "board": "/admin/board", "terms": "/admin/terms", "groups": "/admin/groups", "group": f"/admin/groups/{group_id}",
             "people": "/admin/people", "feed": "/admin/feed", "school": "/admin/school"}
    for name, path in pages.items():
        for viewer, prefix in ((phone, "phone-"), (page, "")):
            viewer.goto(site + path)
            assert viewer.url.startswith(site + path.split("?")[0]), name
            assert no_sideways_scroll(viewer), f"{name} scrolls sideways at {viewer.viewport_size['width']} px"
            shot(viewer, prefix + name)
    link_buttons = (("/admin/people", "button", "设为管理员"),   # link-styled buttons are visible, not white on white
                    ("/admin/terms", "form[action$='/terms/delete'] button", "删除"),
                    ("/admin/terms", "form[action$='/holidays/delete'] button", "删除"))
    for path, selector, label in link_buttons:
        phone.goto(site + path)
        button = phone.locator(selector, has_text=label).first
        assert button.is_visible(), f"{selector} on {path}"
        color = button.evaluate("b => getComputedStyle(b).color")
        assert color not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), f"{selector} on {path} is {color}"

    # Removing the plan takes its tasks away.
    page.goto(f"{site}/admin/")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("form[action*='/remove'] button").first.click()
    assert "已删除计划" in page.inner_text(".notice") and plans.list_tasks(db, school) == []
    shot(page, "home-plan-removed")
