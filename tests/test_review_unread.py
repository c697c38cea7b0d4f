"""The review page marks the dates no extracted item took: the rules on hand-made items, then
the real extractor on a plan of our own, then the page through Flask."""
from __future__ import annotations

from datetime import date

from bot.admin.pages import highlighted_lines
from bot.plan.document import document_from_rows
from bot.plan.extract import PlanExtraction, extract_plan
from bot.plan.items import PlanItem
from bot.plan.reading import read_plan_bytes
from bot.plan.schoolyear import AUTUMN, SchoolYear
from bot.plan.unread import unread_times
from tests.test_admin_web import sign_in, upload, web  # noqa: F401  (web is a fixture)

YEAR = SchoolYear(2026, AUTUMN)
TITLE = "青禾小学2026-2027学年第一学期德育工作计划"


def plan(*lines: str | tuple[str, ...]):
    """A document of these lines; a tuple is a table row of those cells."""
    return document_from_rows("计划.txt", [(row, (), None, None) if isinstance(row, str) else ("\t".join(row), row, 0, None)
                                           for row in lines])


def unread_text(document, *items: PlanItem, term_start: date | None = None) -> dict[int, list[str]]:
    found = unread_times(document, PlanExtraction(items, YEAR, term_start, TITLE))
    text = {line.number: line.text for line in document.lines}
    return {number: [text[number][a:b] for a, b in spans] for number, spans in found.items()}


def test_a_date_in_a_statement_of_fact_is_unread_and_an_item_s_date_is_not():
    document = plan(TITLE, "截至2026年6月，学校共有教师62人。", "1. 9月10日开展教师节表彰活动，德育处负责。")
    item = PlanItem("开展教师节表彰活动", "9月10日开展教师节表彰活动", 3, start=date(2026, 9, 10), end=date(2026, 9, 10))
    assert unread_times(document, PlanExtraction((item,), YEAR, None, TITLE)) == {2: [(2, 9)]}
    assert unread_text(document, item) == {2: ["2026年6月"]}
    assert unread_text(document) == {2: ["2026年6月"], 3: ["9月10日"]}          # without the item its date is unread too


def test_a_second_date_on_an_item_s_line_is_unread_and_a_reworded_quote_takes_what_it_repeats():
    document = plan("1. 9月10日开展教师节表彰，9月20日召开家长会。", "2. 组织全校学生10月8日 秋游")
    first = PlanItem("开展教师节表彰", "9月10日开展教师节表彰", 1, start=date(2026, 9, 10))
    reworded = PlanItem("秋游", "10月8日秋游", 2, start=date(2026, 10, 9))      # not in the line as it is, dates off
    assert unread_text(document, first, reworded) == {1: ["9月20日"]}


def test_a_month_heading_counts_for_the_activities_under_it():
    document = plan("九月份", "1. 开学典礼", "十月份", "1. 秋季运动会")
    ceremony = PlanItem("开学典礼", "开学典礼", 2, start=date(2026, 9, 1), end=date(2026, 9, 30))
    assert unread_text(document, ceremony) == {3: ["十月份"]}                   # nothing was read under October


def test_a_table_row_s_month_cell_counts_for_the_activity_beside_it():
    document = plan(("月份", "工作内容"), ("10月", "秋季运动会"), ("11月", "家长开放日"))
    games = PlanItem("秋季运动会", "秋季运动会", 2, start=date(2026, 10, 1), end=date(2026, 10, 31))
    assert unread_text(document, games) == {3: ["11月"]}


def test_week_numbers_are_taken_by_an_item_of_those_weeks():
    document = plan("4. 第3-4周开展行为习惯检查。", "第6周前后视情况再议。")
    check = PlanItem("开展行为习惯检查", "开展行为习惯检查", 1, week=3, week_last=4)   # a quote trimmed of its time
    assert unread_text(document, check) == {2: ["第6周"]}


def test_bylines_empty_calendar_weeks_the_term_start_and_recurrences_are_not_marked():
    document = plan("发布时间：2026年8月20日 浏览次数：35", "9月1日正式开学。", "每周一升旗仪式，期末复习。",
                    "第2周", "9月7日至9月13日", "第3周", "召开家长会")
    assert unread_text(document, term_start=date(2026, 9, 1)) == {6: ["第3周"]}   # 第3周 heads a line: it may hold a task
    assert unread_text(document) == {2: ["9月1日"], 6: ["第3周"]}


def test_the_real_extractor_leaves_only_the_statement_of_fact_unread():
    text = "\n".join([TITLE, "一、基本情况", "截至2026年6月，学校共有教师62人，学生1100人。",
                      "二、主要工作", "1. 9月10日开展教师节表彰活动，德育处负责。"])
    document = read_plan_bytes(text.encode(), "计划.txt", 1 << 20)
    extraction = extract_plan(document)
    assert 5 in [item.line for item in extraction.items]
    assert unread_text(document, *extraction.items) == {3: ["2026年6月"]}


def test_lines_are_split_into_marked_segments():
    document = plan("截至2026年6月，教师62人。", "9月10日表彰")
    lines = highlighted_lines(document, (), {1: [(2, 9)]})
    assert [line.segments for line in lines] == [(("截至", False), ("2026年6月", True), ("，教师62人。", False)),
                                                 (("9月10日表彰", False),)]


def test_the_review_page_marks_unread_dates_and_escapes_the_plan(web, tmp_path):  # noqa: F811
    client, _ = web
    sign_in(client)
    (tmp_path / "计划.txt").write_text("\n".join([
        TITLE, "截至2026年6月，学校共有教师62人<script>alert(1)</script>。", "1. 9月10日开展教师节表彰活动，德育处负责。"]),
        encoding="utf-8")
    page = client.get(upload(client, tmp_path / "计划.txt").location).get_data(as_text=True)
    assert '<mark class="unread" title="没有生成任务的日期">2026年6月</mark>' in page
    assert "有 <strong>1</strong> 处日期没有生成任务" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<mark>1. 9月10日开展教师节表彰活动，德育处负责。</mark>" in page                # the found item, unmarked inside
    (tmp_path / "全读.txt").write_text(f"{TITLE}\n1. 9月10日开展教师节表彰活动，德育处负责。", encoding="utf-8")
    clean = client.get(upload(client, tmp_path / "全读.txt").location).get_data(as_text=True)
    assert "处日期没有生成任务" not in clean and 'class="unread"' not in clean
