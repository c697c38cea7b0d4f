"""The rules the red-team plans showed missing, each on a small plan of our own."""
from __future__ import annotations

from datetime import date

from bot.plan.extract import ExtractOptions, extract_plan
from bot.plan.reading import read_plan_bytes
from bot.plan.schoolyear import parse_school_year_option


def extract(text: str, **options):
    options.setdefault("fallback_school_year", parse_school_year_option("2023-2024"))   # as the CLI falls back on today's
    return extract_plan(read_plan_bytes(text.encode(), "plan.txt", 1 << 20), ExtractOptions(**options)).items


def find(items, word):
    found = [i for i in items if word in i.title]
    assert found, [i.title for i in items]
    return found[0]


def span(item):
    return item.start, item.end


def test_a_clock_time_after_a_list_number_is_no_date():
    items = extract("枫林小学第3周工作安排（3月11日—3月15日）\n周一\n1．7:40晨会\n2．15:30前上交观察记录\n")
    assert span(find(items, "晨会")) == (date(2024, 3, 11), date(2024, 3, 11))
    assert span(find(items, "观察记录")) == (date(2024, 3, 11), date(2024, 3, 11))
    assert not any(i.title.startswith(("40", "30")) for i in items)


def test_a_week_heading_may_start_with_the_schools_name():
    items = extract("枫林小学第3周工作安排（3月11日—3月15日）\n1．周三下午教研活动\n2．整理图书角\n",
                    school_year=parse_school_year_option("2023-2024"))
    assert span(find(items, "教研活动")) == (date(2024, 3, 13), date(2024, 3, 13))
    assert span(find(items, "图书角")) == (date(2024, 3, 11), date(2024, 3, 15))
    assert not any("枫林小学" in i.title for i in items)


def test_a_heading_of_next_week_is_not_the_printed_week():
    items = extract("枫林小学第3周工作安排（3月11日—3月15日）\n三、下周预告\n1．下周二家长会\n")
    assert span(find(items, "家长会")) == (date(2024, 3, 19), date(2024, 3, 19))


def test_two_ranges_in_one_date_cell_are_two_items():
    text = ("启明中学开学工作安排\n序号 | 日期 | 工作内容 | 负责处室\n"
            "1 | 8月19日-8月23日；8月26日至8月30日 | 新教师培训 | 教务处\n")
    items = extract(text, school_year=parse_school_year_option("2024-2025"))
    assert sorted(span(i) for i in items if "新教师培训" in i.title) == [
        (date(2024, 8, 19), date(2024, 8, 23)), (date(2024, 8, 26), date(2024, 8, 30))]


def test_tasks_a_space_apart_in_a_cell_are_two_items():
    items = extract("红枫中学2023学年第二学期行事历\n周次 | 日期 | 工作安排\n第20周 | 7月1日--7月7日 | 暑假开始 初三升学指导\n")
    assert {i.title for i in items} == {"暑假开始", "初三升学指导"}


def test_a_time_cell_beats_a_coarser_frequency_cell():
    text = ("育才职校2024-2025学年第一学期常规工作表\n序号\t工作项目\t时间安排\t频次\t负责部门\n"
            "1\t教学检查\t期初、期中、期末\t每学期3次\t教务处\n2\t安全排查\t每月月底前\t每月\t总务处\n"
            "3\t台账上交\t每月5日前\t每月\t办公室\n4\t新生教育\t开学第一周\t每学年1次\t学生处\n"
            "5\t质量跟踪调查\t\t每学年1次\t招生办\n")
    items = extract(text)
    assert sorted(i.term_anchor for i in items if i.title == "教学检查") == ["midterm", "term_end", "term_start"]
    assert find(items, "安全排查").recurrence == "monthly:end"
    assert find(items, "台账上交").recurrence == "monthly:by5"
    assert (find(items, "新生教育").term_anchor, find(items, "新生教育").recurrence) == ("term_start", None)
    survey = find(items, "跟踪调查")
    assert (survey.recurrence, survey.term_anchor) == ("yearly", None)   # the row above's 开学第一周 stays there


