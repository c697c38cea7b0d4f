"""Status by reply: roles and units (pure), the roster import, and reports, tallies, progress and
我的任务 through the dispatcher on a real database (SQLite and PostgreSQL)."""
from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from bot.config import SchoolSettings, Settings, Term
from bot.dispatch import Dispatcher
from bot.members import import_roster_file
from bot.messages import IncomingMessage
from bot.people.progress import progress_of
from bot.people.roles import Person, Role, owner_parts, parse_roles, units_for
from bot.people.roster import RosterError, read_roster_bytes
from bot.plan_import import import_file
from bot.task_dates import period_start
from bot.timegrammar.recurrence import Recurrence
from storage import people, status
from storage.models import Member, StatusReport
from storage.plans import ensure_school, list_tasks
from tests.commands import run_bot

TZ = ZoneInfo("Asia/Shanghai")
TERM = Term("第一学期", date(2026, 9, 1), date(2027, 1, 22))
PLAN = """青禾小学2026-2027学年第一学期工作计划

一、重点工作
1. 10月20日前，各班主任提交家访记录。
2. 10月16日，教务处完成试卷命题审核。
3. 11月份，各教研组长组织一次公开课。
4. 每月底前，教务处检查作业批改情况。
5. 10月23日，全体教师参加消防演练。
"""
ROSTER = """姓名,角色,部门,年级,钉钉userId,企业微信userid,手机,管理员
王芳,班主任,,三年级,dt-wang,wx-wang,138 0000 0001,
李强,班主任、数学教研组长,,四年级,dt-li,wx-li,13800000002,
赵敏,,教务处,,dt-zhao,wx-zhao,13800000003,是
陈杰,,教务处,,dt-chen,,13800000004,
"""


# --- pure: roles, units, progress ------------------------------------------------------------

def test_roles_as_schools_write_them():
    assert parse_roles("三年级班主任、数学教研组长") == [Role("班主任", "三年级"), Role("教研组长", subject="数学")]
    assert parse_roles("班主任（初二）") == [Role("班主任", "初二")]
    assert parse_roles("三年级 班主任") == [Role("班主任", "三年级")]
    assert parse_roles("班主任", grade="五年级") == [Role("班主任", "五年级")]
    assert parse_roles("道德与法治备课组") == [Role("备课组长", subject="道德与法治")]


def test_owner_parts():
    assert [p.name for p in owner_parts("教务处、各班主任")] == ["教务处", "班主任"]
    assert owner_parts("全体教师")[0].everyone
    assert owner_parts("语文教研组")[0].subject == "语文"
    assert owner_parts(None) == []


STAFF = [Person(1, "王芳", None, (Role("班主任", "三年级"),)), Person(2, "李强", None, (Role("班主任", "四年级"),)),
         Person(3, "赵敏", "教务处", ()), Person(4, "陈杰", "教务处", ())]


def test_units_roles_one_by_one_departments_as_one():
    assert [u.label for u in units_for("各班主任", STAFF)] == ["王芳", "李强"]
    assert [u.label for u in units_for("三年级班主任", STAFF)] == ["王芳"]
    (office,) = units_for("教务处", STAFF)
    assert office.is_department and office.member_ids == (3, 4)
    assert len(units_for("全体教师", STAFF)) == 4
    assert units_for("体育组", STAFF) == ()


class R:
    def __init__(self, member_id, status, minutes, note=None):
        self.member_id, self.status, self.note = member_id, status, note
        self.reported_at = datetime(2026, 10, 12, 8, 0, tzinfo=timezone.utc) + timedelta(minutes=minutes)


def test_progress_tallies_and_undo():
    units = units_for("各班主任", STAFF)
    progress = progress_of(units, {1: R(1, "done", 1), 2: R(2, "blocked", 2, "缺少场地")}, {})
    assert progress.tally() == "1/2 已完成，1 有困难"
    assert progress_of(units, {1: R(1, "todo", 3)}, {}).tally() == "0/2 已完成"   # an undo is back to not reported
    office = units_for("教务处", STAFF)
    assert progress_of(office, {4: R(4, "done", 1)}, {}).tally() == "1/1 已完成"  # any member completes it
    assert progress_of(office, {4: R(4, "done", 1), 3: R(3, "todo", 2)}, {}).tally() == "0/1 已完成"  # latest wins
    assert progress_of((), {9: R(9, "done", 1)}, {9: "孙老师"}).tally() == "1 人已完成"  # nobody known: open


