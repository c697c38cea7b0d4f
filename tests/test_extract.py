"""Extraction on small plans written the ways schools write them."""
from __future__ import annotations

from datetime import date, datetime

from bot.plan.extract import ExtractOptions, extract_plan, term_start_for
from bot.plan.reading import read_plan_bytes, read_plan_file
from bot.plan.schoolyear import SPRING, SchoolYear
from tests.factories.plan_files import calendar_xlsx

LIMIT = 1024 * 1024


def extract(text: str, **options):
    document = read_plan_bytes(text.encode(), "plan.txt", LIMIT)
    return extract_plan(document, ExtractOptions(**options)).items


def summary(items):
    return [(i.title, i.start, i.end, i.recurrence, i.term_anchor) for i in items]


def test_month_list_under_a_month_line():
    items = extract("2026-2027学年工作计划\n四、月度安排\n9月份\n1.开学典礼\n2.新生军训\n10月份\n1.秋季运动会\n五、其他\n做好总结。")
    assert summary(items) == [
        ("开学典礼", date(2026, 9, 1), date(2026, 9, 30), None, None),
        ("新生军训", date(2026, 9, 1), date(2026, 9, 30), None, None),
        ("秋季运动会", date(2026, 10, 1), date(2026, 10, 31), None, None),
    ]
    assert items[0].section == "四、月度安排"
    assert items[0].quote == "1.开学典礼"


def test_a_day_inside_a_month_list_wins_over_the_month():
    items = extract("2026-2027学年计划\n九月：\n9月10日 教师节表彰\n下旬 国庆主题班会")
    assert summary(items)[0] == ("教师节表彰", date(2026, 9, 10), date(2026, 9, 10), None, None)


def test_list_numbers_are_not_read_as_dotted_dates():
    items = extract("2026-2027学年计划\n十月份活动\n1.10月13日 秋游\n10.20 家长会")
    assert [(i.title, i.start) for i in items] == [("秋游", date(2026, 10, 13)), ("家长会", date(2026, 10, 20))]


def test_label_running_on_into_activities():
    items = extract("2026-2027学年计划\n12月份：冬季长跑比赛；元旦文艺汇演")
    assert [(i.title, i.start) for i in items] == [("冬季长跑比赛", date(2026, 12, 1)), ("元旦文艺汇演", date(2026, 12, 1))]


def test_prose_recurrences_anchors_and_owner():
    items = extract("2026-2027学年计划\n（一）常规\n教务处每月底前检查教案。开学初，各教研组制定计划。期中与期末综合评价。")
    assert summary(items) == [
        ("教务处检查教案", None, None, "monthly:end", None),
        ("各教研组制定计划", None, None, None, "term_start"),
        ("期中综合评价", None, None, None, "midterm"),
        ("期末综合评价", None, None, None, "term_end"),
    ]
    assert items[0].owner == "教务处"
    assert items[1].owner == "教研组"


def test_a_frequency_at_the_end_takes_the_activity_before_it():
    items = extract("2026-2027学年计划\n适时开展安全演练，每学年至少两次。")
    assert summary(items) == [("开展安全演练", None, None, "yearly", None)]   # 适时 frames, it names nothing
    assert items[0].quote == "适时开展安全演练，每学年至少两次"


def test_a_term_duty_distributes_over_counted_activities():
    items = extract("2026-2027学年计划\n本学期开展一轮班会公开课活动，一次微班会设计大赛，加强管理。")
    assert [i.title for i in items] == ["班会公开课活动", "微班会设计大赛"]   # counts belong to the frequency
    assert {i.recurrence for i in items} == {"termly"}


def test_only_the_duty_just_named_distributes():
    items = extract("2026-2027学年计划\n每周一升旗，本学期我们将依托基地，一次也不能少。")
    assert summary(items) == [("升旗", None, None, "weekly:MON", None)]


def test_scene_setting_and_prohibitions_are_not_tasks():
    items = extract("2026-2027学年计划\n本学期，我们将依托劳动基地，建构更丰富的校园生活。严禁学生每天在校时间超过8小时，不超过规定。截至2025年12月，学校共有学生900人。")
    assert items == ()