def test_a_month_plan_title_gives_the_term_and_this_month():
    items = extract("阳光小学2025年3月德育工作安排\n本月重点工作：\n1．文明礼仪月活动\n2．3月20日前完成班干部改选\n")
    assert span(find(items, "文明礼仪")) == (date(2025, 3, 1), date(2025, 3, 31))
    assert span(find(items, "班干部改选")) == (date(2025, 3, 20), date(2025, 3, 20))


def test_weekdays_of_a_sunday_to_saturday_grid_row():
    text = ("阳光小学2024学年第二学期三月行事历\n日\t一\t二\t三\t四\t五\t六\n"
            "23\t24\t25\t26\t27\t28\t29\n3/25消防演练；本周五前上交评比材料\n")
    items = extract(text)
    assert span(find(items, "消防演练")) == (date(2025, 3, 25), date(2025, 3, 25))
    assert span(find(items, "评比材料")) == (date(2025, 3, 28), date(2025, 3, 28))


def test_headers_run_together_mottos_with_every_day_and_conditions_are_no_items():
    text = ("好好学习，天天向上，学校欢迎您！\n星光幼儿园第4周园务计划（3月4日——3月8日）\n星期 工作安排 记载\n"
            "1．周二迎接卫生检查\n2．如遇雨天，户外活动顺延至下周\n")
    items = extract(text, school_year=parse_school_year_option("2023-2024"))
    assert [i.title for i in items] == ["迎接卫生检查"]


def test_at_the_same_time_takes_the_day_before():
    items = extract("枫林小学第3周工作安排（3月11日—3月15日）\n1．周四举行升旗仪式，由大队部负责，同时举行读书节启动仪式。\n")
    assert span(find(items, "读书节")) == (date(2024, 3, 14), date(2024, 3, 14))


def test_a_plan_without_a_year_in_its_title_takes_the_year_of_its_own_dates():
    text = ("关于做好新生报到工作的通知\n1．8月25日（周一）上午8:00，在体育馆举行新生报到\n"
            "2．8月26日（周二）上午8:00，在田径场举行开训典礼\n明远中学\n2025年8月18日\n")
    items = extract(text, fallback_school_year=parse_school_year_option("2030-2031"))
    assert span(find(items, "新生报到")) == (date(2025, 8, 25), date(2025, 8, 25))
    assert span(find(items, "开训典礼")) == (date(2025, 8, 26), date(2025, 8, 26))   # its hours are no activity


def test_week_labels_are_printed_weeks_once_the_term_start_is_known():
    text = "小树苗幼儿园2025学年第二学期园务计划\n三月份\n第一周：整理活动室；周三下午召开教职工会议\n"
    items = extract(text, term_start=date(2026, 3, 2))
    assert span(find(items, "活动室")) == (date(2026, 3, 2), date(2026, 3, 8))
    meeting = find(items, "教职工会议")
    assert (span(meeting), meeting.recurrence) == ((date(2026, 3, 4), date(2026, 3, 4)), None)


def test_weeks_of_a_month_lists_of_weeks_and_ranges_of_month_parts():
    text = ("青松中学2025-2026学年第一学期工作计划\n时间 | 内容\n12月第1周 | 冬季安全教育周\n"
            "第2、4、6周 | 课例研讨\n4月中旬至5月上旬 | 第二轮复习\n")
    items = extract(text, term_start=date(2025, 9, 1))
    assert span(find(items, "冬季安全")) == (date(2025, 12, 1), date(2025, 12, 7))
    assert sorted(span(i) for i in items if "课例研讨" in i.title) == [
        (date(2025, 9, 8), date(2025, 9, 14)), (date(2025, 9, 22), date(2025, 9, 28)), (date(2025, 10, 6), date(2025, 10, 12))]
    assert span(find(items, "第二轮复习")) == (date(2026, 4, 11), date(2026, 5, 10))


