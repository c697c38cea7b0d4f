"""The pieces behind a chat answer, each on its own: forgiving topics, due dates, the phone layout,
the digest that follows the same rules, and reports that only a plain report can make."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot import agenda
from bot.config import SchoolSettings, Settings, Term
from bot.context import ChatContext
from bot.dispatch import Dispatcher
from bot.messages import IncomingMessage
from bot.plan_import import import_file
from bot.reminders.messages import render
from bot.task_dates import due_in
from bot.understanding import parse
from bot.understanding.topics import CLOSE, LOOSE, topic_score
from storage.deliveries import DeliveryRow
from tests.conftest import ROOT

TERM = Term("第一学期", date(2026, 9, 1), date(2027, 1, 22))
TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class T:
    number: int
    title: str
    start: date | None = None
    end: date | None = None
    recurrence: str | None = None
    term_anchor: str | None = None
    owner: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    week: int | None = None

    @property
    def id(self) -> int:
        return self.number


@pytest.mark.parametrize("topic, words, at_least", [
    ("运动会", "秋季师生运动会", 1.0),           # written in the title
    ("運動會", "秋季师生运动会", 1.0),           # 繁体 folded
    ("考期中", "期中考试", LOOSE),               # the same characters, another order: offered as the nearest
    ("习惯养成督导", "教学常规例查和习惯养成教育督导工作", CLOSE),   # words left out between
    ("期中质量检测", "期中考试和基础知识的检测考试", LOOSE),   # 检测 and 考试 are one kind of event
    ("班主任费", "计算教师的班主任费、课后延时费", 1.0),
])
def test_a_topic_matches_the_way_teachers_name_it(topic, words, at_least):
    assert topic_score(topic, [words]) >= at_least


@pytest.mark.parametrize("topic, words", [("升旗", "秋季师生运动会"), ("公开课", "青年教师过关课活动"), ("家长会", "长跑比赛家校")])
def test_scattered_characters_are_no_match(topic, words):
    assert topic_score(topic, [words]) < LOOSE


def test_the_one_character_that_differs_keeps_a_task_out_of_the_answer():
    assert topic_score("期中考试", ["期末考试和基础知识的检测考试"]) < CLOSE


def test_due_days_of_each_kind_of_task():
    week = (date(2026, 10, 12), date(2026, 10, 18))
    assert due_in(T(1, "上交教案", date(2026, 10, 1), date(2026, 10, 16)), "上交教案", *week, TERM) == date(2026, 10, 16)
    # A month end on a Saturday is due the Friday before.
    assert due_in(T(2, "月底例查", recurrence="monthly:end"), "月底例查", date(2026, 10, 26), date(2026, 11, 1), TERM) == date(2026, 10, 30)
    assert due_in(T(3, "计算班主任费", recurrence="monthly:by8"), "计算班主任费", date(2026, 11, 2), date(2026, 11, 8), TERM) == date(2026, 11, 6)   # the 8th is a Sunday
    assert due_in(T(4, "提交简笔画", recurrence="weekly:FRI"), "提交简笔画", *week, TERM) == date(2026, 10, 16)
    assert due_in(T(5, "升旗仪式", recurrence="weekly:MON"), "升旗仪式", *week, TERM) is None   # an event, nothing to hand in
    assert due_in(T(6, "学期总结", recurrence="termly"), "学期总结", date(2027, 1, 18), date(2027, 1, 24), TERM) == date(2027, 1, 22)
    # Outside the term routine duties are due nowhere.
    assert due_in(T(4, "提交简笔画", recurrence="weekly:FRI"), "提交简笔画", date(2027, 1, 25), date(2027, 1, 31), TERM) is None


def test_layout_keeps_to_its_budget_and_cuts_the_biggest_group_first():
    groups = [agenda.Group("**A**", [f"- #{i} a" for i in range(12)], "，发“A”查看"),
              agenda.Group("**B**", ["- #100 b", "- #101 b"])]
    lines = agenda.lay_out("#### t", groups, ["tail"], budget=10)
    assert len(lines) <= 10
    assert "- #100 b" in lines and "- #101 b" in lines            # the small group is whole
    assert any(line.startswith("……另有") and "发“A”查看" in line for line in lines)


def test_the_same_task_named_twice_in_a_plan_is_listed_once():
    month = (date(2026, 10, 1), date(2026, 10, 31))
    found = agenda.sort_span([T(1, "完善课程目标", *month), T(2, "完善课程目标", *month), T(3, "歌唱比赛", *month)],
                             date(2026, 10, 12), date(2026, 10, 18), TERM, duties_rest=False)
    assert [t.number for t in found.longer] == [1, 3]


def test_once_a_term_duties_join_only_an_answer_about_their_topic():
    duty = T(1, "上好一节公开课", recurrence="termly")
    week = (date(2026, 10, 19), date(2026, 10, 25))
    assert agenda.sort_span([duty], *week, TERM, duties_rest=False).empty
    assert agenda.sort_span([duty], *week, TERM, duties_rest=False, on_topic=True).this_term == [duty]


@pytest.mark.parametrize("text", ["收到", "好的", "好了", "交了", "ok了", "好的，周四前交", "收到，12马上交", "12完成了吗",
                                  "谁还没交12", "6还有谁没交", "12 什么时候完成", "做好了吗"])
def test_only_a_plain_report_reports(text):
    assert parse(text, date(2026, 12, 1)).kind != "report"


@pytest.mark.parametrize("text, status", [("12 好了", "done"), ("5 弄好了", "done"), ("#6 done", "done"), ("9 搞不定", "blocked"),
                                          ("撤消 4", "todo"), ("3 在弄", "doing"), ("12 来不及了", "blocked"), ("交了 8", "done")])
def test_reports_as_teachers_type_them(text, status):
    intent = parse(text, date(2026, 12, 1))
    assert (intent.kind, intent.status) == ("report", status)


def test_the_weekly_digest_is_the_weeks_answer(sqlite_database):
    settings = Settings(school=SchoolSettings(name="青禾小学", terms=(TERM,)))
    import_file(ROOT / "examples" / "sample_plan.docx", settings, sqlite_database)
    dispatcher = Dispatcher(settings, sqlite_database)
    monday = date(2026, 10, 12)
    asked = dispatcher.handle(IncomingMessage("dingtalk", "m1", "g", "u1", "王老师", "本周有什么任务",
                                              datetime(2026, 10, 12, 8, tzinfo=TZ))).markdown
    context = ChatContext(sqlite_database, dispatcher.school_id, monday, (TERM,))
    digest = render(DeliveryRow("k", "digest", None, 1, monday, datetime(2026, 10, 12, tzinfo=TZ), id=1, state="pending"), None, context)
    assert digest.markdown == asked
    assert len(digest.markdown.splitlines()) <= agenda.MAX_LINES
