"""What the office's pages show that other tests left unasserted, through Flask's test client on real
SQLite: the home page's "robots failing" section, the set-up form's terms prefilled whole from a
plan's school year, and the progress board's dates with their years.

The holiday notice ("请补充春节、清明…") and each plan's unread-dates count on the home page are
asserted in tests/test_office_setup.py and are not repeated here."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from bot import schools
from bot.app import create_app
from bot.config import RobotGroup, Settings
from bot.plan_import import import_file
from storage import chats, deliveries, plans
from storage.deliveries import DeliveryState, NewDelivery, ReminderKind
from tests.test_admin_web import settings_with, sign_in, token
from tests.test_office_setup import office, setup_form, unconfigured  # noqa: F401  (office: the fixture)

FAILING, QUIET, OLD_TROUBLE = "三年级组", "全体教师群", "四年级组"


def robots(page: str) -> str:
    """The home page's failing-robots section, or "" when it has none."""
    found = re.search(r'<section class="error dash-robots".*?</section>', page, re.S)
    return found.group(0) if found else ""


def ledger(db, chat_id: int, key: str, due: datetime, state: DeliveryState) -> None:
    deliveries.record(db, [NewDelivery(key, ReminderKind.EVE, None, chat_id, due.date(), due)])
    row = next(r for r in deliveries.outstanding(db, due + timedelta(minutes=1)) if r.dedupe_key == key)
    deliveries.mark(db, row.id, state, "errcode 310000 keywords not in content")


def test_the_home_page_names_the_groups_whose_robots_fail_and_only_them(sqlite_database):
    base = settings_with()
    settings = Settings(school=base.school, admin_web=base.admin_web,
                        groups=tuple(RobotGroup(name, "dingtalk", f"http://127.0.0.1:9/robot/send?access_token={n}")
                                     for n, name in enumerate((FAILING, QUIET, OLD_TROUBLE))))
    client = create_app(settings, sqlite_database).test_client()
    sign_in(client)
    db, school = sqlite_database, schools.home_school(sqlite_database, settings.school)
    chats.sync_robot_groups(db, school, settings.groups)
    ids = {g.name: g.id for g in chats.school_chats(db, school)}

    calm = client.get("/admin/").get_data(as_text=True)
    assert robots(calm) == "" and "机器人发送失败" not in calm          # no failures: no section at all

    now = datetime.now(timezone.utc)
    ledger(db, ids[FAILING], "eve:1", now - timedelta(hours=2), DeliveryState.FAILED)
    ledger(db, ids[FAILING], "eve:2", now - timedelta(hours=1), DeliveryState.FAILED)
    ledger(db, ids[FAILING], "eve:3", now - timedelta(minutes=30), DeliveryState.RETRY)
    ledger(db, ids[QUIET], "eve:4", now - timedelta(hours=1), DeliveryState.SENT)         # delivered: no trouble
    ledger(db, ids[OLD_TROUBLE], "eve:5", now - timedelta(days=4), DeliveryState.FAILED)  # older than 3 days
    section = robots(client.get("/admin/").get_data(as_text=True))
    assert "机器人发送失败" in section
    assert f"{FAILING}：近 3 天 2 条没发出去，1 条等待重试" in section
    assert QUIET not in section and OLD_TROUBLE not in section


def test_setup_prefills_both_terms_whole_from_the_newest_plan_s_school_year(sqlite_database, tmp_path):
    settings = unconfigured()
    client = create_app(settings, sqlite_database).test_client()
    (tmp_path / "旧计划.txt").write_text("2023-2024学年第一学期教导处工作计划\n一、活动安排\n1. 10月18日，举行秋季运动会。\n",
                                          encoding="utf-8")
    import_file(tmp_path / "旧计划.txt", settings, sqlite_database)
    [plan] = plans.list_plans(sqlite_database, schools.home_school(sqlite_database, settings.school))
    assert plan.school_year.startswith("2023-2024")
    form = setup_form(client)
    # autumn from 1 September to the Friday before 23 January, spring from the Monday after
    # 20 February to the Friday before 5 July, all in the plan's school year, not this one
    assert (form["term0_name"], form["term0_start"], form["term0_end"]) == ("2023-2024学年第一学期", "2023-09-01", "2024-01-19")
    assert (form["term1_name"], form["term1_start"], form["term1_end"]) == ("2023-2024学年第二学期", "2024-02-26", "2024-07-05")

    (tmp_path / "新计划.txt").write_text("2025-2026学年第一学期德育工作计划\n一、活动安排\n1. 10月16日，举行秋季运动会。\n",
                                          encoding="utf-8")
    import_file(tmp_path / "新计划.txt", settings, sqlite_database)
    newer = setup_form(client)                                              # the newest plan's year wins
    assert (newer["term0_start"], newer["term0_end"]) == ("2025-09-01", "2026-01-23")
    assert (newer["term1_name"], newer["term1_start"], newer["term1_end"]) == ("2025-2026学年第二学期", "2026-02-23", "2026-07-03")


def test_the_board_shows_each_task_s_dates_with_the_year(office):  # noqa: F811
    client, db, school = office
    client.post("/admin/tasks/new", data={"title": "寒假前安全教育周", "start": "2026-12-28", "end": "2027-01-05", "owner": "",
                                          "csrf_token": token(client, "/admin/tasks/new")})
    board = client.get("/admin/board").get_data(as_text=True)

    def when(title: str) -> str:
        row = board[board.rindex("<tr", 0, board.index(title)):board.index(title)]
        return re.search(r"<td>#\d+</td>\s*<td>(.*?)</td>", row, re.S).group(1)

    assert when("全体教师参加消防演练") == "2026-10-23"                    # one day: its whole date
    assert when("各教研组长组织一次公开课") == "2026-11-01～11-30"           # a span within a year: the year once
    assert when("寒假前安全教育周") == "2026-12-28～2027-01-05"             # a span over New Year: both years
    assert all(re.match(r"\d{4}-\d{2}-\d{2}", when(t.title)) for t in plans.list_tasks(db, school) if t.start)
