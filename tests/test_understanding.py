"""Understanding chat messages: the parse contract scored on the shared examples and on our own phrasings."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.understanding import parse
from tests.commands import run_bot
from tests.conftest import FIXTURES, shared_or_skip

TODAY = date(2024, 9, 10)


def score_batch(cases_path, tmp_path) -> float:
    out = tmp_path / "parsed.jsonl"
    result = run_bot("parse", "--batch", cases_path)
    assert result.returncode == 0, result.stderr
    out.write_text(result.stdout, encoding="utf-8")
    scorer = shared_or_skip() / "eval" / "score_parse.py"
    scored = subprocess.run([sys.executable, str(scorer), str(cases_path), str(out)], capture_output=True, text=True)
    print(scored.stdout)
    return float(re.search(r"= ([\d.]+)%", scored.stdout).group(1))


def test_shared_examples_meet_the_floor(tmp_path):
    assert score_batch(shared_or_skip() / "eval" / "utterances.example.jsonl", tmp_path) >= 97.0


def test_our_own_phrasings_meet_the_floor(tmp_path):
    assert score_batch(FIXTURES / "utterances.jsonl", tmp_path) >= 95.0


def test_phrasings_by_cause_meet_the_floor(tmp_path):
    """chat_phrasings.jsonl: written blind to the parser, grouped by cause (leftover words, 繁体,
    colloquial and English, parts of months, reports, help, chit-chat, new questions)."""
    assert score_batch(FIXTURES / "chat_phrasings.jsonl", tmp_path) >= 97.0


def test_second_set_by_other_teachers_meets_the_floor(tmp_path):
    """chat_phrasings_holdout.jsonl: a second set written blind (80.2% before the fixes it led to):
    voice-to-text filler, 您/请问 sentences, slang, 2026.3.5 and 3-5 dates, promises, notices."""
    assert score_batch(FIXTURES / "chat_phrasings_holdout.jsonl", tmp_path) >= 97.0


def test_single_message_contract():
    result = run_bot("parse", "下周三有什么活动", "--today", "2024-09-10")
    assert json.loads(result.stdout) == {"intent": "query", "start": "2024-09-18", "end": "2024-09-18"}


def test_blocked_report_keeps_its_note():
    intent = parse("7 有困难，缺少场地", TODAY)
    assert (intent.kind, intent.status, intent.task, intent.note) == ("report", "blocked", "7", "缺少场地")


def test_a_bare_status_asks_which_task():
    intent = parse("已完成", TODAY)
    assert (intent.kind, intent.status, intent.task) == ("report", "done", None)


def test_term_week_needs_the_term():
    assert parse("第三周有什么", TODAY).start is None
    intent = parse("第三周有什么", TODAY, term=(date(2024, 9, 2), date(2025, 1, 20)))
    assert (intent.start, intent.end) == (date(2024, 9, 16), date(2024, 9, 22))


@pytest.mark.parametrize("text", ["本周有什么任务", "＠校务助手　本周有什么任务", "本周  有什么任务🙂", "本周有什么任务？？"])
def test_noise_does_not_change_the_answer(text):
    assert (parse(text, TODAY).start, parse(text, TODAY).end) == (date(2024, 9, 9), date(2024, 9, 15))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_any_text_parses_to_a_known_intent(text, today):
    intent = parse(text, today)
    assert intent.kind in {"query", "report", "progress", "help", "mine", "link", "settings", "unknown"}
    json.dumps(intent.to_json())


@pytest.mark.parametrize("text", ["6还有谁没交", "12谁没交", "#6 还有谁没完成", "完成了吗 12", "12 咋还没完成"])
def test_a_question_never_reports(text):
    assert parse(text, date(2026, 12, 1)).kind in ("progress", "query", "unknown")


@pytest.mark.parametrize("text, span, keyword", [
    ("下週有什麼活動", ("2026-12-07", "2026-12-13"), None),
    ("本週有什麼任務", ("2026-11-30", "2026-12-06"), None),
    ("運動會什麼時候", (None, None), "运动会"),
    ("this week有什么任务", ("2026-11-30", "2026-12-06"), None),
    ("Next week 有啥", ("2026-12-07", "2026-12-13"), None),
    ("tomorrow有啥", ("2026-12-02", "2026-12-02"), None),
    ("今儿有啥", ("2026-12-01", "2026-12-01"), None),
])
def test_traditional_characters_and_english_time_words(text, span, keyword):
    intent = parse(text, date(2026, 12, 1))
    assert intent.kind == "query"
    assert (intent.start and intent.start.isoformat(), intent.end and intent.end.isoformat()) == span
    assert intent.keyword == keyword


@pytest.mark.parametrize("text", ["能干嘛", "都有啥功能", "咋操作", "你能做啥", "幫助"])
def test_ways_of_asking_for_help(text):
    assert parse(text, date(2026, 12, 1)).kind == "help"


@pytest.mark.parametrize("text, span", [
    ("下周二到周四有什么", ("2026-12-08", "2026-12-10")),
    ("周三至周五有啥安排", ("2026-12-02", "2026-12-04")),
    ("12/8有什么", ("2026-12-08", "2026-12-08")),
    ("12月下旬有什么活动", ("2026-12-21", "2026-12-31")),
])
def test_weekday_ranges_slash_dates_and_parts_of_a_month(text, span):
    intent = parse(text, date(2026, 12, 1))
    assert (intent.kind, intent.start.isoformat(), intent.end.isoformat()) == ("query", *span)


@pytest.mark.parametrize("text", ["明天见～", "周末快乐", "我明天请个假", "好的，周四前交"])
def test_a_day_named_in_passing_is_no_question(text):
    assert parse(text, date(2026, 12, 1)).kind == "unknown"


@pytest.mark.parametrize("text, keyword", [
    ("明天有啥要弄的不", None), ("2025年3月有什么", None), ("期中考试啥时候考", "期中考试"),
    ("下周有没有公开课", "公开课"), ("开学典礼什么时候", "开学典礼"), ("什么时候开家长会", "家长会"),
])
def test_leftover_words_are_not_taken_for_a_topic(text, keyword):
    assert parse(text, date(2026, 12, 1)).keyword == keyword


def test_a_year_said_with_its_month_is_that_year():
    intent = parse("2025年3月有什么", date(2026, 12, 1))
    assert (intent.start, intent.end) == (date(2025, 3, 1), date(2025, 3, 31))


def test_a_day_and_a_topic_without_chatter_is_still_a_question():
    intent = parse("下周三升旗", date(2026, 12, 1))
    assert (intent.kind, intent.start, intent.keyword) == ("query", date(2026, 12, 9), "升旗")


def test_a_pasted_essay_is_read_no_further_than_a_question_needs():
    intent = parse("本周" * 5000, TODAY)   # thousands of spans would make reading them quadratic
    assert intent.kind == "query" and (intent.start, intent.end) == (date(2024, 9, 9), date(2024, 9, 15))
