"""Acceptance tests for issue 10: the phenomena of real school plans, one group each.

Every plan text here is invented for the test (schools, activities and departments are made
up); none is taken from ../shared. Conventions follow ../shared/eval/README.md and
../shared/eval/dev/NOTES.md ("Conventions of these keys"). Each test finds its item by a
title substring and checks only what its phenomenon decides (dates, recurrence, anchor,
owner, title words), so that any reasonable extractor that reads the phenomenon passes.
"""
from __future__ import annotations

import re
from datetime import date

from bot.plan.extract import ExtractOptions, extract_plan
from bot.plan.reading import read_plan_bytes
from bot.plan.schoolyear import parse_school_year_option
from tests.factories.plan_files import text_plan_to_docx

LIMIT = 1 << 20


def extract(text: str, **options):
    return extract_plan(read_plan_bytes(text.encode(), "plan.txt", LIMIT), ExtractOptions(**options)).items


def extract_docx(text: str, tmp_path, **options):
    path = text_plan_to_docx(text, tmp_path / "plan.docx")
    return extract_plan(read_plan_bytes(path.read_bytes(), "plan.docx", LIMIT), ExtractOptions(**options)).items


def titles(items) -> list[str]:
    return [i.title for i in items]


def find(items, *words):
    """The first item whose title holds every word; fails listing what was found."""
    for item in items:
        if all(w in item.title for w in words):
            return item
    raise AssertionError(f"no item titled with {words!r}; titles: {titles(items)}")


def find_all(items, *words):
    return [i for i in items if all(w in i.title for w in words)]


def span(item):
    return item.start, item.end


def key(items):
    return sorted((i.title, i.start, i.end, i.recurrence, i.term_anchor, i.owner) for i in items)


# ---------------------------------------------------------------------------------------
# 1. Week plans: a printed week range dates every undated item under it or in its row;
#    a weekday inside the week is that day (not weekly); 下周 is the next Mon–Sun;
#    本周五之前 is a deadline on that Friday.
# ---------------------------------------------------------------------------------------

WEEK_PLAN = """城南小学2022-2023学年第二学期周工作安排
第十二周（5月8日—5月12日）
1．召开一年级新生家长会
2．周四下午2:30全体教师业务学习
3．周一上交教学计划执行情况表
4．本周五之前上交教学反思
5．下周开展防溺水专题教育
"""

ISO_WEEK_PLAN = """实验小学周工作安排
2024-3-4—2024-3-8
星期一 升旗仪式暨学雷锋活动启动
星期二(2024-03-05) 教研组长会议
3.7（周四） 区级数学教研活动
各班出一期学雷锋黑板报
"""

WEEK_ROWS = """明德中学2023-2024学年第二学期教学处行事历
周次 | 日期 | 工作内容 | 负责部门
第3周 | 3月4日--3月10日 | 教学常规检查 | 教务处
第4周 | 3月11日--3月17日 | 周三下午教研组长会议 | 教务处
"""


def test_week_heading_with_chinese_week_number_dates_undated_items():
    item = find(extract(WEEK_PLAN), "家长会")
    assert span(item) == (date(2023, 5, 8), date(2023, 5, 12))
    assert item.recurrence is None


def test_weekday_inside_a_week_plan_is_that_day_not_weekly():
    items = extract(WEEK_PLAN)
    study = find(items, "业务学习")
    assert span(study) == (date(2023, 5, 11), date(2023, 5, 11))
    assert study.recurrence is None
    handin = find(items, "教学计划执行情况")
    assert span(handin) == (date(2023, 5, 8), date(2023, 5, 8))
    assert handin.recurrence is None


def test_this_friday_deadline_in_a_week_plan():
    item = find(extract(WEEK_PLAN), "教学反思")
    assert span(item) == (date(2023, 5, 12), date(2023, 5, 12))
    assert item.recurrence is None


def test_next_week_is_the_following_monday_to_sunday():
    item = find(extract(WEEK_PLAN), "防溺水")
    assert span(item) == (date(2023, 5, 15), date(2023, 5, 21))


def test_iso_week_range_dates_undated_items():
    item = find(extract(ISO_WEEK_PLAN), "黑板报")
    assert span(item) == (date(2024, 3, 4), date(2024, 3, 8))


