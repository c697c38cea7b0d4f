"""Reading plan files of every supported kind, and refusing what is not a plan."""
from __future__ import annotations

import codecs

import docx
import pytest

from bot.plan.errors import PlanReadError
from bot.plan.reading import read_plan_bytes, read_plan_file
from tests.factories.plan_files import calendar_xlsx, text_plan_to_docx

LIMIT = 1024 * 1024
PLAN = "示例小学2026-2027学年工作计划\n每周一举行升旗仪式。\n"


@pytest.mark.parametrize("encoded", [
    PLAN.encode("utf-8"),
    codecs.BOM_UTF8 + PLAN.encode("utf-8"),
    PLAN.encode("gbk"),
    PLAN.encode("gb18030"),
    codecs.BOM_UTF16_LE + PLAN.encode("utf-16-le"),
], ids=["utf8", "utf8-bom", "gbk", "gb18030", "utf16"])
def test_text_encodings_are_detected(encoded):
    document = read_plan_bytes(encoded, "plan.txt", LIMIT)
    assert document.lines[1].text == "每周一举行升旗仪式。"


def test_conversion_debris_is_stripped():
    document = read_plan_bytes("[bookmark: OLE_LINK1][bookmark: _GoBack]一、指导思想".encode(), "plan.txt", LIMIT)
    assert document.lines[0].text == "一、指导思想"


def test_line_numbers_follow_the_file():
    document = read_plan_bytes("第一行\r\n\r\n第三行".encode(), "plan.txt", LIMIT)
    assert [(line.number, line.text) for line in document.lines] == [(1, "第一行"), (2, ""), (3, "第三行")]


@pytest.mark.parametrize("data, name, message", [
    (b"", "plan.txt", "空文件"),
    (b"   \n\n", "plan.txt", "空文件"),
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "plan.docx", "不是有效的Word 文档"),
    (b"\x00\x01\x02\x03", "plan.txt", "二进制"),
    (bytes([0x80, 0xFF]) * 8, "plan.txt", "编码"),
    (b"PK\x03\x04not really a zip", "plan.docx", "Word"),
    (b"PK\x03\x04not really a zip", "plan.xlsx", "Excel"),
    (b"whatever", "plan.doc", ".doc"),
    (b"whatever", "plan.pdf", "不支持"),
], ids=["empty", "blank", "png-as-docx", "binary-txt", "undecodable", "bad-docx", "bad-xlsx", "old-doc", "pdf"])
def test_bad_files_get_a_clear_chinese_error(data, name, message):
    with pytest.raises(PlanReadError) as error:
        read_plan_bytes(data, name, LIMIT)
    assert message.replace(" ", "") in str(error.value).replace(" ", "")
    assert "\n" not in str(error.value)


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "plan.txt"
    with huge.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(PlanReadError, match="超过 20 MB"):
        read_plan_file(huge, 20 * 1024 * 1024)


def test_missing_file(tmp_path):
    with pytest.raises(PlanReadError, match="找不到文件"):
        read_plan_file(tmp_path / "nope.txt", LIMIT)


def test_docx_keeps_body_order_and_reads_merged_cells_per_row(tmp_path):
    path = text_plan_to_docx("一、工作安排\n前言段落\n月份\t内容\n9月\t开学典礼\n9月\t军训\n10月\t运动会\n结尾段落", tmp_path / "p.docx")
    document = read_plan_file(path, LIMIT)
    texts = [line.text for line in document.lines]
    assert texts == ["一、工作安排", "前言段落", "月份\t内容", "9月\t开学典礼", "9月\t军训", "10月\t运动会", "结尾段落"]
    assert document.lines[0].heading_level == 1
    assert document.lines[4].cells == ("9月", "军训")
    assert document.lines[4].table == 1


def test_docx_soft_line_breaks_become_lines(tmp_path):
    path = tmp_path / "p.docx"
    d = docx.Document()
    d.add_paragraph("第一句\n第二句")
    d.save(path)
    assert [line.text for line in read_plan_file(path, LIMIT).lines] == ["第一句", "第二句"]


def test_xlsx_fills_merged_cells_and_formats_dates(tmp_path):
    from datetime import datetime
    path = calendar_xlsx(tmp_path / "c.xlsx", "行事历", ["周次", "日期", "内容"], [
        [1, datetime(2026, 8, 31), "开学典礼"],
        [1, datetime(2026, 8, 31), "新生军训"],
    ])
    rows = [line for line in read_plan_file(path, LIMIT).lines if line.cells]
    assert rows[0].text == "行事历"  # a title merged across the sheet is read once
    assert rows[2].cells == ("1", "2026-08-31", "开学典礼")
    assert rows[3].cells == ("1", "2026-08-31", "新生军训")


def test_xlsx_reads_chinese_date_formats_and_time_cells_as_the_sheet_shows_them(tmp_path):
    import datetime as dt

    import openpyxl

    from bot.plan.read_xlsx import _cell_text
    workbook = openpyxl.Workbook()
    workbook.active.append(["日期", "时间", "活动内容"])
    workbook.active.append([dt.date(2025, 9, 10), dt.time(8, 30), "拼音教学研讨"])
    workbook.save(tmp_path / "t.xlsx")
    assert read_plan_file(tmp_path / "t.xlsx", LIMIT).lines[-1].cells == ("2025-09-10", "8:30", "拼音教学研讨")
    # numFmtId 58 (m"月"d"日") is a Chinese Excel's built-in that openpyxl does not know as a date
    assert _cell_text(45910, 58) == "2025-09-10" and _cell_text(45910, 0) == "45910"
