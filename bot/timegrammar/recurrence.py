"""A duty's rhythm as a value: every day, week (on some weekdays), two weeks, month (early, late,
by a day), term, quarter or year. Stored and printed as a short code ("weekly:TUE,THU")."""
from __future__ import annotations

from dataclasses import dataclass

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
        if not code:
            return None
        kind, _, detail = code.strip().partition(":")
        if kind not in KINDS:
            return None
        if kind == "weekly" and detail:
            return cls(kind, weekdays=tuple(WEEKDAY_CODES.index(c) for c in detail.split(",") if c in WEEKDAY_CODES))
        if kind == "monthly" and detail.startswith("by"):
            day = detail[2:]   # ASCII digits only ("²".isdigit() holds), a day a month has
            return cls(kind, by_day=int(day)) if day.isascii() and day.isdigit() and 1 <= int(day) <= 31 else cls(kind)
        if kind == "monthly" and detail in ("start", "end"):
            return cls(kind, part=detail)
        return cls(kind)

    def on_weekdays(self, weekdays: tuple[int, ...]) -> Recurrence:
        """"每周1次" in one cell and "周二下午" in another: weekly on Tuesdays. Other rhythms keep theirs."""
        return Recurrence(self.kind, weekdays=weekdays) if self.kind == "weekly" and weekdays else self
