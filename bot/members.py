"""Use-cases for the school's people: import the roster file, sync from a platform's directory."""
from __future__ import annotations

from pathlib import Path

import requests
from dingtalk.core.exceptions import DingTalkException

from bot import schools
from bot.config import Settings
from bot.people.roles import parse_roles
from bot.people.roster import RosterEntry, read_roster_file
from bot.platforms.dingtalk_api import dingtalk_directory
from bot.platforms.wecom_api import WeComApiError, WeComClient
from storage import people, plans
from storage.db import Database
from storage.people import DirectoryEntry, MemberRow, NewMember, RoleRow, RosterResult

# Job titles worth reading as roles; "教师" or "副校长" in a directory says nothing a plan's owner uses.
KNOWN_ROLES = {"班主任", "副班主任", "教研组长", "备课组长", "年级组长"}


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
    WeCom user id, or #number from `members list`. UnknownMember (Chinese) when not exactly one."""
    who = who.strip()
    found = [m for m in members if who.startswith("#") and who[1:] == str(m.id)]
    found = found or [m for m in members if who in (m.dingtalk_user_id, m.wecom_user_id)]
    bare = who.removesuffix("老师")
    found = found or [m for m in members if bare and m.name.removesuffix("老师") == bare]
    if len(found) == 1:
        return found[0]
    if found:
        numbers = "、".join(f"#{m.id}" for m in found)
        raise UnknownMember(f"名单里有 {len(found)} 位“{who}”（{numbers}），请用 --as #编号 或其钉钉/企业微信 userid 指明")
    if not members:
        raise UnknownMember("还没有导入教师名单：先运行 python -m bot members import 名单.xlsx")
    raise UnknownMember(f"名单里没有“{who}”；运行 python -m bot members list 查看姓名、编号和 userid")


class UnknownMember(Exception):
    """str() is a one-line Chinese explanation."""


def as_new_member(entry: RosterEntry) -> NewMember:
    return NewMember(entry.name, tuple(RoleRow(r.role, r.grade, r.subject) for r in entry.roles), entry.department,
                     entry.mobile, entry.dingtalk_user_id, entry.wecom_user_id, entry.is_admin)


def sync_directory(platform: str, settings: Settings, database: Database, http: requests.Session) -> RosterResult:
    """Pull the platform's contact directory into the school's members.
    DirectoryError (Chinese) when the app lacks the permission or is not configured."""
    if platform == "dingtalk":
        if not (settings.dingtalk.app_key and settings.dingtalk.app_secret):
            raise DirectoryError("配置中缺少 dingtalk.app_key / app_secret")
        try:
            found = dingtalk_directory(settings.dingtalk, http)
        except (DingTalkException, requests.RequestException) as exc:
            raise DirectoryError(f"钉钉通讯录读取失败（{getattr(exc, 'errcode', type(exc).__name__)}），"
                                 "请确认应用已开通“通讯录只读权限”") from exc
        entries = [DirectoryEntry(p.user_id, p.name, p.mobile, p.department, _roles(p.position)) for p in found]
    else:
        if not (settings.wecom.corp_id and settings.wecom.secret):
            raise DirectoryError("配置中缺少 wecom.corp_id / secret")
        client = WeComClient(settings.wecom.api_base, settings.wecom.corp_id, settings.wecom.secret, settings.wecom.agent_id, http)
        try:
            users = client.directory()
        except (WeComApiError, requests.RequestException) as exc:
            raise DirectoryError(f"企业微信通讯录读取失败（{exc}），请确认应用的可见范围和通讯录权限") from exc
        entries = [DirectoryEntry(u["userid"], u.get("name") or u["userid"], u.get("mobile") or None, u.get("department_name"),
                                  _roles(u.get("position") or "")) for u in users if u.get("userid")]
    school_id = schools.home_school(database, settings.school)
    return people.merge_directory(database, school_id, platform, entries)


class DirectoryError(Exception):
    """str() is a one-line Chinese explanation."""


def _roles(position: str) -> tuple[RoleRow, ...]:
    """A job title that names a role the plans use (班主任, 教研组长…); other titles add nothing."""
    return tuple(RoleRow(r.role, r.grade, r.subject) for r in parse_roles(position) if r.role in KNOWN_ROLES)