def test_weekday_forms_inside_an_iso_week():
    items = extract(ISO_WEEK_PLAN)
    assert span(find(items, "升旗仪式")) == (date(2024, 3, 4), date(2024, 3, 4))
    assert span(find(items, "教研组长会议")) == (date(2024, 3, 5), date(2024, 3, 5))
    assert span(find(items, "区级数学教研")) == (date(2024, 3, 7), date(2024, 3, 7))
    assert all(i.recurrence is None for i in items)


def test_week_range_in_a_table_row_dates_the_row():
    item = find(extract(WEEK_ROWS), "教学常规检查")
    assert span(item) == (date(2024, 3, 4), date(2024, 3, 10))


def test_weekday_inside_a_week_row_is_that_day():
    item = find(extract(WEEK_ROWS), "教研组长会议")
    assert span(item) == (date(2024, 3, 13), date(2024, 3, 13))
    assert item.recurrence is None


# ---------------------------------------------------------------------------------------
# 2. Tables as text: ` | ` and tab cells; header rows are not items; a continuation row
#    inherits the date (and the department when merged); several tasks in one cell split
#    on ； and on 1．… 2．… numbering.
# ---------------------------------------------------------------------------------------

PIPE_TABLE = """明德中学2023-2024学年第二学期行事历
周次 | 日期 | 工作内容 | 负责部门
第1周 | 2月26日--3月3日 | 开学报到注册；新学期教学常规检查；学生返校安全教育 | 教务处
第2周 | 3月4日--3月10日 | 1．学雷锋志愿服务月启动 2．团员青年大会 | 团委
 |  | 班级文化布置评比 | 
第3周 | 3月11日--3月17日 | 春季田径队选拔 | 体育组
体育节开幕式 | 体育组
"""

TAB_TABLE = """阳光小学2023-2024学年第一学期德育活动安排
日期\t活动内容\t负责部门
9月10日\t教师节庆祝大会\t工会
9月28日\t中秋游园会\t大队部
\t迎国庆黑板报评比\t
"""


def test_pipe_table_header_row_is_not_an_item():
    items = extract(PIPE_TABLE)
    assert items
    for word in ("工作内容", "负责部门", "周次"):
        assert not find_all(items, word), titles(items)


def test_pipe_table_row_gives_date_and_department():
    item = find(extract(PIPE_TABLE), "开学报到")
    assert span(item) == (date(2024, 2, 26), date(2024, 3, 3))
    assert item.owner == "教务处"


def test_tasks_split_on_semicolons_in_one_cell():
    items = extract(PIPE_TABLE)
    for words in ("开学报到注册", "教学常规检查", "返校安全教育"):
        item = find(items, words)
        assert span(item) == (date(2024, 2, 26), date(2024, 3, 3))
        assert "；" not in item.title
    assert not find_all(items, "开学报到", "常规检查")


def test_tasks_split_on_numbering_in_one_cell():
    items = extract(PIPE_TABLE)
    launch, congress = find(items, "学雷锋"), find(items, "团员青年大会")
    assert launch is not congress
    assert span(launch) == span(congress) == (date(2024, 3, 4), date(2024, 3, 10))
    assert "团员" not in launch.title and "2．" not in launch.title


def test_continuation_row_with_empty_cells_inherits_date_and_department():
    item = find(extract(PIPE_TABLE), "班级文化布置")
    assert span(item) == (date(2024, 3, 4), date(2024, 3, 10))
    assert item.owner == "团委"


def test_continuation_row_with_fewer_cells_inherits_the_date():
    item = find(extract(PIPE_TABLE), "体育节开幕式")
    assert span(item) == (date(2024, 3, 11), date(2024, 3, 17))
    assert item.owner == "体育组"


def test_tab_table_rows_and_header():
    items = extract(TAB_TABLE)
    party = find(items, "教师节庆祝")
    assert span(party) == (date(2023, 9, 10), date(2023, 9, 10))
    assert party.owner == "工会"
    assert not find_all(items, "活动内容")


def test_tab_continuation_row_inherits_date_and_department():
    item = find(extract(TAB_TABLE), "黑板报评比")
    assert span(item) == (date(2023, 9, 28), date(2023, 9, 28))
    assert item.owner == "大队部"


