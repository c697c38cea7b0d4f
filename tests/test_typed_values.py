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


def test_one_term_whether_configured_or_stored(sqlite_database):
    from bot import config, task_dates
    from storage import plans, school_calendar
    configured = config.load_settings(None, {"SCHOOLBOT_SCHOOL_TERMS": "[{name: 第一学期, start: 2026-09-01, end: 2027-01-22}]"})
    term = configured.school.terms[0]
    assert type(term) is school_calendar.Term and config.Term is school_calendar.Term
    school = plans.ensure_school(sqlite_database, "青禾小学")
    school_calendar.save_term(sqlite_database, school, term.name, term.start, term.end)
    school_calendar.add_holiday(sqlite_database, school, date(2026, 10, 30), "校运会")
    stored = school_calendar.school_terms(sqlite_database, school)[0]
    assert type(stored) is type(term)
    assert (stored.name, stored.start, stored.end, stored.edited) == (term.name, term.start, term.end, True)
    assert task_dates.days_off(stored) == {date(2026, 10, 30)} and task_dates.days_off(term) == frozenset()


def test_a_config_term_takes_only_name_and_dates():
    from bot.config import ConfigError, load_settings
    with pytest.raises(ConfigError, match=r"school\.terms\[0\]\.days_off"):
        load_settings(None, {"SCHOOLBOT_SCHOOL_TERMS": "[{name: a, start: 2026-09-01, end: 2027-01-22, days_off: []}]"})


def test_reminder_kinds_and_delivery_states_are_the_stored_words():
    from storage.deliveries import DeliveryState, ReminderKind
    assert [k.value for k in ReminderKind] == ["digest", "eve", "morning", "deadline", "recurring", "chase", "alert", "missed"]
    assert [s.value for s in DeliveryState] == ["pending", "sending", "sent", "retry", "failed", "dropped"]
    assert ReminderKind.EVE == "eve" and f"{ReminderKind.CHASE}:12" == "chase:12"   # dedupe keys as before


def test_the_ledger_stores_the_words_and_reads_back_the_enums(database):
    from datetime import datetime, timezone

    from sqlalchemy import select

    from storage import chats, deliveries, plans
    from storage.deliveries import DeliveryState, NewDelivery, ReminderKind
    from storage.models import ReminderDelivery
    school = plans.ensure_school(database, "青禾小学")
    chat = chats.ensure_chat(database, "dingtalk", "cid", "教师群", school)
    now = datetime(2026, 9, 1, 8, tzinfo=timezone.utc)
    deliveries.record(database, [NewDelivery("eve:1", ReminderKind.DIGEST, None, chat.id, now.date(), now)])
    row, = deliveries.outstanding(database, now)
    assert (row.kind, row.state) == (ReminderKind.DIGEST, DeliveryState.PENDING) and type(row.state) is DeliveryState
    deliveries.mark(database, row.id, DeliveryState.RETRY, "paced", now)
    with database.engine.connect() as conn:
        stored = conn.execute(select(ReminderDelivery.kind, ReminderDelivery.state)).one()
    assert tuple(stored) == ("digest", "retry")
    assert deliveries.troubled_groups(database, now) == [(chat.id, 0, 1)]


def test_a_tasks_rhythm_is_read_once_from_its_stored_code():
    from bot.texts import format as texts
    from bot.task_dates import recurrence_of, recurs_in
    from bot.timegrammar.recurrence import Recurrence
    from storage.plans import TaskRow
    task = TaskRow(1, 3, "升旗仪式", None, None, "weekly:MON", None, None, None, "", "", 1)
    rhythm = recurrence_of(task)
    assert rhythm == Recurrence("weekly", weekdays=(0,)) and rhythm is Recurrence.parse("weekly:MON")   # cached, shared
    assert texts.describe_recurrence(rhythm) == "每周一" and texts.rhythm_word(rhythm) == "每周"
    assert recurs_in(rhythm, date(2026, 9, 7), date(2026, 9, 7), None) and not recurs_in(None, date(2026, 9, 7), date(2026, 9, 7), None)
    assert texts.describe_when(None, None, "fortnightly:MON", None, None) == "fortnightly:MON"   # a newer version's code


def test_the_plan_reader_finds_rhythms_as_values():
    from bot.plan.timewords import RECUR, find_times
    from bot.timegrammar.recurrence import Recurrence
    rules = {m.rule for m in find_times("每月8日前上交，每学期一次，每周二例会", None) if m.kind == RECUR}
    assert {Recurrence("monthly", by_day=8), Recurrence("termly")} <= rules
    assert Recurrence.monthly_by("8") == Recurrence("monthly", by_day=8) and Recurrence.monthly_by("32") == Recurrence("monthly")