def test_recurring_duties_start_a_new_round():
    monday = date(2026, 10, 12)
    assert period_start(Recurrence("weekly", weekdays=(1,)), date(2026, 10, 15), TERM) == monday
    assert period_start(Recurrence("monthly", part="end"), date(2026, 10, 15), TERM) == date(2026, 10, 1)
    assert period_start(Recurrence("termly"), date(2026, 10, 15), TERM) == TERM.start
    assert period_start(None, date(2026, 10, 15), TERM) is None


# --- the roster file -------------------------------------------------------------------------

def test_roster_csv_in_gbk_and_xlsx_with_a_title_row(tmp_path):
    entries = read_roster_bytes(ROSTER.encode("gb18030"), "名单.csv")
    assert [e.name for e in entries] == ["王芳", "李强", "赵敏", "陈杰"]
    assert entries[0].mobile == "13800000001" and entries[0].roles == (Role("班主任", "三年级"),)
    assert entries[1].roles == (Role("班主任", "四年级"), Role("教研组长", "四年级", "数学"))
    assert entries[2].is_admin and entries[2].department == "教务处"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["青禾小学教职工名单"])
    sheet.append(["序号", "姓名", "职务", "手机号码", "钉钉ID"])
    sheet.append([1, "王芳", "三年级班主任", 13800000001, "dt-wang"])
    path = tmp_path / "名单.xlsx"
    book.save(path)
    (entry,) = read_roster_bytes(path.read_bytes(), path.name)
    assert (entry.name, entry.mobile, entry.dingtalk_user_id, entry.roles) == ("王芳", "13800000001", "dt-wang", (Role("班主任", "三年级"),))


@pytest.mark.parametrize("text, says", [
    ("名字缺失,角色\n,班主任\n", "找不到“姓名”列"),
    ("姓名,角色,钉钉userId\n王芳,班主任,dt-1\n,班主任,dt-2\n", "第 3 行没有姓名"),
    ("姓名,钉钉userId\n王芳,dt-1\n李强,dt-1\n", "第 2 行和第 3 行的钉钉 userId相同"),
    ("姓名,角色\n", "表头下面没有人员"),
])
def test_bad_rosters_say_which_row(text, says):
    with pytest.raises(RosterError, match=says):
        read_roster_bytes(text.encode(), "名单.csv")


# --- through the dispatcher ------------------------------------------------------------------

class School:
    def __init__(self, database, tmp_path) -> None:
        self.db = database
        self.settings = Settings(school=SchoolSettings(name="青禾小学", terms=(TERM,)))
        plan = tmp_path / "计划.txt"
        plan.write_text(PLAN, encoding="utf-8")
        import_file(plan, self.settings, database)
        roster = tmp_path / "名单.csv"
        roster.write_text(ROSTER, encoding="utf-8")
        import_roster_file(roster, self.settings, database)
        self.dispatcher = Dispatcher(self.settings, database)
        self.numbers = {t.title: t.number for t in _tasks(database)}

    def say(self, who: str, text: str, day: date = date(2026, 10, 14), admin: bool = False, quoted: str = "",
            msg_id: str | None = None, mentioned: tuple[str, ...] = ()) -> str:
        message = IncomingMessage("dingtalk", msg_id or uuid.uuid4().hex, "cid-staff", who, NAMES.get(who, "新老师"), text,
                                  datetime.combine(day, datetime.min.time(), TZ) + timedelta(hours=9), True, admin,
                                  "教师群", quoted, mentioned)
        reply = self.dispatcher.handle(message)
        return reply.markdown if reply else ""

    def n(self, words: str) -> int:
        return next(number for title, number in self.numbers.items() if words in title)


