"""A task's progress, derived from the latest reports of the people who answer for it. Pure.

A person unit takes its member's latest report; a department unit takes the latest report of
any of its members (so a colleague's undo undoes it). A task whose owner names nobody known
is open: whoever reports counts, and the tally has no total.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot import texts

from .roles import Unit

STATES = ("done", "doing", "blocked")   # "todo" is an undo: back to not reported


class Report(Protocol):
    member_id: int
    status: str
    note: str | None
    reported_at: datetime


@dataclass(frozen=True)
class UnitState:
    unit: Unit
    status: str | None           # done | doing | blocked | None (not reported)
    by: int | None = None        # the member whose report decided it
    note: str | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class Progress:
    states: tuple[UnitState, ...]
    is_open: bool                # no known owner: reporters only, no total
    readers: frozenset[int] | None = None   # members seen reading its reminders; None: not known (no receipts)

    def count(self, status: str | None) -> int:
        return sum(1 for s in self.states if s.status == status)

    @property
    def total(self) -> int:
        return len(self.states)

    def tally(self) -> str:
        """"8/23 已完成", or for an open task "3 人已完成"; empty when there is nothing to say."""
        done = self.count("done")
        if self.is_open:
            return texts.TALLY_OPEN.format(done=done) if done else ""
        if not self.states:
            return ""
        text = texts.TALLY.format(done=done, total=self.total)
        if blocked := self.count("blocked"):
            text += texts.TALLY_BLOCKED.format(blocked=blocked)
        return text

    def has_read(self, state: UnitState) -> bool:
        """Reporting shows it was read, whatever the platform says."""
        return state.status is not None or bool(self.readers and self.readers & set(state.unit.member_ids))

    def read_tally(self) -> str:
        """"已读 18/23" beside the tally, once the platform has said who read the reminders; else empty."""
        if self.readers is None:
            return ""
        if self.is_open:
            return texts.READ_TALLY_OPEN.format(read=len(self.readers | {s.by for s in self.states if s.by is not None}))
        if not self.states:
            return ""
        return texts.READ_TALLY.format(read=sum(1 for s in self.states if self.has_read(s)), total=self.total)

    def unread(self) -> tuple[UnitState, ...]:
        """Those who have neither reported nor read a reminder (empty while nothing is known)."""
        if self.readers is None:
            return ()
        return tuple(s for s in self.states if not self.has_read(s))

    def state_of(self, member_id: int) -> UnitState | None:
        return next((s for s in self.states if member_id in s.unit.member_ids), None)


def progress_of(units: tuple[Unit, ...], latest: Mapping[int, Report], names: Mapping[int, str]) -> Progress:
    if not units:
        reporters = [r for r in latest.values() if r.status in STATES]
        states = tuple(UnitState(Unit(f"m:{r.member_id}", names.get(r.member_id, "?"), (r.member_id,)), r.status,
                                 r.member_id, r.note, r.reported_at)
                       for r in sorted(reporters, key=lambda r: r.reported_at))
        return Progress(states, is_open=True)
    states = []
    for unit in units:
        reports = [latest[m] for m in unit.member_ids if m in latest] if latest else ()
        last = max(reports, key=lambda r: r.reported_at) if reports else None   # most units have none yet
        if last is None or last.status not in STATES:
            states.append(UnitState(unit, None))
        else:
            states.append(UnitState(unit, last.status, last.member_id, last.note, last.reported_at))
    return Progress(tuple(states), is_open=False)
