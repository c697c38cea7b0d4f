"""Subject and grade groups as plan owners (语文组, 数学教研组, 三年级组): who they name on the
roster (pure), and who may then report on their tasks (through the dispatcher, real SQLite)."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import SchoolSettings, Settings, Term
from bot.dispatch import Dispatcher
from bot.members import import_roster_file
from bot.messages import IncomingMessage
from bot.people.roles import Person, Role, owner_parts, parse_roles, units_for
from bot.plan_import import import_file
from storage.models import StatusReport
from storage.plans import ensure_school, list_tasks

TZ = ZoneInfo("Asia/Shanghai")

# --- pure: who a group names -----------------------------------------------------------------

STAFF = [
    Person(1, "周岚", None, (Role("教研组长", subject="语文"),)),
    Person(2, "吴桐", None, (Role("班主任", "五年级", "语文"),)),
    Person(3, "郑航", None, (Role("教师", "五年级", "数学"),)),
    Person(4, "钱多", None, (Role("老师", subject="体育"),)),
    Person(5, "孔音", None, (Role("教师", subject="音乐"),)),
    Person(6, "冯画", "艺术组", ()),
    Person(7, "何平", "德育处", ()),
    Person(8, "许诺", None, (Role("教师", "初二", "道法"),)),
]


def ids(owner: str) -> list[tuple[int, ...]]:
    return [u.member_ids for u in units_for(owner, STAFF)]


def test_a_subject_group_is_its_teachers_with_the_leader_answering_as_one():
    (group,) = units_for("语文组", STAFF)
    assert group.is_department and group.label == "语文组" and group.member_ids == (1, 2)
    assert ids("语文教研组") == ids("语文备课组") == [(1, 2)]
    assert ids("数学组") == [(3,)]
    assert ids("体育组") == [(4,)]                # "体育老师" on the roster
    assert ids("艺术组") == [(5, 6)]              # 音乐 teachers, and the 艺术组 department
    assert ids("政治组") == [(8,)]                # 道法 is 道德与法治 is 政治


def test_a_grade_group_is_that_grades_teachers():
    assert ids("五年级组") == ids("5年级组") == [(2, 3)]
    assert ids("初二年级组") == [(8,)]
    assert ids("五年级数学备课组") == [(3,)]


def test_combinations_and_the_leaders_alone():
    assert ids("体育组、德育处") == [(4,), (7,)]
    assert ids("语文组和数学组") == [(1, 2), (3,)]
    assert ids("语文组长") == ids("语文教研组长") == [(1,)]          # the leader, for themselves
    assert ids("各语文老师") == [(1,), (2,)]                         # each 语文 teacher for themselves


def test_a_group_that_names_nobody_adds_nobody():
    assert ids("物理组") == []                           # nobody known: an open task, as for any such owner
    assert ids("物理组、德育处") == [(7,)]                # never widened beyond the parts that name someone
    assert [p.group for p in owner_parts("年级组、教研组、课题组")] == [False, False, False]


def test_roster_rows_keep_their_subject_and_grade():
    assert parse_roles("", grade="3年级", subject="初中语文") == [Role("教师", "三年级", "语文")]
    assert parse_roles("体育老师") == [Role("老师", subject="体育")]
    assert parse_roles("班主任、英语") == [Role("班主任"), Role("教师", subject="英语")]
    assert parse_roles("班主任", grade="初二年级") == [Role("班主任", "初二")]


# --- through the dispatcher: who may report ---------------------------------------------------
# Owners in brackets: prose such as "数学教研组开展…" is read today as owner 教研组 (bot/plan/owners.py).

TERM = Term("第一学期", date(2031, 9, 1), date(2032, 1, 16))
PLAN = """柳溪中学2031-2032学年第一学期工作计划

一、教学常规
1. 10月24日前，完成古诗文诵读展示方案（负责：语文组）。
2. 10月28日，开展一次同课异构（负责：数学教研组）。
3. 10月30日前，组织广播操比赛（负责：体育组、德育处）。
4. 10月31日前，提交实验室安全自查表（负责：物理组）。
5. 10月29日，召开期中质量分析会（负责：初二年级组）。
"""
ROSTER = """姓名,角色,部门,年级,学科,钉钉userId
周岚,语文教研组长,,初一,语文,dt-zhou
吴桐,班主任,,初二,语文,dt-wu
郑航,,,初一,数学,dt-zheng
钱多,体育老师,,,,dt-qian
何平,,德育处,,,dt-he
"""


class Staffroom:
    def __init__(self, database, tmp_path) -> None:
        self.db = database
        settings = Settings(school=SchoolSettings(name="柳溪中学", terms=(TERM,)))
        (tmp_path / "计划.txt").write_text(PLAN, encoding="utf-8")
        import_file(tmp_path / "计划.txt", settings, database)
        (tmp_path / "名单.csv").write_text(ROSTER, encoding="utf-8")
        import_roster_file(tmp_path / "名单.csv", settings, database)
        self.dispatcher = Dispatcher(settings, database)
        self.numbers = {t.title: t.number for t in list_tasks(database, ensure_school(database, "柳溪中学"))}

    def say(self, who: str, text: str) -> str:
        sent = datetime(2031, 10, 20, 9, 0, tzinfo=TZ)
        reply = self.dispatcher.handle(IncomingMessage("dingtalk", uuid.uuid4().hex, "cid-staff", who, "老师", text, sent))
        return reply.markdown if reply else ""

    def n(self, words: str) -> int:
        return next(number for title, number in self.numbers.items() if words in title)

    def reports(self) -> int:
        with self.db.transaction() as s:
            return s.query(StatusReport).count()


@pytest.fixture
def staffroom(sqlite_database, tmp_path):
    return Staffroom(sqlite_database, tmp_path)


def test_a_subject_teacher_reports_for_the_group_and_another_subject_may_not(staffroom):
    poems = staffroom.n("古诗文")
    refused = staffroom.say("dt-zheng", f"完成 {poems}")              # 数学
    assert "未记录" in refused and "不在" in refused and "负责：语文组" in refused
    assert staffroom.reports() == 0
    assert "当前 1/1 已完成" in staffroom.say("dt-wu", f"完成 {poems}")   # a 语文 teacher, not the leader
    assert "**已完成（1）**：语文组（吴桐）" in staffroom.say("dt-zhou", f"{poems} 进度")


def test_the_leader_and_the_subjects_teachers_see_the_groups_task_as_theirs(staffroom):
    assert "古诗文" in staffroom.say("dt-zhou", "我的任务")
    assert "同课异构" in staffroom.say("dt-zheng", "我的任务")
    assert "古诗文" not in staffroom.say("dt-zheng", "我的任务")


def test_a_combined_owner_and_a_grade_group(staffroom):
    drill = staffroom.n("广播操")
    assert "不在" in staffroom.say("dt-wu", f"完成 {drill}")
    assert "当前 1/2 已完成" in staffroom.say("dt-qian", f"完成 {drill}")     # 体育组 and 德育处: two units
    analysis = staffroom.n("质量分析")
    assert "不在" in staffroom.say("dt-zhou", f"完成 {analysis}")              # teaches 初一
    assert "当前 1/1 已完成" in staffroom.say("dt-wu", f"完成 {analysis}")


def test_a_group_nobody_on_the_roster_teaches_is_an_open_task(staffroom):
    lab = staffroom.n("实验室")
    assert "1 人已完成" in staffroom.say("dt-he", f"完成 {lab}")
    assert "名单中没有找到这项任务的负责人" in staffroom.say("dt-he", f"{lab} 进度")
    assert staffroom.reports() == 1
