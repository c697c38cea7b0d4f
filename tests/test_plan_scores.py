"""Extraction quality on the shared sample plans and our own, scored by the shared scorer as a floor."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import FIXTURES, ROOT, shared_or_skip
from tests.factories.plan_files import text_plan_to_docx

FLOOR = 0.90


def extract_to(path, out):
    result = subprocess.run([sys.executable, "-m", "bot", "plan", "extract", str(path), "--json"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out.write_text(result.stdout, encoding="utf-8")
    return out


def score(pairs: list[tuple]) -> float:
    scorer = shared_or_skip() / "eval" / "score_plan.py"
    result = subprocess.run([sys.executable, str(scorer), *[f"{g}:{p}" for g, p in pairs]],
                            capture_output=True, text=True, timeout=60)
    last = result.stdout.strip().splitlines()[-1]
    print(result.stdout)
    return float(re.search(r"plan F1: ([\d.]+)", last).group(1))


def test_seed_plans_meet_the_floor(tmp_path):
    shared = shared_or_skip()
    pairs = []
    for seed in sorted((shared / "seeds").glob("*.txt")):
        gold = shared / "eval" / "seeds" / f"{seed.stem}.gold.jsonl"
        pairs.append((gold, extract_to(seed, tmp_path / f"{seed.stem}.jsonl")))
    assert len(pairs) == 5
    assert score(pairs) >= FLOOR


def test_a_seed_plan_as_a_word_document_meets_the_floor(tmp_path):
    shared = shared_or_skip()
    seed = shared / "seeds" / "002_b06f71452cdae909.txt"
    document = text_plan_to_docx(seed.read_text(encoding="utf-8"), tmp_path / "002.docx")
    pred = extract_to(document, tmp_path / "002.jsonl")
    assert score([(shared / "eval" / "seeds" / "002_b06f71452cdae909.gold.jsonl", pred)]) >= FLOOR


@pytest.mark.parametrize("name", ["sample_plan.txt", "sample_plan.docx"])
def test_our_sample_plan_meets_the_floor(tmp_path, name):
    pred = extract_to(ROOT / "examples" / name, tmp_path / "sample.jsonl")
    assert score([(FIXTURES / "sample_plan.gold.jsonl", pred)]) >= FLOOR