NAMES = {"dt-wang": "王芳", "dt-li": "李强", "dt-zhao": "赵敏", "dt-chen": "陈杰"}


def _tasks(db):
    return list_tasks(db, ensure_school(db, "青禾小学"))


@pytest.fixture
def school(database, tmp_path):
    return School(database, tmp_path)


def test_report_tally_undo_and_progress(school):
    visits = school.n("家访")
    assert f"已记录：王芳 #{visits} 各班主任提交家访记录 → 已完成。当前 1/2 已完成。" in school.say("dt-wang", f"完成 {visits}")
    assert "有困难（缺少车辆）" in school.say("dt-li", f"{visits} 有困难，缺少车辆")
    progress = school.say("dt-zhao", f"{visits} 进度")
    assert "1/2 已完成，1 有困难" in progress and "**已完成（1）**：王芳" in progress and "李强：缺少车辆" in progress
    assert "已撤销" in school.say("dt-wang", f"撤销 {visits}")
    assert "**未上报（1）**：王芳" in school.say("dt-zhao", f"谁还没完成{visits}")
    with school.db.transaction() as s:
        assert s.query(StatusReport).count() == 3   # history, nothing overwritten


def test_a_department_task_is_done_by_any_member(school):
    review = school.n("命题审核")
    assert "当前 1/1 已完成" in school.say("dt-chen", f"{review} 已完成")
    assert "**已完成（1）**：教务处（陈杰）" in school.say("dt-wang", f"{review} 进度")


def test_reports_that_change_nothing(school):
    visits, review = school.n("家访"), school.n("命题审核")
    assert "不在" in school.say("dt-zhao", f"完成 {visits}") and "负责：班主任" in school.say("dt-zhao", f"完成 {visits}")
    assert "没有编号为 #999" in school.say("dt-wang", "完成 999")
    assert "只能上报自己的进度" in school.say("dt-wang", f"完成 {visits} 李强")
    assert "没有找到名称含“运动会”" in school.say("dt-wang", "运动会 已完成")
    assert "不在" in school.say("dt-new", f"完成 {review}")    # someone new, known from now on but not in 教务处
    with school.db.transaction() as s:
        assert s.query(StatusReport).count() == 0


def test_admins_report_for_others_by_name_or_mention(school):
    visits = school.n("家访")
    assert "已记录：李强" in school.say("dt-zhao", f"完成 {visits} 李强")          # 赵敏 is an admin in the roster
    assert "已记录：王芳" in school.say("dt-x", f"{visits} 已完成", admin=True, mentioned=("dt-wang",))
    assert "2/2 已完成" in school.say("dt-wang", f"{visits} 进度")


def test_a_bare_done_takes_the_quoted_task_or_asks(school):
    visits = school.n("家访")
    asked = school.say("dt-wang", "已完成")
    assert "请问是哪一项" in asked and f"#{visits}" in asked
    assert "已记录：王芳" in school.say("dt-wang", "已完成", quoted=f"明天（10月20日）：#{visits} 各班主任提交家访记录")


def test_a_task_named_by_its_title(school):
    assert "已记录：赵敏" in school.say("dt-zhao", "作业批改 已完成")
    ambiguous = school.say("dt-zhao", "教务处 已完成")
    assert "请问是哪一项" in ambiguous and "命题审核" in ambiguous and "作业批改" in ambiguous


def test_my_tasks(school):
    mine = school.say("dt-li", "我的任务")
    assert "家访记录" in mine and "公开课" in mine and "消防演练" in mine and "命题审核" not in mine
    school.say("dt-li", f"完成 {school.n('家访')}")
    assert "家访记录" not in school.say("dt-li", "我的任务")
    assert "逾期" not in mine
    late = school.say("dt-wang", "我的任务", day=date(2026, 10, 21))
    assert "家访记录" in late and "已过期" in late


def test_this_weeks_answer_shows_tallies(school):
    school.say("dt-wang", f"完成 {school.n('家访')}")
    week = school.say("dt-wang", "下周有什么任务", day=date(2026, 10, 14))
    assert "提交家访记录（班主任） · 1/2 已完成" in week


