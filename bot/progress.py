"""Who answers for the school's tasks and how far each has got: reports read once per message or pass.

The roster (members, roles, and whom each owner names) is kept per process and school until the
roster revision changes (storage.people.roster_revision): a school of 5,000 teachers costs
one small read a message, not the whole roster."""
from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from bot.people.progress import Progress, progress_of
from bot.people.roles import Person, Role, Unit, units_for
from bot.task_dates import period_start, recurrence_of
from storage import people, read_receipts, status
from storage.db import Database
from storage.people import MemberRow
from storage.plans import TaskRow
from storage.school_calendar import Term

from .context import SCHOOL_TZ, ChatContext


@dataclass(frozen=True)
class _Roster:
    revision: str
    members: dict[int, MemberRow]        # shared: read only
    people: list[Person]
    units: dict[str | None, tuple[Unit, ...]] = field(default_factory=dict)   # filled as owners are asked about

    @cached_property
    def names(self) -> dict[int, str]:
        return {m.id: m.name for m in self.members.values()}


_rosters: WeakKeyDictionary[Database, dict[int, _Roster]] = WeakKeyDictionary()
_rosters_lock = threading.Lock()


def _roster(database: Database, school_id: int) -> _Roster:
    revision = people.roster_revision(database)   # read before the roster: a change in between reloads
    with _rosters_lock:
        kept = _rosters.get(database, {}).get(school_id)
    if kept is not None and kept.revision == revision:
        return kept
    members = {m.id: m for m in people.load_members(database, school_id)}
    loaded = _Roster(revision, members, [Person(m.id, m.name, m.department, tuple(Role(r.role, r.grade, r.subject) for r in m.roles))
                                         for m in members.values()])
    with _rosters_lock:
        _rosters.setdefault(database, {})[school_id] = loaded
    return loaded


class SchoolProgress:
    """`today` and `term` place recurring duties: only reports in the current round count."""

    def __init__(self, database: Database, school_id: int, today: date | None = None, term: Term | None = None,
                 tz: ZoneInfo = SCHOOL_TZ) -> None:
        self.database, self.school_id, self.today, self.term, self.tz = database, school_id, today, term, tz

    @classmethod
    def for_chat(cls, ctx: ChatContext) -> SchoolProgress:
        return cls(ctx.database, ctx.school_id, ctx.today, ctx.term, ctx.tz)

    @cached_property
    def _roster(self) -> _Roster:
        return _roster(self.database, self.school_id)

    @property
    def members(self) -> dict[int, MemberRow]:
        """Everyone on the roster by id; shared between messages, so never changed here."""
        return self._roster.members

    def names(self) -> dict[int, str]:
        """Everyone's name by id (shared, like members)."""
        return self._roster.names

    def units(self, owner: str | None) -> tuple[Unit, ...]:
        roster = self._roster
        if owner not in roster.units:
            roster.units[owner] = units_for(owner, roster.people)
        return roster.units[owner]

    def of(self, tasks: Iterable[TaskRow]) -> dict[int, Progress]:
        tasks = list(tasks)
        return self._derive(tasks, status.latest_reports(self.database, (t.id for t in tasks)))

    def _derive(self, tasks: list[TaskRow], latest: dict[int, dict]) -> dict[int, Progress]:
        names = self.names()
        return {t.id: progress_of(self.units(t.owner), self._this_round(t, latest.get(t.id, {})), names) for t in tasks}

    def _this_round(self, task: TaskRow, latest: dict) -> dict:
        since = period_start(recurrence_of(task), self.today, self.term) if self.today else None
        if since is None:
            return latest
        return {m: r for m, r in latest.items() if r.reported_at.astimezone(self.tz).date() >= since}

    def with_reads(self, progress: dict[int, Progress]) -> dict[int, Progress]:
        """The same progress with who has read the reminders, where DingTalk has said (its ids are the roster's
        钉钉userId); tasks with no answer yet keep readers None."""
        reads = read_receipts.reads(self.database, progress)
        if not reads:
            return progress
        by_user = {m.dingtalk_user_id: m.id for m in self.members.values() if m.dingtalk_user_id}
        return {task_id: replace(p, readers=frozenset(by_user[u] for u in reads[task_id] if u in by_user))
                if task_id in reads else p for task_id, p in progress.items()}

    def tallies(self, tasks: Iterable[TaskRow]) -> dict[int, str]:
        """Tallies of the tasks someone has reported on; the others say nothing yet, so the
        roster (the dearer query) is read only when there are reports to count."""
        tasks = list(tasks)
        latest = status.latest_reports(self.database, (t.id for t in tasks))
        reported = [t for t in tasks if t.id in latest]
        if not reported:
            return {}
        return {task_id: text for task_id, p in self._derive(reported, latest).items() if (text := p.tally())}
