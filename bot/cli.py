"""The command line: `python -m bot …`. Thin: parse arguments, call a use-case, print."""
from __future__ import annotations

import json
import signal
import sys
import threading
from datetime import date, datetime

import click
from werkzeug.security import generate_password_hash

from bot import texts
from bot.cli_common import CommandGroup, config_option, database_for, settings_from
from bot.cli_people import export, members
from bot.config import Settings
from bot.console import console_message
from bot.dispatch import Dispatcher
from bot.plan_import import extract_file, import_file
from bot.task_dates import term_for
from bot.texts.format import describe_when, owner_note
from bot.understanding import parse

school_year_option = click.option("--school-year", help="Override the plan's school year: 2023-2024, or 2024 for a calendar-year plan.")
term_start_option = click.option("--term-start", help=texts.TERM_START_HELP)
WECOM_BOT_CONNECTING = "WeCom bot long connection: connecting to WeCom while this process holds its lease"


@click.group(cls=CommandGroup)
def cli() -> None:
    """校务助手 — turns a school work plan into dated tasks."""


@cli.group()
def plan() -> None:
    """Read, extract and import school work plans."""


@plan.command("extract")
@click.argument("file", type=click.Path(dir_okay=False))
@school_year_option
@term_start_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line (the evaluation contract).")
@config_option
def plan_extract(file, school_year, term_start, as_json, config_path) -> None:
    """Print the scheduled items found in FILE (.txt, .docx, .xlsx) without storing them."""
    settings = settings_from(config_path)
    extracted = extract_file(file, settings, school_year, term_start)
    for item in extracted.extraction.items:
        if as_json:
            click.echo(json.dumps(item.to_json(), ensure_ascii=False))
        else:
            when = describe_when(item.start, item.end, item.recurrence, item.term_anchor, item.week)
            click.echo(f"{when:<24}\t{item.title}\t{item.owner or ''}")


@plan.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@school_year_option
@term_start_option
@click.option("--name", help="Which stored plan this file replaces (default: the file name without extension).")
@click.option("--school", help="The school the plan belongs to (default: school.name from the config).")
@click.option("--only-into-empty", is_flag=True, help="Import only if the school has no plan yet (how dev.py run loads the sample).")
@config_option
def plan_import(file, school_year, term_start, name, school, only_into_empty, config_path) -> None:
    """Store FILE's tasks in the configured database, replacing the earlier version of the same plan."""
    settings = settings_from(config_path)
    database = database_for(settings)
    if only_into_empty and _has_plans(settings, database):
        click.echo(texts.SAMPLE_SKIPPED)
        return
    result = import_file(file, settings, database, school_year, term_start, name, school=school)
    if not result.tasks:
        click.echo(texts.IMPORT_EMPTY.format(name=result.name))
        return
    click.echo(texts.IMPORT_DONE.format(
        name=result.name, school_year=result.school_year or texts.UNKNOWN_YEAR, total=len(result.tasks),
        added=result.added, kept=result.kept, withdrawn=result.withdrawn,
    ))
    for task in result.tasks:
        when = describe_when(task.start, task.end, task.recurrence, task.term_anchor, task.week)
        click.echo(f"  #{task.number:<4} {when:<22} {task.title}{owner_note(task.owner)}")


def _has_plans(settings: Settings, database) -> bool:
    from bot import schools
    from storage import plans

    return plans.ever_imported(database, schools.home_school(database, settings.school))


@cli.command("parse")
@click.argument("text", required=False)
@click.option("--today", help="Read the message as if sent on this day (YYYY-MM-DD); default today.")
@click.option("--batch", type=click.Path(exists=True, dir_okay=False), help="JSONL of {text, today}; one result a line.")
@config_option
def parse_command(text, today, batch, config_path) -> None:
    """Print how a chat message is understood, as JSON (the evaluation contract)."""
    settings = settings_from(config_path)
    if batch:
        with open(batch, encoding="utf-8") as cases:
            for line in filter(str.strip, cases):
                case = json.loads(line)
                click.echo(json.dumps(_understand(settings, case.get("text", ""), case.get("today")), ensure_ascii=False))
        return
    if text is None:
        raise click.UsageError("give TEXT or --batch FILE")
    click.echo(json.dumps(_understand(settings, text, today), ensure_ascii=False))


