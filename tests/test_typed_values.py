"""Typed domain values: one frozen value per intent, enums whose values are the stored strings,
one Term whichever way it was made, recurrences as values."""
from __future__ import annotations

from datetime import date

import pytest

from bot.understanding import (Ask, Help, Link, Mine, Progress, Query, Report, ReportStatus, Settings, Unknown,
                               parse)
from handlers import HANDLERS

TODAY = date(2024, 9, 10)


@pytest.mark.parametrize(("intent", "json"), [
    (Query(date(2024, 9, 16), date(2024, 9, 22)), {"intent": "query", "start": "2024-09-16", "end": "2024-09-22"}),
    (Query(keyword="运动会", ask=Ask.NAME), {"intent": "query", "start": None, "end": None, "keyword": "运动会", "ask": "name"}),
    (Report(ReportStatus.DONE, "12"), {"intent": "report", "status": "done", "task": "12"}),
    (Report(ReportStatus.BLOCKED, "7", note="缺少场地", person="王老师", also=(Report(ReportStatus.DONE, "8"),)),
     {"intent": "report", "status": "blocked", "task": "7", "note": "缺少场地", "person": "王老师",
      "also": [{"intent": "report", "status": "done", "task": "8"}]}),
    (Progress("12"), {"intent": "progress", "task": "12"}),
    (Mine(), {"intent": "mine"}),
    (Help(), {"intent": "help"}),
    (Link("青禾小学"), {"intent": "link", "school": "青禾小学"}),
    (Settings(), {"intent": "settings", "words": "", "switch": None}),
    (Settings("周报 8:00"), {"intent": "settings", "words": "周报 8:00", "switch": None}),
    (Settings(switch=True), {"intent": "settings", "words": "", "switch": "on"}),
    (Settings("全体教师群", switch=False), {"intent": "settings", "words": "全体教师群", "switch": "off"}),
    (Unknown(), {"intent": "unknown"}),
])
def test_each_intent_says_its_json(intent, json):
    assert intent.to_json() == json
    assert all(type(v) in (str, type(None), list) for v in intent.to_json().values())   # plain strings, not enums


@pytest.mark.parametrize(("text", "variant"), [
    ("本周有什么任务", Query), ("完成 12", Report), ("12 进度", Progress), ("我的任务", Mine), ("帮助", Help),
    ("绑定学校 青禾小学", Link), ("提醒设置", Settings), ("开启提醒", Settings), ("今天天气不错啊", Unknown),
])
def test_parse_gives_the_variant_and_a_handler_for_its_kind(text, variant):
    intent = parse(text, TODAY)
    assert type(intent) is variant
    assert intent.kind in HANDLERS


def test_every_kind_has_a_handler():
    assert {v.kind for v in (Query, Report, Progress, Mine, Help, Link, Settings, Unknown)} == set(HANDLERS)


def test_intents_carry_only_their_own_fields():
    assert parse("绑定学校 青禾小学", TODAY) == Link("青禾小学")
    assert parse("关闭提醒", TODAY) == Settings("", switch=False)
    assert parse("完成 12，13 有困难", TODAY) == Report(ReportStatus.DONE, "12", also=(Report(ReportStatus.BLOCKED, "13"),))
    assert parse("下周有什么要交的", TODAY).ask is Ask.DEADLINE
    assert not hasattr(Link("x"), "keyword") and not hasattr(Settings(), "status")