def test_planning_verb_keeps_the_anchor():
    items = extract("2026-2027学年计划\n各教研组开学初自定每周教研主题。")
    assert summary(items) == [("各教研组开学初自定每周教研主题", None, None, None, "term_start")]


def test_week_numbers_become_dates_with_a_term_start():
    text = "2026-2027学年计划\n第10周进行期中质量检测。"
    assert extract(text)[0].week == 10 and extract(text)[0].start is None
    item = extract(text, term_start=date(2026, 9, 1))[0]
    assert (item.start, item.end) == (date(2026, 11, 2), date(2026, 11, 8))


def test_term_start_read_from_the_plan():
    items = extract("2026-2027学年计划\n本学期于9月1日正式开学。\n第2周开展新生入学教育活动。")
    assert (items[-1].start, items[-1].end) == (date(2026, 9, 7), date(2026, 9, 13))


def test_bare_months_follow_an_overridden_school_year():
    items = extract("工作计划\n12月份开展校级优质课评比。", school_year=SchoolYear(2030))
    assert items[0].start == date(2030, 12, 1)


def test_fallback_school_year_when_the_plan_names_none():
    items = extract("工作计划\n3月份开展植树活动。", fallback_school_year=SchoolYear(2026))
    assert items[0].start == date(2027, 3, 1)


def test_a_plan_with_no_dates_yields_nothing():
    assert extract("学校工作计划\n坚持立德树人，加强师德建设。") == ()


def test_term_calendar_spreadsheet(tmp_path):
    path = calendar_xlsx(tmp_path / "c.xlsx", "2026-2027学年第一学期行事历", ["周次", "日期", "工作内容", "负责部门"], [
        ["第1周", "8.31-9.6", "1.开学典礼\n2.新生入学教育", "德育处"],
        ["第2周", "9.7-9.13", "教师节表彰大会", "校长室"],
        ["第3周", "9.14-9.20", "每周一升旗仪式", "大队部"],
        ["第7周", datetime(2026, 10, 12), "秋季运动会", "体育组"],
    ])
    items = extract_plan(read_plan_file(path, LIMIT), ExtractOptions()).items
    assert [(i.title, i.start, i.end, i.owner, i.week) for i in items] == [
        ("开学典礼", date(2026, 8, 31), date(2026, 9, 6), "德育处", 1),
        ("新生入学教育", date(2026, 8, 31), date(2026, 9, 6), "德育处", 1),
        ("教师节表彰大会", date(2026, 9, 7), date(2026, 9, 13), "校长室", 2),
        ("每周一升旗仪式", date(2026, 9, 14), date(2026, 9, 20), "大队部", 3),
        ("秋季运动会", date(2026, 10, 12), date(2026, 10, 12), "体育组", 7),
    ]
    assert items[3].recurrence == "weekly:MON"


def test_calendar_rows_with_only_week_numbers_use_the_term_start(tmp_path):
    path = calendar_xlsx(tmp_path / "c.xlsx", "2026-2027学年第一学期行事历", ["周次", "内容"], [
        ["1", "开学典礼"], ["2", "教师节表彰"],
    ], merge_first_column=False)
    items = extract_plan(read_plan_file(path, LIMIT), ExtractOptions(term_start=date(2026, 9, 1))).items
    assert [(i.title, i.start) for i in items] == [("开学典礼", date(2026, 8, 31)), ("教师节表彰", date(2026, 9, 7))]


def test_configured_term_is_chosen_by_the_plans_term():
    starts = (date(2026, 9, 1), date(2027, 2, 22))
    assert term_start_for(SchoolYear(2026), starts) == date(2026, 9, 1)
    assert term_start_for(SchoolYear(2026, SPRING), starts) == date(2027, 2, 22)
    assert term_start_for(SchoolYear(2026, calendar=True), starts) is None


def test_a_row_padded_with_empty_cells_keeps_its_cells_where_they_belong():
    text = ("2021学年第一学期期末工作行事历\n周次\t日期\t内容\t处室\n17周\t12月24日\t高三模拟考\t教学处\n"
            "12月25日\t学生体检\t\t\n")
    exam, checkup = extract(text)
    assert (checkup.title, checkup.start, checkup.owner) == ("学生体检", date(2021, 12, 25), "教学处")
    assert exam.start == date(2021, 12, 24)
