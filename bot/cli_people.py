"""Commands for the school's people and their reports: `members import`, `members list`, `export status`."""
from __future__ import annotations

from pathlib import Path

import click
import requests

from bot import texts
from bot.cli_common import CommandGroup, config_option, database_for, settings_from
from bot.export import status_table, write_status
from bot.members import import_roster_file, school_members, sync_directory


@click.group(cls=CommandGroup)
def members() -> None:
    """The staff roster: who holds which role (班主任, 教研组长…) and their platform ids."""


@members.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--school", help="The school the roster belongs to (default: school.name from the config).")
@config_option
def members_import(file, school, config_path) -> None:
    """Add or update the people in FILE (.xlsx or .csv with a header row: 姓名, 角色, 部门, 钉钉userId, 企业微信userid, 手机)."""
    settings = settings_from(config_path)
    database = database_for(settings)
    result = import_roster_file(file, settings, database, school)   # RosterError: nothing is imported
    click.echo(texts.ROSTER_DONE.format(total=result.added + result.updated, added=result.added,
                                        updated=result.updated, roles=result.roles))


@members.command("list")
@config_option
def members_list(config_path) -> None:
    """Print the school's people: #number, name, roles, department, platform ids (for `chat --as`)."""
    settings = settings_from(config_path)
    found = school_members(settings, database_for(settings))
    if not found:
        click.echo(texts.NO_ROSTER_LISTED)
    for m in found:
        roles = texts.LIST_SEPARATOR.join(f"{r.grade or ''}{r.subject or ''}{r.role}" for r in m.roles)
        ids = [texts.MEMBER_DINGTALK.format(id=m.dingtalk_user_id) if m.dingtalk_user_id else "",
               texts.MEMBER_WECOM.format(id=m.wecom_user_id) if m.wecom_user_id else "", texts.MEMBER_ADMIN if m.is_admin else ""]
        click.echo("\t".join([f"#{m.id}", m.name, roles or "-", m.department or "-", *filter(None, ids)]))


@members.command("sync")
@click.option("--platform", type=click.Choice(["dingtalk", "wecom"]), required=True)
@config_option
def members_sync(platform, config_path) -> None:
    """Add or update people from the platform's contact directory (needs the app's contacts permission)."""
    settings = settings_from(config_path)
    result = sync_directory(platform, settings, database_for(settings), requests.Session())
    click.echo(texts.DIRECTORY_DONE.format(total=result.added + result.updated, added=result.added,
                                           updated=result.updated, roles=result.roles))


@click.group(cls=CommandGroup)
def export() -> None:
    """Tables for the office's records."""


@export.command("status")
@click.option("--term", "term_name", required=True, help="The term's name, as the office keeps it (seeded from school.terms in the config).")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False), help=texts.OUTPUT_HELP)
@config_option
def export_status(term_name, fmt, output, config_path) -> None:
    """Write the term's tasks × people with each one's state and when it was reported."""
    settings = settings_from(config_path)
    table = status_table(settings, database_for(settings), term_name)
    path = Path(output or texts.EXPORT_FILE.format(term=term_name, format=fmt))
    write_status(table, path, fmt)
    click.echo(texts.EXPORT_DONE.format(path=path, tasks=len(table.rows), people=len(table.header) - 5))