def test_term_words_with_their_exams_the_past_and_goals():
    text = ("青松中学2025-2026学年第一学期德育计划\n1．期中考试后召开家长会。\n2．寒假期间做好校园值班。\n"
            "3．通报上学期期末成绩。\n4．确保期末考试平稳有序。\n")
    items = extract(text)
    assert find(items, "家长会").term_anchor == "midterm"
    assert find(items, "校园值班").term_anchor == "winter"
    assert not [i for i in items if "期末成绩" in i.title or "平稳有序" in i.title]


def test_a_table_flattened_one_cell_per_line_reads_as_rows():
    text = ("青松中学2025-2026学年第二学期教务处工作计划\n周次\n日期\n工作内容\n负责\n"
            "1\n3.2—3.8\n学生报到注册；正式上课\n教务处\n\n2\n3.9—3.15\n选科指导讲座\n"   # a blank line, then a row without its owner
            "3—4\n3.16—3.29\n第一次教学常规检查\n教科室\n四、其他\n")
    items = extract(text)
    assert [(i.title, i.start, i.owner) for i in items] == [
        ("学生报到注册", date(2026, 3, 2), "教务处"), ("正式上课", date(2026, 3, 2), "教务处"),
        ("选科指导讲座", date(2026, 3, 9), "教务处"), ("第一次教学常规检查", date(2026, 3, 16), "教科室")]


def test_a_day_heading_dates_the_programme_under_it():
    text = "育英小学2024年秋季运动会秩序册\n第一天（10月16日，星期三）\n上午　8:00—9:30　开幕式\n下午　14:00—16:00　跳远预赛\n"
    items = extract(text, school_year=parse_school_year_option("2024-2025"))
    assert [(i.title, i.start) for i in items] == [("开幕式", date(2024, 10, 16)), ("跳远预赛", date(2024, 10, 16))]


def test_a_rhythm_heading_or_label_gives_the_duties_under_it_their_rhythm():
    text = ("青山小学2025年安全工作计划\n（一）每天\n1．午餐前：食堂做好食品留样\n2．放学前：班主任进行安全提醒\n"
            "（二）每月\n1．每月第一周周一：召开安全例会\n2．每月最后一个工作日：食堂自查\n")
    items = extract(text)
    assert [(i.title, i.recurrence) for i in items] == [
        ("食堂做好食品留样", "daily"), ("班主任进行安全提醒", "daily"),
        ("召开安全例会", "monthly:start"), ("食堂自查", "monthly:end")]


def test_a_notice_title_its_preamble_and_a_part_heading_are_no_tasks():
    text = ("关于2024—2025学年度下学期期末考试安排的通知\n根据区教育局关于做好期末质量监测工作的要求，现将安排如下：\n"
            "二、第一学期（2024年9月—2025年1月）\n1．6月26日上午期末考试\n")
    items = extract(text)
    assert [(i.title, i.start) for i in items] == [("期末考试", date(2025, 6, 26))]


def test_a_table_copied_from_a_pdf_keeps_its_columns_apart_by_spaces():
    text = ("长白小学2024-2025学年第二学期期末考试安排\n日期                时间            年级            科目\n"
            "6月26日（星期四）   8:30—10:00      一至六年级      语文\n"
            "                    10:30—11:30     一至六年级      数学\n")
    items = extract(text)
    assert [(i.title, i.start, i.owner) for i in items] == [
        ("语文", date(2025, 6, 26), "一至六年级"), ("数学", date(2025, 6, 26), "一至六年级")]   # who sits it owns it


def test_a_month_column_and_a_day_column_make_one_date():
    text = "冈东中学2024—2025学年第二学期校历\n月份    日期            星期      事项\n2月     5日             三        高三返校上课\n        8日             六        教职工返校\n"
    items = extract(text)
    assert [(i.title, i.start) for i in items] == [("高三返校上课", date(2025, 2, 5)), ("教职工返校", date(2025, 2, 8))]
