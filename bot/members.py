"""Use-cases for the school's people: import the roster file, sync from a platform's directory."""
from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.people.roster import RosterEntry, read_roster_file
from storage import people, plans
from storage.db import Database
from storage.people import NewMember, RoleRow, RosterResult


def import_roster_file(path: str | Path, settings: Settings, database: Database, school: str | None = None) -> RosterResult:
    """Read the whole file first (RosterError on any problem), then store it in one transaction."""
    entries = read_roster_file(path)
    school_id = plans.ensure_school(database, school or settings.school.name, settings.school.terms if not school else ())
    return people.import_roster(database, school_id, [_new_member(e) for e in entries])


def _new_member(entry: RosterEntry) -> NewMember:
    return NewMember(entry.name, tuple(RoleRow(r.role, r.grade, r.subject) for r in entry.roles), entry.department,
                     entry.mobile, entry.dingtalk_user_id, entry.wecom_user_id, entry.is_admin)
