"""The office's pages in a real headless Chromium (Debian's, driven by Playwright), against the app
on 127.0.0.1: sign in, upload seed 002 as a Word document, correct a date, find it in the calendar
and in the feed. Screenshots go to tests/artifacts/ (ignored by git)."""
from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests
from werkzeug.security import generate_password_hash

from bot.app import create_app
from bot.config import AdminWebSettings, SchoolSettings, Settings, Term
from tests.conftest import shared_or_skip
from tests.factories.plan_files import text_plan_to_docx
from tests.servers import serving

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PASSWORD = "office-password-for-tests"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (python3 dev.py test installs it with apt-get as root)")


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def site(sqlite_database):
    settings = Settings(
        school=SchoolSettings(name="青禾小学", terms=(Term("第一学期", date(2025, 9, 1), date(2026, 1, 20)),
                                                   Term("第二学期", date(2026, 2, 23), date(2026, 7, 10)))),
        admin_web=AdminWebSettings(password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"),
                                   secret_key="browser-test-secret"),
    )
    with serving(create_app(settings, sqlite_database)) as url:
        yield url


def submit(page, text: str) -> None:
    """Click a form's button and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(f"button:has-text('{text}')")


def test_upload_seed_002_correct_a_date_and_see_it_in_calendar_and_feed(browser, site, tmp_path):
    seed = next((shared_or_skip() / "seeds").glob("002_*.txt"))
    plan = text_plan_to_docx(seed.read_text(encoding="utf-8"), tmp_path / "学校工作计划.docx")
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    page.goto(f"{site}/admin/tasks")
    assert "/admin/login" in page.url                           # signed out: sent to sign in
    page.fill("input[name=password]", "wrong password")
    submit(page, "登录")
    assert "密码不对" in page.content()
    page.fill("input[name=password]", PASSWORD)
    submit(page, "登录")
    page.wait_for_url(re.compile(r"/admin/tasks$"))

    page.goto(f"{site}/admin/plans/upload")
    page.set_input_files("input[name=plan]", str(plan))
    submit(page, "上传并预览")
    page.wait_for_url(re.compile(r"/admin/plans/drafts/\d+$"))
    found = int(re.search(r"找到 (\d+) 项任务", page.inner_text("main")).group(1))
    assert found >= 10 and page.locator("mark").count() > 0
    page.screenshot(path=str(ARTIFACTS / "review.png"), full_page=True)
    submit(page, "确认导入")
    page.wait_for_url(re.compile(r"/admin/tasks$"))
    assert "已导入" in page.inner_text(".notice")

    row = page.locator("tbody tr", has=page.locator("td:nth-child(3)", has_text=re.compile(r"\d+月"))).first
    number = row.locator("td:nth-child(2)").inner_text().strip()
    title = row.locator("td:nth-child(4)").inner_text().strip()
    row.locator("text=修改").click()
    moved = date(2026, 5, 20)
    page.fill("input[name=start]", moved.isoformat())
    page.fill("input[name=end]", moved.isoformat())
    submit(page, "保存")
    page.wait_for_url(re.compile(r"/admin/tasks$"))
    assert f"已保存 {number}" in page.inner_text(".notice")

    page.goto(f"{site}/admin/calendar?day={moved.isoformat()}")
    day = page.locator("table.calendar-grid td:has(time[datetime='2026-05-20'])")
    assert f"{number} {title}" in day.inner_text()
    page.screenshot(path=str(ARTIFACTS / "calendar-week.png"), full_page=True)

    page.goto(f"{site}/admin/feed")
    feed_url = page.locator("input.wide").first.input_value()
    feed = requests.get(feed_url.replace("http://localhost", site), timeout=10)
    event = next(block for block in feed.text.split("BEGIN:VEVENT")[1:] if f"SUMMARY:{number} {title}"[:40] in block.replace("\r\n ", ""))
    assert f"DTSTART;VALUE=DATE:{moved:%Y%m%d}" in event and f"DTEND;VALUE=DATE:{moved + timedelta(days=1):%Y%m%d}" in event

    phone = browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{site}/admin/calendar?day={moved.isoformat()}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375 + 1   # no sideways scrolling on a phone
    phone.screenshot(path=str(ARTIFACTS / "calendar-phone.png"), full_page=True)
