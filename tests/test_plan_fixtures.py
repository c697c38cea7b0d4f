"""Red-team plans written for this project (tests/fixtures/plans): formats the extractor was not built on.

Eight invented plans of different schools and shapes (month list, tab 行事历 with merged rows, week
plan, prose with deadlines and recurrences, flattened calendar grid, day-only 行事历, Excel-style
frequency table, web page with owners and page furniture), each with an answer key written by the
conventions of ../shared/eval/README.md and ../shared/eval/dev/NOTES.md.  ARGS gives the options a
user would pass where the text does not state its year.

The score is a floor that held when the fixtures were written; raise it as the extractor improves.
"""
from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from datetime import date

from tests.commands import run_bot
from tests.conftest import FIXTURES, shared_or_skip

PLANS = FIXTURES / "plans"
# Blind, before the reader saw them: F1 0.747. After the rules they showed missing (clock times, week headings
# with a school's name, month titles, time cells over frequency cells…) and a second round: 0.981 (titles 0.863).
FLOOR = 0.95

RECURRENCES = re.compile(r"^(daily|weekly(:(MON|TUE|WED|THU|FRI|SAT|SUN)(,(MON|TUE|WED|THU|FRI|SAT|SUN))*)?|biweekly"
                         r"|monthly(:(start|end|by\d{1,2}))?|termly|yearly|quarterly)$")
ANCHORS = {"term_start", "midterm", "term_end", "year_end", "summer", "winter"}


def plans() -> list[tuple[str, list[str]]]:
    rows = []
    for line in (PLANS / "ARGS").read_text(encoding="utf-8").splitlines():
        if line.strip():
            name, *args = shlex.split(line)
            rows.append((name, args))
    return rows


def test_the_answer_keys_are_well_formed():
    rows = plans()
    assert len(rows) == 8
    for name, _ in rows:
        text = (PLANS / f"{name}.txt").read_text(encoding="utf-8")
        assert 30 <= len(text.splitlines()) <= 80, name
        gold = [json.loads(l) for l in (PLANS / f"{name}.gold.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
        assert gold, name
        for item in gold:
            assert {"title", "start", "end", "recurrence", "term_anchor", "owner", "quote", "section"} <= item.keys(), item
            assert item["quote"] in text, (name, item["quote"])
            assert item["start"] or item["recurrence"] or item["term_anchor"], (name, item)
            if item["start"]:
                start = date.fromisoformat(item["start"])
                assert item["end"] is None or date.fromisoformat(item["end"]) >= start, (name, item)
            assert item["recurrence"] is None or RECURRENCES.match(item["recurrence"]), (name, item)
            assert item["term_anchor"] is None or item["term_anchor"] in ANCHORS, (name, item)
            assert not (item["start"] and item["term_anchor"]), (name, item)


def extracted_f1(folder, tmp_path) -> float:
    """Extract every plan that folder's ARGS names, as the CLI does, and score them all with the shared scorer.
    A name with an extension (.docx, .xlsx) is that file; one without is its .txt."""
    scorer = shared_or_skip() / "eval" / "score_plan.py"
    pairs = []
    for line in (folder / "ARGS").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        name, *args = shlex.split(line)
        source = folder / name if (folder / name).suffix in (".docx", ".xlsx", ".txt") else folder / f"{name}.txt"
        result = run_bot("plan", "extract", source, *args, "--json")
        assert result.returncode == 0, result.stderr
        pred = tmp_path / f"{source.stem}.jsonl"
        pred.write_text(result.stdout, encoding="utf-8")
        pairs.append(f"{folder / f'{source.stem}.gold.jsonl'}:{pred}")
    result = subprocess.run([sys.executable, str(scorer), *pairs], capture_output=True, text=True, timeout=60)
    print(result.stdout)
    return float(re.search(r"plan F1: ([\d.]+)", result.stdout.strip().splitlines()[-1]).group(1))


def test_unseen_plan_formats_meet_the_floor(tmp_path):
    assert extracted_f1(PLANS, tmp_path) >= FLOOR