# ---------------------------------------------------------------------------------------
# 3. Date forms: day-only (month from context, checked by weekday), 3/12, 4/1~4/3,
#    11．20, 9.10, ISO, ranges across months and years, Chinese-numeral months,
#    上旬/中旬/下旬, 月底前, X前 deadlines and X起 open starts.
# ---------------------------------------------------------------------------------------

DAY_ONLY = """育才中学2023-2024学年第一学期期末工作安排
1月8日（一） 期末复习动员会
15日（一）～17日（三） 高一期末考试
19日（五）前 上交期末成绩
31日（三） 散学典礼
2日（五） 教师寒假集中培训
"""

YEAR_PLAN = "启智学校2023-2024学年工作计划\n"


def test_day_only_range_takes_the_month_from_context():
    item = find(extract(DAY_ONLY), "期末考试")
    assert span(item) == (date(2024, 1, 15), date(2024, 1, 17))


def test_day_only_deadline():
    item = find(extract(DAY_ONLY), "期末成绩")
    assert span(item) == (date(2024, 1, 19), date(2024, 1, 19))


def test_day_only_rolls_into_next_month_by_weekday():
    items = extract(DAY_ONLY)
    assert span(find(items, "散学典礼")) == (date(2024, 1, 31), date(2024, 1, 31))
    # 2日 after 31日, and 2024-02-02 is the Friday (2024-01-02 was a Tuesday)
    assert span(find(items, "集中培训")) == (date(2024, 2, 2), date(2024, 2, 2))


def test_slash_dates_and_slash_range():
    items = extract(YEAR_PLAN + "3/12 植树节主题活动\n4/1~4/3 春季研学旅行\n")
    assert span(find(items, "植树")) == (date(2024, 3, 12), date(2024, 3, 12))
    assert span(find(items, "研学旅行")) == (date(2024, 4, 1), date(2024, 4, 3))


def test_full_width_dot_date():
    item = find(extract(YEAR_PLAN + "11．20 校园艺术节开幕\n"), "艺术节")
    assert span(item) == (date(2023, 11, 20), date(2023, 11, 20))


def test_dotted_dates_in_a_dated_list():
    items = extract(YEAR_PLAN + "9.10 教师节表彰大会\n9.28 中秋诗会\n10.13 秋季运动会\n")
    assert span(find(items, "教师节表彰")) == (date(2023, 9, 10), date(2023, 9, 10))
    assert span(find(items, "中秋诗会")) == (date(2023, 9, 28), date(2023, 9, 28))
    assert span(find(items, "运动会")) == (date(2023, 10, 13), date(2023, 10, 13))


def test_iso_like_single_date():
    item = find(extract("春晖小学工作安排\n2024-3-15 全校消防疏散演练\n"), "消防疏散")
    assert span(item) == (date(2024, 3, 15), date(2024, 3, 15))


def test_range_across_months():
    item = find(extract(YEAR_PLAN + "4月29日至5月6日 劳动教育实践周\n"), "劳动教育")
    assert span(item) == (date(2024, 4, 29), date(2024, 5, 6))


def test_range_across_years():
    item = find(extract(YEAR_PLAN + "12月30日至2024年1月3日 迎新年系列活动\n"), "迎新年")
    assert span(item) == (date(2023, 12, 30), date(2024, 1, 3))


def test_chinese_numeral_month_headings():
    text = YEAR_PLAN + "三月工作:\n1、学雷锋志愿服务\n十二月份\n1、冬季长跑比赛\n四月：春季远足；读书节启动\n"
    items = extract(text)
    assert span(find(items, "学雷锋")) == (date(2024, 3, 1), date(2024, 3, 31))
    assert span(find(items, "冬季长跑")) == (date(2023, 12, 1), date(2023, 12, 31))
    assert span(find(items, "春季远足")) == (date(2024, 4, 1), date(2024, 4, 30))
    assert span(find(items, "读书节")) == (date(2024, 4, 1), date(2024, 4, 30))


