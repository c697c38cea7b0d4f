"""A Word and an Excel version of a plan score like the text (issue 10).

Every shared plan (the seeds and the dev set) is rebuilt as its office would have it — a .docx with
paragraphs and tables, a .xlsx with the lines in column A and the table rows beside them — read by
the app's own readers, extracted in-process and scored by the shared scorer beside the text version.
"""
from __future__ import annotations

import importlib.util
import json
import shlex
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from bot.plan.extract import ExtractOptions, extract_plan
from bot.plan.reading import read_plan_bytes, read_plan_file
from bot.plan.schoolyear import parse_school_year_option
from tests.conftest import shared_or_skip
from tests.factories.plan_files import text_plan_docx, text_plan_xlsx

LIMIT = 20 * 1024 * 1024
FORMATS = ("txt", "docx", "xlsx")
F1_TOLERANCE = 0.02
TITLE_TOLERANCE = 0.03


@dataclass(frozen=True)
class Figures:
    f1: float
    precision: float
    recall: float
    titles: float
    gold: int


def _scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("score_plan", shared / "eval" / "score_plan.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _options(args_file: Path) -> dict[str, ExtractOptions]:
    """ARGS: a document name, then --school-year Y and/or --term-start YYYY-MM-DD."""
    options = {}
    for line in args_file.read_text(encoding="utf-8").splitlines():
        words = shlex.split(line)
        if not words:
            continue
        name, flags = words[0], dict(zip(words[1::2], words[2::2]))
        assert set(flags) <= {"--school-year", "--term-start"} and len(words) % 2 == 1, line
        options[name] = ExtractOptions(
            school_year=parse_school_year_option(flags["--school-year"]) if "--school-year" in flags else None,
            term_start=date.fromisoformat(flags["--term-start"]) if "--term-start" in flags else None,
        )
    return options


def _corpora(shared: Path) -> dict[str, list[tuple[Path, Path, ExtractOptions]]]:
    dev = shared / "eval" / "dev"
    options = _options(dev / "ARGS")
    return {
        "seeds": [(t, shared / "eval" / "seeds" / f"{t.stem}.gold.jsonl", ExtractOptions())
                  for t in sorted((shared / "seeds").glob("*.txt"))],
        "dev": [(t, dev / f"{t.stem}.gold.jsonl", options.get(t.stem, ExtractOptions()))
                for t in sorted(dev.glob("*.txt"))],
    }


def _figures(results) -> Figures:
    """What score_plan.py's last line says, from its score() results."""
    needed = exact = scored = 0
    titles: list[float] = []
    for n, _found, e, s, _r, _misses, _false, t in results:
        needed, exact, scored, titles = needed + n, exact + e, scored + s, titles + t
    precision = exact / scored if scored else 0.0
    recall = exact / needed if needed else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Figures(f1, precision, recall, sum(titles) / len(titles) if titles else 0.0, needed)


@pytest.fixture
def scored(tmp_path_factory):
    """corpus → format → Figures, plus the plan titles each format's extraction gave."""
    shared = shared_or_skip()
    scorer = _scorer(shared)
    work = tmp_path_factory.mktemp("formats")
    figures, plan_titles = {}, {}
    for corpus, documents in _corpora(shared).items():
        assert documents, f"no {corpus} plans in {shared}"
        results = {fmt: [] for fmt in FORMATS}
        for text_path, gold_path, options in documents:
            text = text_path.read_text(encoding="utf-8")
            paths = {
                "txt": text_path,
                "docx": text_plan_docx(text, work / f"{text_path.stem}.docx"),
                "xlsx": text_plan_xlsx(text, work / f"{text_path.stem}.xlsx"),
            }
            gold = scorer.load(gold_path)
            for fmt, path in paths.items():
                document = read_plan_file(path, LIMIT)
                extraction = extract_plan(document, options)
                for item in extraction.items:
                    assert item.quote in document.text, (path.name, item.quote)
                predictions = work / f"{text_path.stem}.{fmt}.jsonl"
                predictions.write_text("".join(json.dumps(i.to_json(), ensure_ascii=False) + "\n"
                                               for i in extraction.items), encoding="utf-8")
                results[fmt].append(scorer.score(gold, scorer.load(predictions)))
                plan_titles[(text_path.stem, fmt)] = extraction.title
        figures[corpus] = {fmt: _figures(results[fmt]) for fmt in FORMATS}
        for fmt, f in figures[corpus].items():
            print(f"\n{corpus:5} {fmt:4}: plan F1 {f.f1:.3f} (precision {f.precision:.3f}, recall {f.recall:.3f}, "
                  f"titles {f.titles:.3f}) over {f.gold} gold items in {len(documents)} plans", end="")
    print()
    return figures, plan_titles


def test_an_office_version_scores_like_the_text_and_has_its_title(scored):
    """One test, so that one worker builds and scores every version once (the parallel run would split
    separate tests of one module-wide build across its workers, and build it twice)."""
    figures, plan_titles = scored
    unlike = []
    for corpus in ("seeds", "dev"):
        for fmt in ("docx", "xlsx"):
            text, office = figures[corpus]["txt"], figures[corpus][fmt]
            if abs(office.f1 - text.f1) > F1_TOLERANCE or abs(office.titles - text.titles) > TITLE_TOLERANCE:
                unlike.append((corpus, fmt, office, text))
    assert not unlike
    differ = {k: v for k, v in plan_titles.items() if k[1] != "txt" and v != plan_titles[(k[0], "txt")]}
    assert not differ


# The factory and the readers on small plans of our own ---------------------------------------------

PLAN = "\n".join([
    "2026学年第一学期行事历",
    "周次 | 日期 | 内容 | 处室",
    "第1周 | 9月1日 | 开学典礼 | 德育处",
    "9月2日 | 新生军训",                      # a web copy lost the merged cells
    "| 9月3日 | 教师会议 | 校长室",            # an empty first cell
    "注：如有变动另行通知。",
    "月份\t工作",
    "10月\t运动会",
])


def _cells(document):
    return [(line.cells, line.table) for line in document.lines]


@pytest.mark.parametrize("build", [text_plan_docx, text_plan_xlsx], ids=["docx", "xlsx"])
def test_office_versions_keep_the_texts_lines_and_cells(tmp_path, build):
    text = read_plan_bytes(PLAN.encode(), "p.txt", LIMIT)
    office = read_plan_file(build(PLAN, tmp_path / f"p.{build.__name__[-4:]}"), LIMIT)
    assert [line.cells for line in office.lines] == [line.cells for line in text.lines]
    tables = [line.table for line in office.lines]
    assert tables[0] is None and tables[5] is None
    assert len(set(tables[1:5])) == 1 and len(set(tables[6:])) == 1 and tables[1] != tables[6]


def test_a_converted_month_table_is_rebuilt_with_its_month_merged(tmp_path):
    text = "安排表\n\t月份\n\t工作安排\n\n\t9月份\n\t1.开学典礼\n\n\t\n\t2.军训\n\t10月份\n\t1.运动会\n3、说明。\t"
    document = read_plan_file(text_plan_docx(text, tmp_path / "m.docx"), LIMIT)
    assert [line.cells for line in document.lines] == [
        (), ("月份", "工作安排"), ("9月份", "1.开学典礼"), ("9月份", "2.军训"), ("10月份", "1.运动会"), ()]
    assert document.lines[-1].text == "3、说明。"
    sheet = read_plan_file(text_plan_xlsx(text, tmp_path / "m.xlsx"), LIMIT)
    assert [line.cells for line in sheet.lines] == [line.cells for line in document.lines]


def test_xlsx_column_a_lines_are_text_and_default_sheet_names_are_not_lines(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active  # "Sheet"
    sheet.append(["学校工作计划"])
    sheet.append(["日期", "内容"])
    sheet.append(["9月1日", "开学典礼"])
    sheet.append(["二、具体安排"])
    sheet.append(["9月10日", "教师节"])
    named = workbook.create_sheet("行事历")
    named.append(["周次", "内容"])
    workbook.save(tmp_path / "w.xlsx")
    lines = read_plan_file(tmp_path / "w.xlsx", LIMIT).lines
    assert [(line.text, line.table) for line in lines] == [
        ("学校工作计划", None), ("日期\t内容", 1), ("9月1日\t开学典礼", 1), ("二、具体安排", None),
        ("9月10日\t教师节", 2), ("行事历", None), ("周次\t内容", 3)]
    assert lines[0].cells == () and lines[5].heading_level == 1


def test_docx_short_rows_keep_only_their_own_cells(tmp_path):
    path = text_plan_docx("日期 | 内容 | 处室\n9月2日 | 新生军训", tmp_path / "s.docx")
    rows = docx.Document(path).tables[0].rows
    assert len(rows[1].cells) == 2 and rows[1].grid_cols_after == 1
