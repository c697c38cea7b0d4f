"""How admins say a group's reminder settings in chat, and how the bot says them back (in the words
of bot.texts). Pure.

"周报 8:00 前一天 关 截止 5,2,1 免打扰 22:00-6:30": each label is followed by its value, up to
the next label. Values: 开/关, a time (8:00, 8点, 7点半), days before a deadline (5,2,1),
or for 免打扰 a range of times. The result is a dict of stored setting names to JSON values.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, fields
from datetime import time

from bot import texts

from .planning import ReminderSettings

log = logging.getLogger(__name__)

LABELS = {  # what admins type → the setting it is about
    "周报": "digest", "每周汇总": "digest", "周汇总": "digest",
    "前一天提醒": "eve", "前一天": "eve", "提前一天": "eve", "前一晚": "eve",
    "当天提醒": "morning", "当天": "morning", "当日": "morning",
    "截止提醒": "deadline", "截止": "deadline", "到期": "deadline",
    "例行提醒": "recurring", "例行事项": "recurring", "例行": "recurring",
    "催报": "chase", "催办": "chase",
    "免打扰": "quiet",
    "全部提醒": "enabled", "提醒": "enabled", "全部": "enabled",
}
LABEL = re.compile("|".join(sorted(map(re.escape, LABELS), key=len, reverse=True)))
ON = re.compile(r"^(?:开启|打开|启用|开通|开|on|要)$", re.IGNORECASE)
OFF = re.compile(r"^(?:关闭|停用|关掉|取消|关|off|不要)$", re.IGNORECASE)
CLOCK = re.compile(r"(?P<h>\d{1,2})\s*(?:[:：.]\s*(?P<m>\d{2})|点\s*(?:(?P<m2>\d{1,2})\s*分?|(?P<half>半))?)")
DAYS = re.compile(r"^\d{1,2}(?:\s*[,，、和及\s]\s*\d{1,2})*\s*天?$")
SEPARATORS = " \t,，、;；:：=为"


@dataclass(frozen=True)
class SettingWords:
    changes: dict
    error: str | None = None


def parse_setting_words(words: str) -> SettingWords:
    labels = list(LABEL.finditer(words))
    if not labels or words[:labels[0].start()].strip(SEPARATORS):
        return SettingWords({}, "unknown")
    changes: dict = {}
    for i, found in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(words)
        value = words[found.end():end].strip(SEPARATORS)
        setting = LABELS[found.group()]
        problem = _apply(setting, value, changes)
        if problem:
            return SettingWords({}, texts.SETTING_PROBLEM.format(label=found.group(), problem=problem))
    return SettingWords(changes)


def _apply(setting: str, value: str, changes: dict) -> str | None:
    if setting == "quiet":
        clocks = [_clock(m) for m in CLOCK.finditer(value)]
        if len(clocks) != 2 or None in clocks or clocks[0] == clocks[1]:
            return texts.SETTING_QUIET_FORM
        changes["quiet_start"], changes["quiet_end"] = clocks[0].strftime("%H:%M"), clocks[1].strftime("%H:%M")
        return None
    if setting == "deadline" and DAYS.match(value):
        days = sorted({int(d) for d in re.findall(r"\d+", value)}, reverse=True)
        if not all(1 <= d <= 30 for d in days):
            return texts.SETTING_DAYS_RANGE
        changes["deadline_days"] = days
        return None
    switch = re.split(r"\s+", value)[0] if value else ""
    rest = value
    if ON.match(switch) or OFF.match(switch):
        changes[setting] = bool(ON.match(switch))
        rest = value[len(switch):].strip(SEPARATORS)
    if not rest:
        return None if setting in changes else texts.SETTING_SWITCH_OR_TIME
    if setting == "enabled":
        return texts.SETTING_SWITCH_ONLY
    clock = CLOCK.fullmatch(rest)
    if not clock or _clock(clock) is None:
        return texts.SETTING_TIME_UNREAD.format(value=rest)
    changes[f"{setting}_time"] = _clock(clock).strftime("%H:%M")
    return None


def _clock(m: re.Match) -> time | None:
    hour = int(m["h"])
    minute = 30 if m["half"] else int(m["m"] or m["m2"] or 0)
    return time(hour, minute) if hour < 24 and minute < 60 else None


def describe(settings: ReminderSettings, enabled: bool) -> list[str]:
    """The settings as lines a teacher reads."""
    def state(on: bool, detail: str) -> str:
        return texts.SETTING_ON.format(detail=detail) if on else texts.SETTING_SWITCH_OFF
    s = settings
    days = texts.LIST_SEPARATOR.join(str(d) for d in s.deadline_days) or "—"
    return texts.SETTING_LINES.format(
        enabled=texts.SETTING_SWITCH_ON if enabled else texts.SETTING_SWITCH_OFF,
        digest=state(s.digest, texts.SETTING_DIGEST_AT.format(time=f"{s.digest_time:%H:%M}")),
        eve=state(s.eve, f"{s.eve_time:%H:%M}"),
        morning=state(s.morning, f"{s.morning_time:%H:%M}"),
        deadline=state(s.deadline, texts.SETTING_DEADLINE_AT.format(days=days, time=f"{s.deadline_time:%H:%M}")),
        recurring=state(s.recurring, f"{s.recurring_time:%H:%M}"),
        chase=state(s.chase, texts.SETTING_CHASE_AT.format(time=f"{s.chase_time:%H:%M}")),
        quiet_start=f"{s.quiet_start:%H:%M}", quiet_end=f"{s.quiet_end:%H:%M}",
    ).splitlines()


def reminder_settings(raw: dict) -> ReminderSettings:
    """A group's stored settings over the defaults; a bad value keeps the default and is logged."""
    values = {}
    for f in fields(ReminderSettings):
        if f.name not in raw:
            continue
        try:
            values[f.name] = _setting(f.type, raw[f.name])
        except (TypeError, ValueError):
            log.warning("ignoring reminder setting %s=%r", f.name, raw[f.name])
    return ReminderSettings(**values)


def _setting(kind, value):
    if kind in ("bool", bool):
        if not isinstance(value, bool):
            raise TypeError(value)
        return value
    if kind in ("time", time):
        return time.fromisoformat(str(value))
    return tuple(int(v) for v in value)
