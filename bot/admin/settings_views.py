"""The office's pages for groups and their reminders, and for the roster and who is an admin."""
from __future__ import annotations

from dataclasses import fields
from datetime import time
from pathlib import Path

from flask import abort, flash, redirect, render_template, request, url_for

from bot.members import as_new_member
from bot.people.roster import RosterError, read_roster_bytes
from bot.reminder_rules.groups import reachable, reminders_on
from bot.reminder_rules.planning import ReminderSettings
from bot.reminder_rules.setting_words import describe, reminder_settings
from storage import chats, people

from .blueprint import admin
from .edges import whole_number
from .extension import database, school_id
from .guard import login_required

KINDS = (("digest", "周报"), ("eve", "前一天提醒"), ("morning", "当天提醒"), ("deadline", "截止提醒"),
         ("recurring", "例行事项"), ("chase", "催报"))
TIMES = tuple(f.name for f in fields(ReminderSettings) if f.type in ("time", time))


@admin.get("/groups")
@login_required
def groups():
    rows = [(chat, describe(reminder_settings(chat.settings), reminders_on(chat))) for chat in chats.school_chats(database(), school_id())]
    return render_template("admin/groups.html", rows=rows)


@admin.route("/groups/<id:chat_id>", methods=["GET", "POST"])
@login_required
def group(chat_id: int):
    chat = chats.get_chat(database(), chat_id)
    if chat is None or chat.school_id not in (None, school_id()):
        abort(404)
    current = reminder_settings(chat.settings)
    if request.method == "GET":
        return render_template("admin/group.html", chat=chat, on=reminders_on(chat), current=current, kinds=KINDS)
    try:
        changes = _settings_from_form(request.form)
    except ValueError as exc:
        return render_template("admin/group.html", chat=chat, on=reminders_on(chat), current=current, kinds=KINDS, error=str(exc)), 400
    if not reachable(chat):
        changes["enabled"] = False   # a WeCom group without its robot's webhook cannot be reached
    chats.update_chat_settings(database(), chat.id, changes)
    flash(f"已保存“{chat.name or '本群'}”的提醒设置。")
    return redirect(url_for("admin.groups"))


@admin.route("/people", methods=["GET", "POST"])
@login_required
def people_page():
    if request.method == "POST":
        file = request.files.get("roster")
        if file is None or not file.filename:
            flash("请选择名单文件。")
            return redirect(url_for("admin.people_page"))
        try:
            entries = read_roster_bytes(file.read(), Path(file.filename).name)
        except RosterError as exc:
            return render_template("admin/people.html", members=people.load_members(database(), school_id()), error=str(exc)), 400
        result = people.import_roster(database(), school_id(), [as_new_member(e) for e in entries])
        flash(f"名单已导入：新增 {result.added} 人，更新 {result.updated} 人，角色 {result.roles} 个。")
        return redirect(url_for("admin.people_page"))
    return render_template("admin/people.html", members=people.load_members(database(), school_id()))


@admin.post("/people/<id:member_id>/admin")
@login_required
def toggle_admin(member_id: int):
    people.set_admin(database(), school_id(), member_id, request.form.get("admin") == "1")
    return redirect(url_for("admin.people_page"))


def _settings_from_form(form) -> dict:
    changes: dict = {"enabled": form.get("enabled") == "1"}
    for kind, _label in KINDS:
        changes[kind] = form.get(kind) == "1"
    for name in TIMES:
        value = form.get(name, "")
        try:
            changes[name] = time.fromisoformat(value).strftime("%H:%M")
        except ValueError as exc:
            raise ValueError(f"时间格式不对：{value or '（空）'}") from exc
    listed = form.get("deadline_days", "").replace("，", ",").replace("、", ",").split(",")
    days = sorted({n for n in map(whole_number, listed) if n is not None}, reverse=True)
    if not days or not all(1 <= d <= 30 for d in days):
        raise ValueError("截止提醒的提前天数要在 1 到 30 之间，如 3,1")
    changes["deadline_days"] = days
    if changes["quiet_start"] == changes["quiet_end"]:
        raise ValueError("免打扰的开始和结束不能相同")
    return changes