def _understand(settings: Settings, text: str, today: str | None) -> dict:
    try:
        day = date.fromisoformat(today) if today else datetime.now(settings.tz).date()
    except ValueError as exc:
        raise click.BadParameter(f"--today must be YYYY-MM-DD, got {today!r}") from exc
    term = term_for(settings.school.terms, day)
    return parse(text, day, (term.start, term.end) if term else None).to_json()


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, envvar="SCHOOLBOT_HOST",
              help="Address to listen on (0.0.0.0 to accept callbacks from outside); or $SCHOOLBOT_HOST.")
@click.option("--port", default=8080, show_default=True, type=int, envvar="SCHOOLBOT_PORT", help="Port to listen on; or $SCHOOLBOT_PORT.")
@config_option
def serve_command(host, port, config_path) -> None:
    """Run the web app (DingTalk and WeCom callbacks) and the reminder scheduler; in dingtalk.mode stream, also dial out
    to DingTalk, and with a wecom_bot.bot_id in mode websocket hold the WeCom bot's long connection."""
    from werkzeug.serving import run_simple

    from bot.app import create_app
    from bot.reminders.runner import scheduler
    from bot.stream import stream_client
    from bot.wecom_longconn import start_for

    settings = settings_from(config_path)
    app = create_app(settings, database_for(settings))
    holder = start_for(app)   # the lease keeps the connection in one process
    if holder is not None:
        click.echo(WECOM_BOT_CONNECTING)
    # The lease keeps the scheduler single across processes; its passes reach WeCom groups through the holder.
    scheduler(config_path, settings, background=True, wecom_chat=holder).start()
    if settings.dingtalk.mode == "stream":
        client = stream_client(settings.dingtalk, app.extensions["schoolbot.dingtalk_responder"], app.extensions["schoolbot.inbox"],
                               app.extensions["schoolbot.executor"], app.extensions["schoolbot.card_taps"])
        threading.Thread(target=client.start_forever, name="dingtalk-stream", daemon=True).start()
        click.echo("DingTalk Stream mode: connecting to DingTalk")
    click.echo(texts.LISTENING.format(host=host, port=port))
    exit_on_sigterm()
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        if holder is not None:
            holder.stop()   # the lease given up: a restarted process connects at once


@cli.command("remind")
@click.option("--now", "now_text", help="Run the pass as if at this instant (ISO, e.g. 2026-09-21T07:30); default now.")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; record and send nothing.")
@config_option
def remind_command(now_text, dry_run, config_path) -> None:
    """Run one reminder dispatch pass, as the scheduler would at that instant, and exit."""
    from bot import schools
    from bot.reminders.passes import plan_pass, preview
    from bot.reminders.groups import sync_configured
    from bot.reminders.runner import run_pass

    settings = settings_from(config_path)
    database = database_for(settings)
    try:
        now = datetime.fromisoformat(now_text) if now_text else datetime.now(settings.tz)
    except ValueError as exc:
        raise click.BadParameter(f"--now must be an ISO date-time, got {now_text!r}") from exc
    now = now if now.tzinfo else now.replace(tzinfo=settings.tz)
    if dry_run:
        school = schools.home_school(database, settings.school)
        sync_configured(database, settings, school)
        plan = plan_pass(now, settings, database)
        for line in preview(plan, settings, database):
            click.echo(line)
        click.echo(f"{len(plan.deliveries)} reminder(s) would be sent (dry run: nothing recorded or sent)")
        return
    report = run_pass(now, settings, database)
    if report is None:
        click.echo("another scheduler instance holds the lease; nothing done (see scheduler_id in the README)", err=True)
        sys.exit(3)
    click.echo(f"recorded {report.recorded} new; sent {report.sent}, retrying {report.retrying}, failed {report.failed}")
    for name in sorted(report.failing_groups):
        click.echo(f"group {name}: its robot keeps failing; check the webhook", err=True)


