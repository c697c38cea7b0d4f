"""Use-cases for the school's people: import the roster file, sync from a platform's directory."""
from __future__ import annotations

from pathlib import Path

import requests
from dingtalk.core.exceptions import DingTalkException

from bot import schools, texts
from bot.config import Settings
from bot.errors import UserError
from bot.people.roles import DIRECTORY_ROLES, HONORIFIC, parse_roles
from bot.people.roster import RosterEntry, read_roster_file
from bot.platforms.dingtalk_api import dingtalk_directory
from bot.platforms.wecom_api import WeComApiError, WeComClient
from storage import people, plans
from storage.db import Database
from storage.people import DirectoryEntry, MemberRow, NewMember, RoleRow, RosterResult


def import_roster_file(path: str | Path, settings: Settings, database: Database, school: str | None = None) -> RosterResult:
    """Read the whole file first (RosterError on any problem), then store it in one transaction."""
    entries = read_roster_file(path)
    school_id = plans.ensure_school(database, school) if school else schools.home_school(database, settings.school)
    return people.import_roster(database, school_id, [as_new_member(e) for e in entries])


def school_members(settings: Settings, database: Database) -> list[MemberRow]:
    """The configured school's people: the school `members import` fills."""
    school_id = schools.home_school(database, settings.school)
    return people.load_members(database, school_id)


def find_member(who: str, members: list[MemberRow]) -> MemberRow:
    """The one member `who` names: a name as on the roster (with or without 老师), a DingTalk or
    WeCom user id, or #number from `members list`. UnknownMember when not exactly one."""
    who = who.strip()
    found = [m for m in members if who.startswith("#") and who[1:] == str(m.id)]
    found = found or [m for m in members if who in (m.dingtalk_user_id, m.wecom_user_id)]
    bare = who.removesuffix(HONORIFIC)
    found = found or [m for m in members if bare and m.name.removesuffix(HONORIFIC) == bare]
    if len(found) == 1:
        return found[0]
    if found:
        numbers = texts.LIST_SEPARATOR.join(f"#{m.id}" for m in found)
        raise UnknownMember(texts.MEMBER_NAMESAKES.format(count=len(found), who=who, numbers=numbers))
    if not members:
        raise UnknownMember(texts.MEMBER_NO_ROSTER)
    raise UnknownMember(texts.MEMBER_UNKNOWN.format(who=who))


class UnknownMember(UserError):
    """`chat --as` names nobody on the roster, or several."""


def as_new_member(entry: RosterEntry) -> NewMember:
    return NewMember(entry.name, tuple(RoleRow(r.role, r.grade, r.subject) for r in entry.roles), entry.department,
                     entry.mobile, entry.dingtalk_user_id, entry.wecom_user_id, entry.is_admin)


def sync_directory(platform: str, settings: Settings, database: Database, http: requests.Session) -> RosterResult:
    """Pull the platform's contact directory into the school's members.
    DirectoryError (Chinese) when the app lacks the permission or is not configured."""
    if platform == "dingtalk":
        if not (settings.dingtalk.app_key and settings.dingtalk.app_secret):
            raise DirectoryError(texts.DIRECTORY_NO_DINGTALK_APP)
        try:
            found = dingtalk_directory(settings.dingtalk, http)
        except (DingTalkException, requests.RequestException) as exc:
            raise DirectoryError(texts.DIRECTORY_DINGTALK_FAILED.format(code=getattr(exc, 'errcode', type(exc).__name__))) from exc
        entries = [DirectoryEntry(p.user_id, p.name, p.mobile, p.department, _roles(p.position)) for p in found]
    else:
        if not (settings.wecom.corp_id and settings.wecom.secret):
            raise DirectoryError(texts.DIRECTORY_NO_WECOM_APP)
        client = WeComClient(settings.wecom.api_base, settings.wecom.corp_id, settings.wecom.secret, settings.wecom.agent_id, http)
        try:
            users = client.directory()
        except (WeComApiError, requests.RequestException) as exc:
            raise DirectoryError(texts.DIRECTORY_WECOM_FAILED.format(error=exc)) from exc
        entries = [DirectoryEntry(u["userid"], u.get("name") or u["userid"], u.get("mobile") or None, u.get("department_name"),
                                  _roles(u.get("position") or "")) for u in users if u.get("userid")]
    school_id = schools.home_school(database, settings.school)
    return people.merge_directory(database, school_id, platform, entries)


class DirectoryError(UserError):
    """The platform's directory cannot be read: the app is not configured or lacks the permission."""


def _roles(position: str) -> tuple[RoleRow, ...]:
    """A job title that names a role the plans use (班主任, 教研组长…); other titles add nothing."""
    return tuple(RoleRow(r.role, r.grade, r.subject) for r in parse_roles(position) if r.role in DIRECTORY_ROLES)