def test_upper_middle_lower_thirds_of_a_month():
    text = YEAR_PLAN + "10月上旬 秋季运动会\n10月中旬 青年教师赛课\n十一月下旬 期中家长会\n"
    items = extract(text)
    assert span(find(items, "运动会")) == (date(2023, 10, 1), date(2023, 10, 10))
    assert span(find(items, "赛课")) == (date(2023, 10, 11), date(2023, 10, 20))
    assert span(find(items, "家长会")) == (date(2023, 11, 21), date(2023, 11, 30))


def test_before_month_end_is_the_last_day():
    item = find(extract(YEAR_PLAN + "2月底前完成寒假作业检查\n"), "寒假作业")
    assert span(item) == (date(2024, 2, 29), date(2024, 2, 29))


def test_before_a_day_is_a_deadline_on_that_day():
    items = extract(YEAR_PLAN + "12月20日前上交课题结题材料\n1月10日之前完成学籍信息核对\n")
    assert span(find(items, "结题材料")) == (date(2023, 12, 20), date(2023, 12, 20))
    assert span(find(items, "学籍")) == (date(2024, 1, 10), date(2024, 1, 10))


def test_from_a_day_is_an_open_start():
    item = find(extract(YEAR_PLAN + "3月1日起实行课后延时服务\n"), "延时服务")
    assert item.start == date(2024, 3, 1)
    assert item.end is None


# ---------------------------------------------------------------------------------------
# 4. A date beats a term word: a dated item takes no term_anchor, even inside 寒假;
#    an undated 期末/寒假 item keeps its anchor.
# ---------------------------------------------------------------------------------------

TERM_WORDS = """育英中学2023-2024学年第一学期期末工作安排
1月15日（一），高二期末考试
2月5日 寒假教师全员培训
期末做好学生综合素质评价
寒假期间各班开展家访活动
"""


def test_dated_exam_is_dated_not_anchored():
    item = find(extract(TERM_WORDS), "高二期末考试")
    assert span(item) == (date(2024, 1, 15), date(2024, 1, 15))
    assert item.term_anchor is None


def test_row_dated_in_the_winter_break_is_not_winter():
    item = find(extract(TERM_WORDS), "全员培训")
    assert span(item) == (date(2024, 2, 5), date(2024, 2, 5))
    assert item.term_anchor is None


def test_undated_term_words_keep_their_anchor():
    items = extract(TERM_WORDS)
    review = find(items, "综合素质评价")
    assert review.term_anchor == "term_end" and review.start is None
    visits = find(items, "家访")
    assert visits.term_anchor == "winter" and visits.start is None


# ---------------------------------------------------------------------------------------
# 5. Calendar grids flattened: a row of seven day numbers then the notes; the numbers are
#    never items; an undated note covers the row's days; a dated note keeps its date.
# ---------------------------------------------------------------------------------------

GRID = """快乐幼儿园2023学年度第二学期行事历
月份 | 周次 | 日 | 一 | 二 | 三 | 四 | 五 | 六 | 备注
三月 | 1 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 3/4开学日；新生适应观察
三月 | 2 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 家长半日开放活动
三月 | 3 | 17 | 18 | 19 | 20 | 21 | 22 | 23 | 3/20~3/22春季体检
三月 | 5 | 31 | 1 | 2 | 3 | 4 | 5 | 6 | 清明节踏青活动
"""

TAB_GRID = """小太阳幼儿园2023学年度第二学期行事历
月份\t日\t一\t二\t三\t四\t五\t六\t备注
四月\t7\t8\t9\t10\t11\t12\t13\t亲子运动会
四月\t14\t15\t16\t17\t18\t19\t20\t图书漂流周
"""


def test_grid_day_numbers_and_weekday_headers_are_not_items():
    for text in (GRID, TAB_GRID):
        items = extract(text)
        assert items
        for item in items:
            assert re.search(r"[\u4e00-\u9fff]{2}", item.title), titles(items)
            assert not re.fullmatch(r"[\d\s|一二三四五六日月份周次备注]+", item.title), titles(items)


def test_grid_undated_note_covers_the_rows_days():
    items = extract(GRID)
    assert span(find(items, "新生适应")) == (date(2024, 3, 3), date(2024, 3, 9))
    assert span(find(items, "半日开放")) == (date(2024, 3, 10), date(2024, 3, 16))


