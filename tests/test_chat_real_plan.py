"""The chat on a real plan: seed 002 (a month-table plan with many routine duties) imported for 2026-2027.

What a teacher sees on a phone: the week's events within 20 lines, topics found the way
teachers name them, 繁体 read, and a question that never changes anyone's status.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.config import SchoolSettings, Settings, Term
from bot.dispatch import Dispatcher
from bot.messages import IncomingMessage
from bot.plan_import import import_file
from storage.models import StatusReport
from tests.conftest import shared_or_skip

TZ = ZoneInfo("Asia/Shanghai")
TERMS = (Term("2026-2027学年第一学期", date(2026, 9, 1), date(2027, 1, 22)),
         Term("2026-2027学年第二学期", date(2027, 2, 22), date(2027, 7, 2)))
SETTINGS = Settings(school=SchoolSettings(name="测试学校", terms=TERMS))


def with_seed_002(database) -> None:
    """Shared seed 002 imported for SETTINGS' school as 2026-2027 (built once, copied for each test)."""
    import_file(next((shared_or_skip() / "seeds").glob("002_*.txt")), SETTINGS, database, school_year="2026-2027")


@pytest.fixture
def ask(sqlite_database_prepared):
    shared_or_skip()
    sqlite_database = sqlite_database_prepared(with_seed_002)
    dispatcher = Dispatcher(SETTINGS, sqlite_database)
    counter = iter(range(10_000))

    def say(text: str, on: str = "2026-10-13") -> str:
        sent = datetime.fromisoformat(on).replace(hour=9, tzinfo=TZ)
        reply = dispatcher.handle(IncomingMessage("dingtalk", f"m{next(counter)}", "group-1", "u1", "王老师", text, sent))
        return reply.markdown

    say.database = sqlite_database
    return say


def test_this_week_fits_a_phone_and_names_the_events(ask):
    answer = ask("本周有什么任务")
    assert len(answer.splitlines()) <= 20, answer
    for event in ("秋季师生运动会", "校园歌唱比赛", "青年教师过关课活动"):
        assert event in answer
    assert "项例行工作" in answer and "每天：" not in answer   # routine duties are one line
    assert answer.count("完善“二十四常能”课程培养目标") == 1    # the plan names it twice


def test_traditional_characters_give_the_same_answer(ask):
    assert ask("本週有什麼任務") == ask("本周有什么任务")


def test_open_lessons_next_week_are_the_terms_open_lesson_duties(ask):
    answer = ask("下周有没有公开课")
    assert "公开课相关" in answer and "上好一节公开课" in answer and "没有安排" not in answer


def test_mid_november_lists_that_month_and_the_midterm(ask):
    answer = ask("11月中旬有什么活动")
    assert "微班会设计大赛" in answer and "期中测试管理及评价" in answer
    assert "10月（全月）" not in answer


def test_today_with_chatter_is_todays_answer(ask):
    answer = ask("今天有啥要忙的吗")
    assert answer.startswith("#### 今天（10月13日）的任务")
    assert "粉笔字展示活动" in answer   # a Tuesday duty, listed on its day


def test_a_monthly_duty_found_by_its_words(ask):
    answer = ask("班主任费什么时候算")
    assert "每月8日前" in answer and "班主任费" in answer
    assert "班会公开课活动" not in answer   # 班主任 alone is not 班主任费


def test_a_name_the_plan_words_differently_gives_the_nearest(ask):
    answer = ask("期中质量检测")
    assert "最接近" in answer and "期中考试和基础知识的检测考试" in answer


def test_deadlines_this_week(ask):
    answer = ask("这周有什么要交的")
    assert "要截止" in answer and "提交简笔画一张" in answer


def test_the_term_week(ask):
    assert "第 7 周" in ask("现在是第几周")


def test_a_topic_the_plan_lacks_answers_the_span_and_says_so(ask):
    answer = ask("本周信息中心有什么")
    assert "没有找到与“信息中心”有关" in answer and "秋季师生运动会" in answer


def test_a_question_about_progress_changes_nothing(ask):
    answer = ask("6还有谁没交")
    assert "进度" in answer
    with ask.database.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(StatusReport)).scalar() == 0


def test_a_bare_name_in_the_plan_says_when_and_chatter_stays_unknown(ask):
    assert "每月8日前" in ask("班主任费")
    assert "没太明白" in ask("辛苦了")


def test_a_month_just_past_is_that_month_not_next_years(ask):
    answer = ask("9月份有什么活动")
    assert answer.startswith("#### 2026年9月的任务") and "“青蓝工程”师徒结对活动" in answer


def test_a_school_break_has_no_month_items_and_no_deadlines(ask):
    assert "没有安排" in ask("今天有什么任务", on="2027-01-25")
    assert "没有要截止的任务" in ask("本周要交什么", on="2027-01-25")


def test_reports_that_are_not_plain_record_nothing(ask):
    for text in ("12 完成的老师请接龙", "12 没完成的抓紧", "12 完成了吧", "如果12完成了请告诉我", "张老师说12已经完成了",
                 "12 今晚完成", "12号任务 已完成人数统计", "取消12的提醒", "完成 1e3"):
        ask(text)
    with ask.database.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(StatusReport)).scalar() == 0
    assert "已记录" in ask("完成 12，13 有困难")   # while a plain report, even two in one message, records both
    with ask.database.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(StatusReport)).scalar() == 2


def test_the_terms_dates_and_breaks(ask):
    answer = ask("什么时候放寒假")
    assert "**寒假**：1月23日–2月21日" in answer and "共 21 周" in answer and "2月22日 周一 开学" in answer
    assert "暑假**：7月3日起" in ask("什么时候放暑假", on="2027-05-13")
    assert "“寒假作业”" in ask("寒假作业什么时候交")   # a task with 寒假 in its name is a topic, not the break


def test_the_week_number_in_a_break_says_when_term_starts(ask):
    assert "第二学期还没开学，2月22日开学" in ask("现在是第几周", on="2027-02-10")
    assert "第 1 周" in ask("今天第几周了", on="2026-09-01")