def test_a_redelivered_report_is_recorded_once(school):
    visits = school.n("家访")
    school.say("dt-wang", f"完成 {visits}", msg_id="same")
    assert school.say("dt-wang", f"完成 {visits}", msg_id="same") == ""
    assert status.report_count(school.db, _task_id(school.db, visits)) == 1


def _task_id(db, number):
    return next(t.id for t in _tasks(db) if t.number == number)


def test_fifty_teachers_report_at_once(database, tmp_path):
    """Every report stored and the tally right, with 50 writers racing on one task."""
    roster = "姓名,角色,钉钉userId\n" + "".join(f"老师{i:02d},班主任,dt-{i}\n" for i in range(50))
    path = tmp_path / "名单.csv"
    path.write_text(roster, encoding="utf-8")
    settings = Settings(school=SchoolSettings(name="青禾小学", terms=(TERM,)))
    plan = tmp_path / "计划.txt"
    plan.write_text(PLAN, encoding="utf-8")
    import_file(plan, settings, database)
    import_roster_file(path, settings, database)
    dispatcher = Dispatcher(settings, database)
    visits = next(t.number for t in _tasks(database) if "家访" in t.title)

    def report(i: int) -> str:
        message = IncomingMessage("dingtalk", f"m-{i}", "cid-staff", f"dt-{i}", f"老师{i:02d}", f"完成 {visits}",
                                  datetime(2026, 10, 14, 9, 0, tzinfo=TZ), True, False, "教师群")
        return dispatcher.handle(message).markdown

    with ThreadPoolExecutor(max_workers=50) as pool:
        replies = list(pool.map(report, range(50)))
    assert all("已记录" in r for r in replies), [r for r in replies if "已记录" not in r][:3]
    assert status.report_count(database, _task_id(database, visits)) == 50
    tallies = [r.split("当前 ")[1] for r in replies]
    assert "50/50 已完成。" in tallies
    assert "50/50 已完成" in dispatcher.handle(IncomingMessage("dingtalk", "m-q", "cid-staff", "dt-0", "老师00", f"{visits} 进度",
                                                              datetime(2026, 10, 14, 9, 5, tzinfo=TZ))).markdown


