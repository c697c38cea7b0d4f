"""The office's pages for groups and their reminders, and for the roster and who is an admin."""
from __future__ import annotations

from dataclasses import fields
from datetime import time
from pathlib import Path

from flask import abort, flash, redirect, render_template, request, url_for

from bot import texts
from bot.members import as_new_member
from bot.people.roster import read_roster_bytes
from bot.reminder_rules.groups import reachable, reminders_on
from bot.reminder_rules.planning import ReminderSettings
from bot.reminder_rules.setting_words import describe, reminder_settings
from storage import chats, people

from .blueprint import admin
from .edges import whole_number
from .extension import database, school_id, settings
from .guard import login_required
from .refusals import FormError, refuse_on_page

KINDS = tuple(texts.REMINDER_KINDS.items())
DAY_SEPARATORS = str.maketrans("，、", ",,")   # what the office may type between days besides a comma
TIMES = tuple(f.name for f in fields(ReminderSettings) if f.type in ("time", time))


@admin.get("/groups")
@login_required
def groups():
    rows = [(chat, describe(reminder_settings(chat.settings), reminders_on(chat, wecom_bot()))) for chat in chats.school_chats(database(), school_id())]
    return render_template("admin/groups.html", rows=rows)


@admin.route("/groups/<id:chat_id>", methods=["GET", "POST"])
@login_required
def group(chat_id: int):
    chat = chats.get_chat(database(), chat_id)
    if chat is None or chat.school_id not in (None, school_id()):
        abort(404)
    current = reminder_settings(chat.settings)
    if request.method == "GET":
        return render_template("admin/group.html", chat=chat, on=reminders_on(chat, wecom_bot()), current=current, kinds=KINDS)
    refuse_on_page("admin/group.html", chat=chat, on=reminders_on(chat, wecom_bot()), current=current, kinds=KINDS)
    changes = _settings_from_form(request.form)
    if not reachable(chat, wecom_bot()):
        changes["enabled"] = False   # a WeCom group without its robot's webhook, or the 智能机器人, cannot be reached
    chats.update_chat_settings(database(), chat.id, changes)
    flash(texts.GROUP_SAVED.format(group=chat.name or texts.THIS_GROUP))
    return redirect(url_for("admin.groups"))


@admin.route("/people", methods=["GET", "POST"])
@login_required
def people_page():
    if request.method == "POST":
        file = request.files.get("roster")
        if file is None or not file.filename:
            flash(texts.CHOOSE_ROSTER_FILE)
            return redirect(url_for("admin.people_page"))
        refuse_on_page("admin/people.html", members=people.load_members(database(), school_id()))
        entries = read_roster_bytes(file.read(), Path(file.filename).name)   # RosterError: nothing is imported
        result = people.import_roster(database(), school_id(), [as_new_member(e) for e in entries])
        flash(texts.ROSTER_IMPORTED.format(added=result.added, updated=result.updated, roles=result.roles))
        return redirect(url_for("admin.people_page"))
    return render_template("admin/people.html", members=people.load_members(database(), school_id()))


@admin.post("/people/<id:member_id>/admin")
@login_required
def toggle_admin(member_id: int):
    people.set_admin(database(), school_id(), member_id, request.form.get("admin") == "1")
    return redirect(url_for("admin.people_page"))


def wecom_bot() -> bool:
    """Whether the WeCom 智能机器人 posts into its groups (bot.reminder_rules.groups.reachable)."""
    return settings().wecom_bot.long_connection


def _settings_from_form(form) -> dict:
    changes: dict = {"enabled": form.get("enabled") == "1"}
    for kind, _label in KINDS:
        changes[kind] = form.get(kind) == "1"
    for name in TIMES:
        value = form.get(name, "")
        try:
            changes[name] = time.fromisoformat(value).strftime("%H:%M")
        except ValueError as exc:
            raise FormError(texts.TIME_FORMAT.format(value=value or texts.EMPTY_VALUE)) from exc
    listed = form.get("deadline_days", "").translate(DAY_SEPARATORS).split(",")
    days = sorted({n for n in map(whole_number, listed) if n is not None}, reverse=True)
    if not days or not all(1 <= d <= 30 for d in days):
        raise FormError(texts.DEADLINE_DAYS_RANGE)
    changes["deadline_days"] = days
    if changes["quiet_start"] == changes["quiet_end"]:
        raise FormError(texts.QUIET_SAME)
    return changes
