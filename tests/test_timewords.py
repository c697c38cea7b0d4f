"""Time expressions as Chinese plans write them."""
from __future__ import annotations

from datetime import date

import pytest

from bot.plan.schoolyear import AUTUMN, SPRING, SchoolYear, detect_school_year, parse_school_year_option
from bot.plan.timewords import find_times

YEAR = SchoolYear(first=2026)


def times(text: str, in_cell: bool = False):
    return [(text[m.start:m.end], m.recurrence or m.anchor or (m.first, m.last) if m.week is None else m.week)
            for m in find_times(text, YEAR, in_cell)]


@pytest.mark.parametrize("text, expected", [
    ("每周二、周四进行粉笔字展示", [("每周二、周四", "weekly:TUE,THU")]),
    ("周二、周四展示、周五提交简笔画", [("周二、周四", "weekly:TUE,THU"), ("周五", "weekly:FRI")]),
    ("每周一至周五晨读", [("每周一至周五", "weekly:MON,TUE,WED,THU,FRI")]),
    ("每周一次升旗", [("每周", "weekly")]),
    ("每星期三下午教研", [("每星期三", "weekly:WED")]),
    ("做到一周一上报，一月一汇总", [("一周一", "weekly"), ("一月一", "monthly")]),
    ("每月初（8日之前）计算课时费", [("每月初（8日之前）", "monthly:by8")]),
    ("每月5号前上报", [("每月5号前", "monthly:by5")]),
    ("每月月底前例查", [("每月月底前", "monthly:end")]),
    ("每月初召开例会", [("每月初", "monthly:start")]),
    ("每个月开展两项活动", [("每个月", "monthly")]),
    ("保障两周一次", [("两周一次", "biweekly")]),
    ("单周语文，双周数学", [("单周", "biweekly"), ("双周", "biweekly")]),
    ("每半月一次", [("每半月", "biweekly")]),
    ("每天读书一小时", [("每天", "daily")]),
    ("日教研做到日日清", [("日日", "daily")]),
    ("每季一期", [("每季", "quarterly")]),
    ("每学期至少一次", [("每学期", "termly")]),
    ("管理团队一学期完成20节", [("一学期", "termly")]),
    ("每学年评选", [("每学年", "yearly")]),
    ("开学前制定计划", [("开学前", "term_start")]),
    ("利用开学“第一课”", [("开学“第一课", "term_start")]),
    ("于开学第一周报名", [("开学第一周", "term_start")]),
    ("学期初示范课", [("学期初", "term_start")]),
    ("期中与期末评价", [("期中", "midterm"), ("期末", "term_end")]),
    ("学期末考试", [("学期末", "term_end")]),
    ("学年末评优", [("学年末", "year_end")]),
    ("暑假培训", [("暑假", "summer")]),
    ("寒假假期", [("寒假", "winter")]),
    ("12月份完成中期报告", [("12月份", (date(2026, 12, 1), date(2026, 12, 31)))]),
    ("次年3月份授课", [("次年3月份", (date(2027, 3, 1), date(2027, 3, 31)))]),
    ("九月份开学", [("九月份", (date(2026, 9, 1), date(2026, 9, 30)))]),
    ("3月12日植树", [("3月12日", (date(2027, 3, 12), date(2027, 3, 12)))]),
    ("9月10日—15日运动会", [("9月10日—15日", (date(2026, 9, 10), date(2026, 9, 15)))]),
    ("12月28日至1月3日", [("12月28日至1月3日", (date(2026, 12, 28), date(2027, 1, 3)))]),
    ("2025年9月1日", [("2025年9月1日", (date(2025, 9, 1), date(2025, 9, 1)))]),
    ("10月中旬", [("10月中旬", (date(2026, 10, 11), date(2026, 10, 20)))]),
    ("11月下旬", [("11月下旬", (date(2026, 11, 21), date(2026, 11, 30)))]),
    ("9-10月", [("9-10月", (date(2026, 9, 1), date(2026, 10, 31)))]),
    ("第3-4周", [("第3-4周", 3)]),
    ("第十周", [("第十周", 10)]),
])
def test_expressions(text, expected):
    assert times(text) == expected


@pytest.mark.parametrize("text", [
    "严禁12周岁以下学生骑车", "第一学期工作", "2023年修订", "学期中期", "每一个环节都精细",
    "每位教师", "每项工作", "开放周活动", "1.2节", "月考核挂钩", "二十四常能", "三个月",
])
def test_not_times(text):
    assert times(text) == []


def test_dotted_dates_only_in_calendar_cells():
    assert times("9.10-9.15", in_cell=True) == [("9.10-9.15", (date(2026, 9, 10), date(2026, 9, 15)))]
    assert times("见第9.10条") == []


def test_impossible_dates_are_ignored():
    assert times("2月30日检查") == []


@pytest.mark.parametrize("title, year", [
    ("2024—2025学年学校工作计划", SchoolYear(2024)),
    ("（2023-2024学年度）", SchoolYear(2023)),
    ("小学2023-2023学年度第一学期工作方案", SchoolYear(2023, AUTUMN)),
    ("2023-2024学年第二学期教学计划", SchoolYear(2023, SPRING)),
    ("常州市焦溪小学2022年春学期工作计划", SchoolYear(2021, SPRING)),
    ("2025年秋季学期德育计划", SchoolYear(2025, AUTUMN)),
    ("山东省实验小学2024年度工作计划", SchoolYear(2024, calendar=True)),
    ("2025学年第一学期行事历", SchoolYear(2025, AUTUMN)),
])
def test_school_year_from_title(title, year):
    assert detect_school_year([title, "正文"]) == year


def test_months_fall_in_the_right_calendar_year():
    assert [SchoolYear(2023).year_of_month(m) for m in (9, 12, 1, 8)] == [2023, 2023, 2024, 2024]
    assert [SchoolYear(2021, SPRING).year_of_month(m) for m in (2, 7, 9)] == [2022, 2022, 2022]
    assert SchoolYear(2024, calendar=True).year_of_month(11) == 2024


def test_school_year_option():
    assert parse_school_year_option("2023-2024") == SchoolYear(2023)
    assert parse_school_year_option("2024") == SchoolYear(2024, calendar=True)
    with pytest.raises(ValueError):
        parse_school_year_option("2023-2025")
