"""Extraction quality on the shared sample plans, the development corpus and our own, scored by the
shared scorer and held as floors (issue 10: dev F1 ≥ 0.90 and titles ≥ 0.80; samples ≥ 0.95 and ≥ 0.85)."""
from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from datetime import date

import pytest

from bot.plan.extract import ExtractOptions, extract_plan
from bot.plan.reading import read_plan_file
from bot.plan.schoolyear import parse_school_year_option
from tests.conftest import FIXTURES, ROOT, shared_or_skip
from tests.factories.plan_files import text_plan_to_docx

LIMIT = 20 * 1024 * 1024
SCORE = re.compile(r"plan F1: ([\d.]+) \(precision [\d.]+, recall [\d.]+, located [\d.]+, titles ([\d.]+)\)")


def extract_to(path, out, args: str = ""):
    """Extract as the CLI would with these ARGS options, in-process, and write the JSON lines."""
    options = {}
    words = shlex.split(args)
    for flag, value in zip(words[::2], words[1::2]):
        if flag == "--school-year":
            options["school_year"] = parse_school_year_option(value)
        elif flag == "--term-start":
            options["term_start"] = date.fromisoformat(value)
    items = extract_plan(read_plan_file(path, LIMIT), ExtractOptions(**options)).items
    out.write_text("".join(json.dumps(i.to_json(), ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return out


def score(pairs: list[tuple]) -> tuple[float, float]:
    """(F1, titles) over all pairs, as the shared scorer prints them."""
    scorer = shared_or_skip() / "eval" / "score_plan.py"
    result = subprocess.run([sys.executable, str(scorer), *[f"{g}:{p}" for g, p in pairs]],
                            capture_output=True, text=True, timeout=60)
    print(result.stdout)
    f1, titles = SCORE.search(result.stdout.strip().splitlines()[-1]).groups()
    return float(f1), float(titles)


def test_seed_plans_meet_the_floor(tmp_path):
    shared = shared_or_skip()
    pairs = []
    for seed in sorted((shared / "seeds").glob("*.txt")):
        gold = shared / "eval" / "seeds" / f"{seed.stem}.gold.jsonl"
        pairs.append((gold, extract_to(seed, tmp_path / f"{seed.stem}.jsonl")))
    assert len(pairs) == 5
    f1, titles = score(pairs)
    assert f1 >= 0.95 and titles >= 0.85


def test_development_corpus_meets_the_floor(tmp_path):
    dev = shared_or_skip() / "eval" / "dev"
    pairs = []
    for line in (dev / "ARGS").read_text(encoding="utf-8").splitlines():
        name, _, args = line.strip().partition(" ")
        if name:
            pairs.append((dev / f"{name}.gold.jsonl", extract_to(dev / f"{name}.txt", tmp_path / f"{name}.jsonl", args)))
    assert len(pairs) == 13
    f1, titles = score(pairs)
    assert f1 >= 0.90 and titles >= 0.80


def test_a_seed_plan_as_a_word_document_meets_the_floor(tmp_path):
    shared = shared_or_skip()
    seed = shared / "seeds" / "002_b06f71452cdae909.txt"
    document = text_plan_to_docx(seed.read_text(encoding="utf-8"), tmp_path / "002.docx")
    pred = extract_to(document, tmp_path / "002.jsonl")
    assert score([(shared / "eval" / "seeds" / "002_b06f71452cdae909.gold.jsonl", pred)])[0] >= 0.95


@pytest.mark.parametrize("name", ["sample_plan.txt", "sample_plan.docx"])
def test_our_sample_plan_meets_the_floor(tmp_path, name):
    pred = extract_to(ROOT / "examples" / name, tmp_path / "sample.jsonl")
    assert score([(FIXTURES / "sample_plan.gold.jsonl", pred)])[0] >= 0.90
