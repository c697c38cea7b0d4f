"""How admins say a group's reminder settings in chat, and how the bot says them back. Pure.

"周报 8:00 前一天 关 截止 5,2,1 免打扰 22:00-6:30": each label is followed by its value, up to
the next label. Values: 开/关, a time (8:00, 8点, 7点半), days before a deadline (5,2,1),
or for 免打扰 a range of times. The result is a dict of stored setting names to JSON values.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, fields
from datetime import time

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
            return SettingWords({}, f"{found.group()}：{problem}")
    return SettingWords(changes)


def _apply(setting: str, value: str, changes: dict) -> str | None:
    if setting == "quiet":
        clocks = [_clock(m) for m in CLOCK.finditer(value)]
        if len(clocks) != 2 or None in clocks or clocks[0] == clocks[1]:
            return "请写成 22:00-6:30 这样的时间段"
        changes["quiet_start"], changes["quiet_end"] = clocks[0].strftime("%H:%M"), clocks[1].strftime("%H:%M")
        return None
    if setting == "deadline" and DAYS.match(value):
        days = sorted({int(d) for d in re.findall(r"\d+", value)}, reverse=True)
        if not all(1 <= d <= 30 for d in days):
            return "提前天数要在 1 到 30 之间"
        changes["deadline_days"] = days
        return None
    switch = re.split(r"\s+", value)[0] if value else ""
    rest = value
    if ON.match(switch) or OFF.match(switch):
        changes[setting] = bool(ON.match(switch))
        rest = value[len(switch):].strip(SEPARATORS)
    if not rest:
        return None if setting in changes else "请写“开”“关”或时间，如 8:00"
    if setting == "enabled":
        return "只能写“开”或“关”"
    clock = CLOCK.fullmatch(rest)
    if not clock or _clock(clock) is None:
        return f"看不懂“{rest}”，时间请写成 8:00 或 7点半"
    changes[f"{setting}_time"] = _clock(clock).strftime("%H:%M")
    return None


def _clock(m: re.Match) -> time | None:
    hour = int(m["h"])
    minute = 30 if m["half"] else int(m["m"] or m["m2"] or 0)
    return time(hour, minute) if hour < 24 and minute < 60 else None


def describe(settings: ReminderSettings, enabled: bool) -> list[str]:
    """The settings as lines a teacher reads."""
    def state(on: bool, detail: str) -> str:
        return f"开，{detail}" if on else "关"
    s = settings
    days = "、".join(str(d) for d in s.deadline_days) or "—"
    return [
        f"- 提醒：{'开' if enabled else '关'}",
        f"- 周报：{state(s.digest, f'每周第一个上课日 {s.digest_time:%H:%M}')}",
        f"- 前一天提醒：{state(s.eve, f'{s.eve_time:%H:%M}')}",
        f"- 当天提醒：{state(s.morning, f'{s.morning_time:%H:%M}')}",
        f"- 截止提醒：{state(s.deadline, f'提前 {days} 天，{s.deadline_time:%H:%M}')}",
        f"- 例行事项：{state(s.recurring, f'{s.recurring_time:%H:%M}')}",
        f"- 催报：{state(s.chase, f'截止当天 {s.chase_time:%H:%M}')}",
        f"- 免打扰：{s.quiet_start:%H:%M}–{s.quiet_end:%H:%M}",
    ]


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
