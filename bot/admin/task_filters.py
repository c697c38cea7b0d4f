"""The task list's search and filters: words, owner, month and kind, as the office narrows 140 rows."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot import texts
from bot.task_dates import dated_range, term_now_or_next
from storage.task_edits import BY_HAND

KINDS = texts.TASK_KINDS
MONTH = re.compile(r"((?:19|20)\d{2})-(0[1-9]|1[0-2])")


@dataclass(frozen=True)
class TaskFilter:
    words: str = ""
    owner: str = ""
    month: str = ""     # YYYY-MM
    kind: str = ""

    @classmethod
    def from_args(cls, args) -> TaskFilter:
        month = args.get("month", "").strip()
        kind = args.get("kind", "").strip()
        return cls(" ".join(args.get("q", "").split())[:100], args.get("owner", "").strip()[:100],
                   month if MONTH.fullmatch(month) else "", kind if kind in dict(KINDS) else "")

    @property
    def active(self) -> bool:
        return bool(self.words or self.owner or self.month or self.kind)


def kind_of(task) -> str:
    if task.start is not None:
        return "dated"
    if task.recurrence:
        return "routine"
    return "term" if task.term_anchor else "undated"


def marks_of(task) -> tuple[str, ...]:
    """How the task came to be as it is: added on the pages, or corrected there."""
    if task.plan_name == BY_HAND:
        return ("added",)
    return ("edited",) if task.edited else ()


def term_on(terms, day: date):
    """The term a day is in, else the next one, else the last: where undated anchors are placed."""
    return term_now_or_next(terms, day) or max(terms, key=lambda t: t.start, default=None)


def matching(tasks, chosen: TaskFilter, term) -> list:
    return [t for t in tasks if _matches(t, chosen, term)]


def owners_of(tasks) -> list[str]:
    return sorted({t.owner for t in tasks if t.owner})


def _matches(task, chosen: TaskFilter, term) -> bool:
    if chosen.words and not all(word in " ".join((task.title, task.owner or "", task.quote, task.section)) or word == f"#{task.number}"
                                or word == str(task.number) for word in chosen.words.split()):
        return False
    if chosen.owner and chosen.owner not in (task.owner or ""):
        return False
    if chosen.kind and kind_of(task) != chosen.kind:
        return False
    if chosen.month:
        year, month = map(int, chosen.month.split("-"))
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1)
        covered = dated_range(task, term)
        if covered is None or not (covered[0] < last and covered[1] >= first):
            return False
    return True
