"""The rules that used to live in storage, and the ones that were written several times, each in its
one home: pure functions, tested without a database."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from bot import schools, task_edit_rules
from bot.platforms.dingtalk import sign, verify
from bot.platforms.robots import signed_url
from bot.reminder_rules.groups import reachable, receiving, reminders_on
from bot.task_dates import in_term, next_term, term_for, term_now_or_next
from bot.task_edit_rules import EditError, checked_change
from storage import task_edits
from storage.school_calendar import Term
from storage.task_edits import TaskChange


@dataclass(frozen=True)
class Group:
    platform: str
    by_webhook: bool
    settings: dict = field(default_factory=dict)
    by_app: bool = False


# --- a WeCom group needs a webhook; who gets reminders ------------------------------------------

@pytest.mark.parametrize("platform, by_webhook, expected", [
    ("wecom", False, False),      # WeCom reaches ordinary groups only through a group robot's webhook
    ("wecom", True, True),
    ("dingtalk", False, True),    # the enterprise robot posts into the conversation
    ("dingtalk", True, True),
])
def test_only_a_webhook_or_dingtalk_s_robot_reaches_a_group(platform, by_webhook, expected):
    assert reachable(Group(platform, by_webhook)) is expected


@pytest.mark.parametrize("group, expected", [
    (Group("wecom", True), True),                                  # configured by webhook: on until switched off
    (Group("dingtalk", True, {"enabled": False}), False),
    (Group("dingtalk", True, {"digest": False}), True),
    (Group("dingtalk", False), False),                             # a conversation: off until an admin switches it on
    (Group("dingtalk", False, {"enabled": True}), True),
    (Group("dingtalk", False, {"enabled": "yes"}), False),         # only a real True switches it on
    (Group("wecom", False, {"enabled": True}), False),             # switched on, but out of reach
    (Group("wecom", False, {"enabled": True}, by_app=True), True),  # the WeCom app's one-to-one reminders
    (Group("wecom", False, {"enabled": False}, by_app=True), False),
])
def test_reminders_on(group, expected):
    assert reminders_on(group) is expected


def test_receiving_keeps_the_order_and_drops_the_groups_without_reminders():
    groups = [Group("wecom", True), Group("wecom", False, {"enabled": True}), Group("dingtalk", False, {"enabled": True}),
              Group("dingtalk", True, {"enabled": False})]
    assert receiving(groups) == [groups[0], groups[2]]


# --- config or office: the home school's terms and name --------------------------------------

AUTUMN = Term("第一学期", date(2026, 9, 1), date(2027, 1, 22))
SPRING = Term("第二学期", date(2027, 2, 22), date(2027, 7, 2))


def test_config_terms_fill_an_empty_calendar():
    assert schools.config_term_writes([AUTUMN, SPRING], ()) == [AUTUMN, SPRING]


def test_config_dates_apply_to_a_term_the_office_never_edited():
    stored = (Term("第一学期", date(2026, 9, 1), date(2027, 1, 29)),)
    assert schools.config_term_writes([AUTUMN], stored) == [AUTUMN]


def test_a_term_already_as_configured_is_not_written_again():
    assert schools.config_term_writes([AUTUMN], (AUTUMN,)) == []


def test_dates_the_office_saved_win_over_the_config():
    stored = (Term("第一学期", date(2026, 9, 7), date(2027, 1, 22), edited=True),)
    assert schools.config_term_writes([AUTUMN], stored) == []


def test_once_the_office_edited_a_term_a_config_term_it_renamed_or_deleted_stays_away():
    stored = (Term("2026-2027学年第一学期", date(2026, 9, 1), date(2027, 1, 22), edited=True),
              Term("第二学期", date(2027, 2, 20), date(2027, 7, 2)))
    assert schools.config_term_writes([AUTUMN, SPRING], stored) == [SPRING]   # the unedited one still follows the config


def test_a_school_name_is_kept_with_single_spaces_and_at_most_100_characters():
    assert schools.school_name_from("  青禾\t实验   小学 ") == "青禾 实验 小学"
    assert schools.school_name_from("校" * 150) == "校" * 100


def test_an_empty_school_name_is_refused_in_chinese_before_any_query():
    with pytest.raises(schools.SchoolNameTaken, match="学校名称不能为空"):
        schools.checked_school_name(None, 1, " \u3000 ")


# --- the office's task corrections ----------------------------------------------------------------

def test_a_task_needs_a_name():
    with pytest.raises(EditError, match="任务名称不能为空"):
        checked_change(TaskChange("   ", date(2026, 10, 1)))


def test_a_task_cannot_end_before_it_starts():
    with pytest.raises(EditError, match="结束日期早于开始日期"):
        checked_change(TaskChange("家访", date(2026, 10, 14), date(2026, 10, 12)))


def test_a_change_is_stored_trimmed_with_blanks_as_none():
    checked = checked_change(TaskChange(" 家访 ", date(2026, 10, 12), date(2026, 10, 14), owner="  ", recurrence=""))
    assert checked == TaskChange("家访", date(2026, 10, 12), date(2026, 10, 14), None, None)
    assert checked_change(TaskChange("长" * 300)).title == "长" * 200
    assert checked_change(TaskChange("教研", owner=" 教务处 ")).owner == "教务处"


def test_merging_a_task_with_itself_is_refused_before_storage_is_asked():
    with pytest.raises(EditError, match="请选择两项不同的任务"):
        task_edit_rules.merge_tasks(None, 1, 7, 7)


def test_a_task_gone_meanwhile_reads_as_one_chinese_line(monkeypatch):
    def gone(*args):
        raise task_edits.TaskGone(7)

    monkeypatch.setattr(task_edits, "delete_task", gone)
    with pytest.raises(EditError, match="没有这项任务"):
        task_edit_rules.delete_task(None, 1, 7)


def test_an_invalid_change_never_reaches_storage(monkeypatch):
    monkeypatch.setattr(task_edits, "add_task", lambda *args: pytest.fail("stored"))
    with pytest.raises(EditError):
        task_edit_rules.add_task(None, 1, TaskChange(""))


# --- DingTalk's signature, one formula for callbacks and robots' 加签 ------------------------------

def test_the_robot_s_sign_is_the_callback_signature_url_encoded():
    url = signed_url("https://oapi.dingtalk.com/robot/send?access_token=t", "this is secret", 1577262236757)
    query = parse_qs(urlsplit(url).query)
    assert query["timestamp"] == ["1577262236757"]
    assert query["sign"] == ["hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM="] == [sign("1577262236757", "this is secret")]
    assert "+" not in urlsplit(url).query.split("sign=")[1]   # encoded: a raw "+" would read as a space
    verify(query["timestamp"][0], query["sign"][0], "this is secret", now_ms=1577262236757)   # the callback check accepts it


def test_a_robot_without_a_secret_is_not_signed():
    assert signed_url("https://oapi.dingtalk.com/robot/send?access_token=t", None, 1) == "https://oapi.dingtalk.com/robot/send?access_token=t"


# --- which term applies to a day or a span ----------------------------------------------------------

def test_the_term_of_a_day_or_a_span_is_the_first_one_it_touches():
    terms = (SPRING, AUTUMN)   # in any order
    assert term_for(terms, date(2026, 10, 1)) == AUTUMN
    assert term_for(terms, date(2027, 2, 1)) is None                          # the winter break
    assert term_for(terms, date(2027, 1, 18), date(2027, 3, 1)) == AUTUMN      # a span across the break: the earlier term
    assert term_for(terms, date(2027, 1, 23), date(2027, 2, 22)) == SPRING     # touching the spring term's first day
    assert term_for((), date(2026, 10, 1)) is None


def test_the_term_now_else_the_next_one():
    terms = (SPRING, AUTUMN)
    assert term_now_or_next(terms, date(2027, 1, 22)) == AUTUMN
    assert term_now_or_next(terms, date(2027, 1, 23)) == SPRING
    assert next_term(terms, date(2026, 8, 1)) == AUTUMN
    assert term_now_or_next(terms, date(2027, 7, 3)) is None


def test_every_day_is_term_time_when_no_terms_are_known():
    assert in_term((), date(2027, 2, 1))
    assert not in_term((AUTUMN, SPRING), date(2027, 2, 1))
    assert in_term((AUTUMN, SPRING), date(2027, 2, 22))