def test_members_import_and_export_commands(sqlite_database, tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text(f"database: {{url: '{sqlite_database.url}'}}\nschool:\n  name: 青禾小学\n  terms:\n"
                      "    - {name: 第一学期, start: 2026-09-01, end: 2027-01-22}\n", encoding="utf-8")
    plan, roster = tmp_path / "计划.txt", tmp_path / "名单.csv"
    plan.write_text(PLAN, encoding="utf-8")
    roster.write_text(ROSTER, encoding="utf-8")

    def run(*args):
        return run_bot(*args, "--config", config)

    assert run("plan", "import", plan).returncode == 0
    done = run("members", "import", roster)
    assert done.returncode == 0 and "共 4 人（新增 4，更新 0）" in done.stdout
    assert "新增 0，更新 4" in run("members", "import", roster).stdout
    bad = tmp_path / "坏.csv"
    bad.write_text("姓名,钉钉userId\n甲,x\n乙,x\n", encoding="utf-8")
    refused = run("members", "import", bad)
    assert refused.returncode == 1 and refused.stderr.startswith("错误：") and len(people.load_members(sqlite_database, 1)) == 4
    dispatcher = Dispatcher(Settings(school=SchoolSettings(name="青禾小学", terms=(TERM,))), sqlite_database)
    visits = next(t.number for t in _tasks(sqlite_database) if "家访" in t.title)
    dispatcher.handle(IncomingMessage("dingtalk", "m-1", "cid", "dt-wang", "王芳", f"完成 {visits}",
                                      datetime(2026, 10, 14, 9, 30, tzinfo=TZ)))
    out = tmp_path / "进度.csv"
    exported = run("export", "status", "--term", "第一学期", "--format", "csv", "--output", out)
    assert exported.returncode == 0, exported.stderr
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("编号,任务,日期,负责,进度,") and "王芳" in lines[0] and "赵敏（教务处）" in lines[0]
    row = next(line for line in lines if "家访" in line)
    assert row.endswith(",班主任,1/2 已完成,,未上报,已完成 10-14 09:30,,")   # no read receipts; 李强, 王芳, then 教务处's two
    xlsx = tmp_path / "进度.xlsx"
    assert run("export", "status", "--term", "第一学期", "--output", xlsx).returncode == 0
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet["A1"].value == "编号" and sheet.max_row == len(lines)
    unknown = run("export", "status", "--term", "第三学期")
    assert unknown.returncode == 1 and "第一学期" in unknown.stderr


def test_a_nickname_never_takes_over_an_admins_roster_row(database, tmp_path):
    """A 管理员 on the roster with no platform id yet: someone whose nickname is that name gets a row of
    their own, no admin rights, and cannot report for others."""
    school = School(database, tmp_path)
    roster = tmp_path / "名单2.csv"
    roster.write_text(ROSTER + "孙丽,,教务处,,,,,是\n", encoding="utf-8")
    import_roster_file(roster, school.settings, database)
    visits = school.n("家访")
    NAMES["dt-fake"] = "孙丽"
    try:
        assert "只能上报自己的进度" in school.say("dt-fake", f"完成 {visits} 李强")
    finally:
        del NAMES["dt-fake"]
    with database.transaction() as s:
        assert s.query(StatusReport).count() == 0
        sun = [m for m in s.query(Member).all() if m.name == "孙丽"]
        assert len(sun) == 2 and sum(1 for m in sun if m.is_admin) == 1 and all(m.dingtalk_user_id != "dt-fake" for m in sun if m.is_admin)


def test_a_long_progress_list_is_shortened_not_dropped(sqlite_database, tmp_path):
    """A thousand 班主任: each list keeps its first names and says how many in all, within the message's size."""
    many = "".join(f"教师{i:04d},班主任,,{1 + i % 6}年级,dt-{i},,,\n" for i in range(1000))
    roster = tmp_path / "名单.csv"
    roster.write_text(ROSTER + many, encoding="utf-8")
    settings = Settings(school=SchoolSettings(name="青禾小学", terms=(TERM,)))
    plan = tmp_path / "计划.txt"
    plan.write_text(PLAN, encoding="utf-8")
    import_file(plan, settings, sqlite_database)
    import_roster_file(roster, settings, sqlite_database)
    school = School.__new__(School)
    school.db, school.settings, school.dispatcher = sqlite_database, settings, Dispatcher(settings, sqlite_database)
    school.numbers = {t.title: t.number for t in _tasks(sqlite_database)}
    visits = school.n("家访")
    school.say("dt-0", f"完成 {visits}")   # one through the chat; the other 299 straight into storage (quicker)
    from storage.people import load_members
    from storage.status import NewReport, record_report
    ids = {m.dingtalk_user_id: m.id for m in load_members(sqlite_database, ensure_school(sqlite_database, "青禾小学"))}
    task_id = next(t.id for t in _tasks(sqlite_database) if t.number == visits)
    for i in range(1, 300):
        record_report(sqlite_database, NewReport(task_id, ids[f"dt-{i}"], ids[f"dt-{i}"], "done", "完成"))
    progress = school.say("dt-zhao", f"{visits} 进度")
    assert "**已完成（300）**：教师0000、" in progress and "等 300 人" in progress
    assert "**未上报（702）**：" in progress and "等 702 人" in progress
    assert "没有显示" not in progress and len(progress.encode()) <= 3800   # DEFAULT_REPLY_BYTES
    from bot.context import ChatContext
    from bot.reminders.messages import render
    from storage.deliveries import DeliveryRow
    task = next(t for t in _tasks(sqlite_database) if t.number == visits)
    chase = render(DeliveryRow("k", "chase", task.id, 1, task.end, datetime(2026, 10, 20, tzinfo=TZ), id=1, state="pending"),
                   task, ChatContext(sqlite_database, ensure_school(sqlite_database, "青禾小学"), date(2026, 10, 20), (TERM,), tz=TZ))
    assert "等 702 人" in chase.markdown and len(chase.markdown.encode()) <= 3800
