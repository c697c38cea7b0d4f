"""What extraction produces: one scheduled item of the plan."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PlanItem:
    title: str
    quote: str
    line: int
    section: str = ""
    start: date | None = None
    end: date | None = None
    recurrence: str | None = None
    term_anchor: str | None = None
    owner: str | None = None
    week: int | None = None
    week_last: int | None = None

    @property
    def is_scheduled(self) -> bool:
        return bool(self.start or self.recurrence or self.term_anchor or self.week)

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "recurrence": self.recurrence,
            "term_anchor": self.term_anchor,
            "owner": self.owner,
            "quote": self.quote,
            "section": self.section,
            "line": self.line,
            "week": self.week,
        }
