"""A duty's rhythm as a value: every day, week (on some weekdays), two weeks, month (early, late,
by a day), term, quarter or year. The plan reader finds these values and the task dates, answers
and reminders work with them; only storage keeps the short code ("weekly:TUE,THU"): `.code` writes
it, `Recurrence.parse` reads it back."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .lexicon import WEEKDAY_CODES

KINDS = ("daily", "weekly", "biweekly", "monthly", "quarterly", "termly", "yearly")


@dataclass(frozen=True)
class Recurrence:
    kind: str
    weekdays: tuple[int, ...] = ()   # weekly: 0 = Monday
    part: str | None = None          # monthly: "start" (每月初) or "end" (每月底)
    by_day: int | None = None        # monthly: due by this day (每月8日前)

    @property
    def code(self) -> str:
        if self.weekdays:
            return f"{self.kind}:" + ",".join(WEEKDAY_CODES[d] for d in sorted(set(self.weekdays)))
        if self.by_day is not None:
            return f"{self.kind}:by{self.by_day}"
        return f"{self.kind}:{self.part}" if self.part else self.kind

    @classmethod
    def parse(cls, code: str | None) -> Recurrence | None:
        """The value behind a stored code; None for no code or one this version does not know."""
        return _parsed(code) if code else None

    @classmethod
    def monthly_by(cls, day: str) -> Recurrence:
        """每月8日前: due by that day of every month; a day no month has (or not ASCII digits) says only monthly."""
        ok = day.isascii() and day.isdigit() and 1 <= int(day) <= 31   # "²".isdigit() holds
        return cls("monthly", by_day=int(day)) if ok else cls("monthly")

    def on_weekdays(self, weekdays: tuple[int, ...]) -> Recurrence:
        """"每周1次" in one cell and "周二下午" in another: weekly on Tuesdays. Other rhythms keep theirs."""
        return Recurrence(self.kind, weekdays=weekdays) if self.kind == "weekly" and weekdays else self


@lru_cache(maxsize=256)   # a school's plan uses a few dozen codes; the values are frozen, so they are shared
def _parsed(code: str) -> Recurrence | None:
    kind, _, detail = code.strip().partition(":")
    if kind not in KINDS:
        return None
    if kind == "weekly" and detail:
        return Recurrence(kind, weekdays=tuple(WEEKDAY_CODES.index(c) for c in detail.split(",") if c in WEEKDAY_CODES))
    if kind == "monthly" and detail.startswith("by"):
        return Recurrence.monthly_by(detail[2:])
    if kind == "monthly" and detail in ("start", "end"):
        return Recurrence(kind, part=detail)
    return Recurrence(kind)
