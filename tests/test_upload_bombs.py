"""Decompression bombs and monsters: each is refused with a one-line Chinese error before it is
inflated or modelled, the process stays under 500 MB, and a normal plan still imports after it.

Every file is made here, for real: a zip whose directory promises hundreds of megabytes, a
document of millions of empty paragraphs, a workbook with one cell at XFD1048576 or a merge
over A3:XFD1048576, a text plan of hundreds of thousands of items.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT
from tests.factories.plan_files import text_plan_to_docx

PEAK_MB = 500
# Runs imports one after another in a fresh interpreter and reports, for each, its error and the peak
# memory so far.
IMPORT_AND_MEASURE = """
import json, resource, sys
from bot.config import load_settings
from bot.plan.errors import PlanReadError
from bot.plan_import import import_file
from storage.db import Database
settings = load_settings(sys.argv[1])
database = Database(settings.database.url)
database.upgrade()
for path in sys.argv[2:]:
    try:
        result = import_file(path, settings, database)
        outcome = {"imported": len(result.tasks)}
    except PlanReadError as refused:
        outcome = {"error": str(refused)}
    # VmHWM is this address space's own peak. ru_maxrss is not: exec folds the parent's resident
    # size at fork into it, so a large test runner would be measured instead of the import.
    peak_kb = next((int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")),
                   resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    outcome["peak_mb"] = peak_kb / 1024
    print(json.dumps(outcome, ensure_ascii=False), flush=True)
"""
PLAN = "2026-2027学年第一学期工作计划\n九月份\n1.9月10日 教师节表彰大会（工会）\n2.9月25日 秋季运动会（体育组）\n"


def _import(config: Path, *paths: Path) -> list[dict]:
    done = subprocess.run([sys.executable, "-c", IMPORT_AND_MEASURE, str(config), *map(str, paths)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(line) for line in done.stdout.strip().splitlines()[-len(paths):]]


@pytest.fixture
def config(tmp_path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(f"database: {{url: 'sqlite:///{tmp_path / 'bot.db'}'}}\n"
                    "school: {name: 青禾小学, terms: [{name: 第一学期, start: 2026-09-01, end: 2027-01-22}]}\n"
                    "plan: {max_file_mb: 20}\n", encoding="utf-8")
    return path


def _with_member(source: Path, target: Path, member: str, write_chunks) -> Path:
    """A copy of an Office file whose `member` is replaced by what write_chunks streams (deflated)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in original.infolist():
            if item.filename != member:
                out.writestr(item, original.read(item.filename))
        with out.open(member, "w", force_zip64=True) as stream:
            write_chunks(stream)
    return target


def inflating_docx(tmp_path: Path) -> Path:
    """About 1 MB on disk, 600 MB inflated."""
    def zeros(stream):
        chunk = b" " * (1 << 20)
        for _ in range(600):
            stream.write(chunk)
    return _with_member(text_plan_to_docx(PLAN, tmp_path / "base.docx"), tmp_path / "inflating.docx", "word/customXml.xml", zeros)


def paragraphs_docx(tmp_path: Path, count: int, numbered: bool) -> Path:
    """Empty paragraphs by the million (a few hundred KB), or numbered ones that compress as text does."""
    base = text_plan_to_docx(PLAN, tmp_path / "base.docx")
    with zipfile.ZipFile(base) as original:
        head, _, tail = original.read("word/document.xml").decode().partition("<w:body>")

    def paragraphs(stream):
        stream.write((head + "<w:body>").encode())
        for start in range(0, count, 10_000):
            if numbered:
                stream.write("".join(f"<w:p><w:r><w:t>第{i * 7919 % 100003}项</w:t></w:r></w:p>"
                                     for i in range(start, start + 10_000)).encode())
            else:
                stream.write(b"<w:p/>" * 10_000)
        stream.write(tail.encode())
    return _with_member(base, tmp_path / "paragraphs.docx", "word/document.xml", paragraphs)


def far_cell_xlsx(tmp_path: Path, merge: bool) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["A2"], sheet["B2"] = "2026-2027学年第一学期行事历", "9月10日", "教师节表彰大会"
    if not merge:
        sheet["XFD1048576"] = "x"
    base = tmp_path / "base.xlsx"
    workbook.save(base)
    if not merge:
        return base
    with zipfile.ZipFile(base) as original:
        xml = original.read("xl/worksheets/sheet1.xml").decode()
    xml = re.sub(r"</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>', xml, count=1)
    return _with_member(base, tmp_path / "merge.xlsx", "xl/worksheets/sheet1.xml", lambda stream: stream.write(xml.encode()))


def many_items_txt(tmp_path: Path) -> Path:
    path = tmp_path / "many.txt"
    lines = [f"{i}.9月{i % 28 + 1}日 第{i}项活动" for i in range(1, 60_001)]
    path.write_text("2026-2027学年第一学期工作计划\n九月份\n" + "\n".join(lines), encoding="utf-8")
    return path


MONSTERS = {   # what each is, and the words its refusal must carry (None: read as the small sheet it is)
    "inflating-docx": (inflating_docx, "解压后超过"),
    "3M-empty-paragraphs-docx": (lambda tmp: paragraphs_docx(tmp, 3_000_000, numbered=False), "内容过大"),
    "200k-paragraphs-docx": (lambda tmp: paragraphs_docx(tmp, 200_000, numbered=True), "段"),
    "cell-at-XFD1048576": (lambda tmp: far_cell_xlsx(tmp, merge=False), None),
    "merge-to-XFD1048576": (lambda tmp: far_cell_xlsx(tmp, merge=True), None),
    "60k-items-txt": (many_items_txt, "上限"),
}


def test_monster_uploads_are_refused_or_read_small_and_memory_stays_low(tmp_path, config):
    """All the monsters in one fresh interpreter, each followed by the school's real plan: the peak after
    each is the process's peak so far, so every one of them is held to the limit with all before it."""
    plan = tmp_path / "normal.txt"
    plan.write_text(PLAN, encoding="utf-8")
    files = []
    for name, (make, _) in MONSTERS.items():
        (tmp_path / name).mkdir()
        files += [make(tmp_path / name), plan]
    outcomes = iter(_import(config, *files))
    failures = []
    for name, (_, says) in MONSTERS.items():
        outcome, after = next(outcomes), next(outcomes)
        print(name, outcome)
        if outcome["peak_mb"] >= PEAK_MB:
            failures.append((name, "memory", outcome))
        if says is None and outcome.get("imported") != 1:      # the one dated row; the far cell or merge adds nothing
            failures.append((name, "not read small", outcome))
        if says is not None and not (says in outcome.get("error", "") and "\n" not in outcome["error"]):
            failures.append((name, "not refused in one line", outcome))
        if after.get("imported") != 2:                         # and the real plan still imports after it
            failures.append((name, "the real plan after it", after))
    assert not failures, failures