@cli.command("scheduler")
@config_option
def scheduler_command(config_path) -> None:
    """Run the reminder scheduler on its own (beside gunicorn workers, which run none), and the WeCom bot's
    long connection when configured (gunicorn workers hold none)."""
    from bot.reminders.runner import scheduler
    from bot.wecom_longconn import start_for

    settings = settings_from(config_path)
    database = database_for(settings)
    holder = None
    if settings.wecom_bot.long_connection:
        from bot.app import create_app

        holder = start_for(create_app(settings, database))   # its inbox, reply workers and late paths
        click.echo(WECOM_BOT_CONNECTING)
    click.echo("reminder scheduler running: one dispatch pass a minute (Ctrl-C to stop)")
    exit_on_sigterm()
    try:
        scheduler(config_path, settings, background=False, wecom_chat=holder).start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        if holder is not None:
            holder.stop()


def exit_on_sigterm() -> None:
    """SIGTERM (systemd, docker stop) ends the process as Ctrl-C does: through the `finally` that stops the
    WeCom bot's holder, which gives its lease up, so the next process connects at once."""
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))


@cli.command("chat")
@click.option("--today", help="Pretend messages are sent on this day (YYYY-MM-DD).")
@click.option("--as", "as_who", metavar="NAME",
              help="Speak as this roster member: a name, a DingTalk/WeCom userid, or #number (see `members list`).")
@config_option
def chat_command(today, as_who, config_path) -> None:
    """Talk to the bot in this terminal, against the configured database (Ctrl-D to leave)."""
    from bot.members import find_member
    from storage.people import load_members

    settings = settings_from(config_path)
    database = database_for(settings)
    dispatcher = Dispatcher(settings, database)
    # among the people of the school the console speaks for; UnknownMember when as_who names nobody there
    member = find_member(as_who, load_members(database, dispatcher.school_id)) if as_who is not None else None
    interactive = sys.stdin.isatty()
    if interactive:
        speaker = texts.CHAT_SPEAKER.format(name=member.name) if member else ""
        click.echo(texts.CHAT_HELLO.format(speaker=speaker))
    prompt = f"{member.name if member else texts.CHAT_ANYONE}> " if interactive else ""
    while True:
        try:
            line = input(prompt)
        except (EOFError, KeyboardInterrupt):
            break
        if not line.strip():
            continue
        reply = dispatcher.handle(console_message(line, settings, today, member))
        if reply is not None:
            click.echo(reply.markdown + "\n")


@cli.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
@config_option
def db_upgrade(config_path) -> None:
    """Apply schema migrations to the configured database."""
    database_for(settings_from(config_path))
    click.echo("database schema is up to date")


@cli.group()
def admin() -> None:
    """The office's web pages (/admin)."""


@admin.command("hash-password")
def admin_hash_password() -> None:
    """Ask for the office's password and print the hash to put in admin_web.password_hash."""
    from bot.office_setup import MIN_PASSWORD

    password = click.prompt(texts.NEW_PASSWORD, hide_input=True, confirmation_prompt=texts.PASSWORD_AGAIN)
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(texts.CLI_PASSWORD_TOO_SHORT.format(count=MIN_PASSWORD))
    click.echo(generate_password_hash(password))


@admin.command("setup-code")
@config_option
def admin_setup_code(config_path) -> None:
    """Print the one-time code the first-run set-up page (/admin/setup) asks for."""
    from bot import office_setup

    settings = settings_from(config_path)
    database = database_for(settings)
    if not office_setup.needs_setup(settings, database):
        click.echo(texts.SETUP_ALREADY_DONE)
        return
    click.echo(texts.SETUP_CODE.format(code=office_setup.setup_code(database)))


cli.add_command(members)
cli.add_command(export)


def main() -> None:
    cli(prog_name="python -m bot")