def test_grid_dated_note_keeps_its_own_date():
    items = extract(GRID)
    assert span(find(items, "开学")) == (date(2024, 3, 4), date(2024, 3, 4))
    assert span(find(items, "体检")) == (date(2024, 3, 20), date(2024, 3, 22))


def test_grid_row_wrapping_into_the_next_month():
    item = find(extract(GRID), "踏青")
    assert span(item) == (date(2024, 3, 31), date(2024, 4, 6))


def test_tab_grid_rows():
    items = extract(TAB_GRID)
    assert span(find(items, "亲子运动会")) == (date(2024, 4, 7), date(2024, 4, 13))
    assert span(find(items, "图书漂流")) == (date(2024, 4, 14), date(2024, 4, 20))


# ---------------------------------------------------------------------------------------
# 6. School-year forms, checked through the year a bare month falls in; August before
#    the term belongs to the first year, August closing the year to the second.
# ---------------------------------------------------------------------------------------

def month_span(year: int, month: int):
    last = (date(year + month // 12, month % 12 + 1, 1) - date.resolution)
    return date(year, month, 1), last


def test_zhejiang_school_year_second_term_is_the_next_spring():
    items = extract("钱塘中学2019学年第二学期教学工作计划\n三月份：\n1．开学常规检查\n")
    assert span(find(items, "常规检查")) == month_span(2020, 3)


def test_span_with_autumn_term():
    items = extract("文华小学2022-2023秋季学期工作计划\n十月：\n1．秋季运动会\n一月：\n1．期末质量检测\n")
    assert span(find(items, "运动会")) == month_span(2022, 10)
    assert span(find(items, "质量检测")) == month_span(2023, 1)


def test_school_year_du_first_term():
    items = extract("新桥中学2024学年度第一学期工作计划\n十一月\n1．科技节\n1月\n1．学期工作总结\n")
    assert span(find(items, "科技节")) == month_span(2024, 11)
    assert span(find(items, "工作总结")) == month_span(2025, 1)


def test_calendar_year_spring_term():
    items = extract("东风小学2012年春季学期工作计划\n四月份\n1．春季远足\n")
    assert span(find(items, "远足")) == month_span(2012, 4)


def test_calendar_year_kindergarten_plan():
    items = extract("蓝天幼儿园2018年园务工作计划\n三月\n1．幼儿体检\n十月\n1．亲子运动会\n")
    assert span(find(items, "体检")) == month_span(2018, 3)
    assert span(find(items, "亲子运动会")) == month_span(2018, 10)


def test_august_before_the_term_is_the_first_year():
    text = "青山中学开学阶段工作安排\n八月份：\n1．新教师岗前培训\n九月份：\n1．开学典礼\n"
    items = extract(text, school_year=parse_school_year_option("2023-2024"))
    assert span(find(items, "岗前培训")) == month_span(2023, 8)
    assert span(find(items, "开学典礼")) == month_span(2023, 9)


def test_august_closing_the_year_is_the_second_year():
    text = "青山中学2023-2024学年工作计划\n九月份：\n1．开学典礼\n七月份：\n1．期末总结\n八月份：\n1．暑假校舍维修\n"
    items = extract(text)
    assert span(find(items, "校舍维修")) == month_span(2024, 8)


# ---------------------------------------------------------------------------------------
# 7. Frequencies in their own cell or in words.
# ---------------------------------------------------------------------------------------

FREQUENCY_TABLE = """启航中学2023-2024学年教研活动安排
教研组 | 活动内容 | 活动时间 | 频次
数学组 | 集体备课 | 周二下午第七节 | 每周1次
英语组 | 听评课活动 | 周四下午 | 隔周1次
全体教师 | 业务学习 | 周五下午 | 每月1次
"""


def test_weekday_with_weekly_frequency_cell():
    item = find(extract(FREQUENCY_TABLE), "集体备课")
    assert item.recurrence == "weekly:TUE"


def test_every_other_week_frequency_cell():
    item = find(extract(FREQUENCY_TABLE), "听评课")
    assert item.recurrence == "biweekly"


def test_monthly_frequency_cell():
    item = find(extract(FREQUENCY_TABLE), "业务学习")
    assert item.recurrence == "monthly"


def test_frequencies_in_words():
    text = "启航中学2023-2024学年安全工作计划\n校园安全巡查，每周1次。\n食堂卫生检查，每月1次。\n"
    items = extract(text)
    assert find(items, "安全巡查").recurrence == "weekly"
    assert find(items, "卫生检查").recurrence == "monthly"


def test_odd_and_even_weeks_are_two_biweekly_duties():
    text = "启航中学2023-2024学年第一学期工作计划\n单周周一下午召开行政会议，双周周一下午召开全体教师会议。\n"
    items = extract(text)
    admin, staff = find(items, "行政会议"), find(items, "全体教师会议")
    assert admin is not staff
    assert (admin.recurrence or "").startswith("biweekly")
    assert (staff.recurrence or "").startswith("biweekly")


# ---------------------------------------------------------------------------------------
# 8. Not items: page metadata, table headers, placeholder signatures, slogans.
# ---------------------------------------------------------------------------------------

def test_publication_metadata_is_not_an_item():
    text = "红星小学2023-2024学年第二学期工作计划\n发布时间：2024年3月1日  浏览次数：120\n三月份：\n1．学雷锋主题活动\n"
    items = extract(text)
    assert find(items, "学雷锋")
    assert not any("发布" in i.quote or "浏览" in i.title for i in items), titles(items)
    assert not any(span(i) == (date(2024, 3, 1), date(2024, 3, 1)) for i in items)


def test_numbered_table_header_is_not_an_item():
    text = "红星小学2023-2024学年第一学期德育安排\n序号 | 时间 | 活动内容 | 责任部门\n1 | 9月15日 | 新生军训汇报表演 | 政教处\n"
    items = extract(text)
    assert span(find(items, "军训汇报")) == (date(2023, 9, 15), date(2023, 9, 15))
    assert len(items) == 1, titles(items)


def test_placeholder_signature_date_is_not_an_item():
    text = "红星小学2023-2024学年第二学期工作计划\n三月份：\n1．学雷锋主题活动\n\n红星小学教务处\nxxxx年9月1日\n"
    items = extract(text)
    assert find(items, "学雷锋")
    assert not any("xxxx" in i.quote for i in items)
    assert not any(i.start and i.start.month == 9 for i in items), titles(items)


def test_slogans_are_not_items():
    text = ("红星小学2023-2024学年第一学期工作计划\n“文明礼仪，从我做起”\n九月份：\n"
            "安全第一，预防为主\n1．开学典礼\n2．文明礼仪伴我行主题班会\n")
    items = extract(text)
    assert find(items, "开学典礼")
    assert not find_all(items, "安全第一"), titles(items)
    assert not find_all(items, "从我做起"), titles(items)


# ---------------------------------------------------------------------------------------
# 9. Titles a teacher understands alone: no list numbering, no leading filler
#    (坚持/做到/进行), the object kept with a bare verb, short, no clause debris.
# ---------------------------------------------------------------------------------------

TITLES = """2023-2024学年第一学期工作计划
十月份：
1．坚持每日晨午检制度
2．进行消防疏散演练
（3）做到每周五将本班安全情况上报政教处
4、10月中旬，组织全体学生开展以“我爱祖国”为主题的秋季远足活动，通过活动培养学生坚强的意志品质和热爱家乡的情感。
"""


def test_titles_carry_no_list_numbering():
    items = extract(TITLES)
    assert len(items) >= 4, titles(items)
    for item in items:
        assert not re.match(r"\s*[（(]?\d+[）)．.、]", item.title), item.title


def test_titles_drop_leading_filler_verbs():
    items = extract(TITLES)
    check, drill = find(items, "晨午检"), find(items, "消防疏散演练")
    assert not check.title.startswith("坚持")
    assert not drill.title.startswith("进行")


def test_title_keeps_the_object_of_a_bare_verb():
    item = find(extract(TITLES), "上报")
    assert "安全情况" in item.title
    assert not item.title.startswith("做到")


def test_long_sentence_gives_a_short_title():
    item = find(extract(TITLES), "远足")
    assert len(item.title) <= 20, item.title
    assert "通过活动" not in item.title and "意志品质" not in item.title
    assert span(item) == (date(2023, 10, 11), date(2023, 10, 20))


# ---------------------------------------------------------------------------------------
# 10. Owners: department column, (责任人:…), a one-name bracket, 由…负责, …牵头, …组织;
#     subject groups kept whole.
# ---------------------------------------------------------------------------------------

OWNERS = """2023-2024学年第二学期工作安排
三月份：
1．教师教学设计评比(责任人:王丽)
2．家长学校第一讲(李)
3．3月下旬语文组开展古诗词诵读比赛
四月份：
1．开展校园消防演练，由安全办负责
2．教务处牵头召开期中质量分析会
3．大队部组织清明祭扫活动
"""


def test_owner_from_a_responsible_person_bracket():
    item = find(extract(OWNERS), "教学设计评比")
    assert "王丽" in (item.owner or "")
    assert "责任人" not in item.title


def test_owner_from_a_one_name_bracket():
    item = find(extract(OWNERS), "家长学校")
    assert "李" in (item.owner or "")
    assert "(李)" not in item.title


def test_owner_from_you_fuze():
    item = find(extract(OWNERS), "消防演练")
    assert item.owner == "安全办"


def test_owner_from_qiantou_and_zuzhi():
    items = extract(OWNERS)
    assert find(items, "质量分析会").owner == "教务处"
    assert find(items, "祭扫").owner == "大队部"


def test_subject_group_owner_kept_whole():
    item = find(extract(OWNERS), "诵读比赛")
    assert item.owner == "语文组"
    assert span(item) == (date(2024, 3, 21), date(2024, 3, 31))


def test_owner_from_a_department_column():
    items = extract(PIPE_TABLE)
    assert find(items, "团员青年大会").owner == "团委"
    assert find(items, "田径队选拔").owner == "体育组"


# ---------------------------------------------------------------------------------------
# Formats: the same plan as .docx gives the same items as the .txt.
# ---------------------------------------------------------------------------------------

DOCX_MONTH_LIST = """绿洲小学2023-2024学年第一学期工作计划
一、月度安排
九月份
1．开学典礼
2．新生入学教育
十月份
1．秋季运动会
"""

DOCX_WEEK_TABLE = """启明小学2023-2024学年第二学期行事历
周次\t日期\t工作内容\t负责部门
第1周\t2月26日--3月1日\t开学典礼；教学常规检查\t教务处
第2周\t3月4日--3月8日\t学雷锋志愿服务\t大队部
"""

DOCX_MONTH_BLOCK = """绿洲小学2023-2024学年第一学期德育工作计划
\t九月份
\t1．行为习惯养成教育
\t2．教师节感恩活动
\t十月份
\t1．国庆主题班会
"""


def test_docx_month_list_matches_text(tmp_path):
    text_items = extract(DOCX_MONTH_LIST)
    assert span(find(text_items, "秋季运动会")) == month_span(2023, 10)
    assert key(extract_docx(DOCX_MONTH_LIST, tmp_path)) == key(text_items)


def test_docx_week_table_matches_text(tmp_path):
    text_items = extract(DOCX_WEEK_TABLE)
    check = find(text_items, "常规检查")
    assert span(check) == (date(2024, 2, 26), date(2024, 3, 1)) and check.owner == "教务处"
    assert not find_all(text_items, "工作内容")
    assert key(extract_docx(DOCX_WEEK_TABLE, tmp_path)) == key(text_items)


def test_docx_merged_month_cells_match_text(tmp_path):
    text_items = extract(DOCX_MONTH_BLOCK)
    assert span(find(text_items, "感恩")) == month_span(2023, 9)
    assert span(find(text_items, "国庆")) == month_span(2023, 10)
    assert key(extract_docx(DOCX_MONTH_BLOCK, tmp_path)) == key(text_items)


def test_a_numbered_part_in_brackets_is_no_owner_but_a_surname_is():
    items = extract("2025-2026学年第一学期工作计划\n十月份：\n1.校园开放日（一）\n2.书法展评（张）\n")
    first, second = find(items, "开放日"), find(items, "书法展评")
    assert first.owner is None and "（一）" in first.title
    assert second.owner == "张"
