"""The office's pages for settings: groups and their reminders, the roster and admins, terms and holidays."""
from __future__ import annotations

from dataclasses import fields
from datetime import date, time, timedelta
from pathlib import Path

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from bot import holiday_years
from bot.config import Settings
from bot.members import as_new_member
from bot.people.roster import RosterError, read_roster_bytes
from bot.reminder_rules.planning import ReminderSettings
from bot.reminder_rules.setting_words import describe, reminder_settings
from storage import chats, people, school_calendar
from storage.db import Database

from .edges import school_date, whole_number
from .guard import login_required

KINDS = (("digest", "周报"), ("eve", "前一天提醒"), ("morning", "当天提醒"), ("deadline", "截止提醒"),
         ("recurring", "例行事项"), ("chase", "催报"))
TIMES = tuple(f.name for f in fields(ReminderSettings) if f.type in ("time", time))


def add_settings_views(bp: Blueprint, database: Database, school_id) -> None:
    @bp.get("/groups")
    @login_required
    def groups():
        rows = [(chat, describe(reminder_settings(chat.settings), chat.reminders_on)) for chat in chats.school_chats(database, school_id())]
        return render_template("admin/groups.html", rows=rows)

    @bp.route("/groups/<id:chat_id>", methods=["GET", "POST"])
    @login_required
    def group(chat_id: int):
        chat = chats.get_chat(database, chat_id)
        if chat is None or chat.school_id not in (None, school_id()):
            abort(404)
        current = reminder_settings(chat.settings)
        if request.method == "GET":
            return render_template("admin/group.html", chat=chat, current=current, kinds=KINDS)
        try:
            changes = _settings_from_form(request.form)
        except ValueError as exc:
            return render_template("admin/group.html", chat=chat, current=current, kinds=KINDS, error=str(exc)), 400
        if not chat.by_webhook and chat.platform != "dingtalk":
            changes["enabled"] = False   # WeCom reaches ordinary groups only through a group robot's webhook
        chats.update_chat_settings(database, chat.id, changes)
        flash(f"已保存“{chat.name or '本群'}”的提醒设置。")
        return redirect(url_for("admin.groups"))

    @bp.route("/people", methods=["GET", "POST"])
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
                return render_template("admin/people.html", members=people.load_members(database, school_id()), error=str(exc)), 400
            result = people.import_roster(database, school_id(), [as_new_member(e) for e in entries])
            flash(f"名单已导入：新增 {result.added} 人，更新 {result.updated} 人，角色 {result.roles} 个。")
            return redirect(url_for("admin.people_page"))
        return render_template("admin/people.html", members=people.load_members(database, school_id()))

    @bp.post("/people/<id:member_id>/admin")
    @login_required
    def toggle_admin(member_id: int):
        people.set_admin(database, school_id(), member_id, request.form.get("admin") == "1")
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


def add_term_views(bp: Blueprint, settings: Settings, database: Database, school_id) -> None:
    configured = {t.name for t in settings.school.terms}

    @bp.get("/terms")
    @login_required
    def terms():
        return render_template("admin/terms.html", terms=school_calendar.school_terms(database, school_id()), configured=configured,
                               holidays=school_calendar.school_holidays(database, school_id()), covered=holiday_years.covered_span())

    @bp.post("/terms")
    @login_required
    def save_term():
        try:
            school_calendar.save_term(database, school_id(), request.form.get("name", ""), _day(request.form.get("start")),
                                      _day(request.form.get("end")), request.form.get("original") or None)
        except (school_calendar.CalendarError, ValueError) as exc:
            flash(f"没有保存：{exc}")
            return redirect(url_for("admin.terms"))
        flash("学期已保存。周次、例行事项和提醒都按新的日期计算。")
        return redirect(url_for("admin.terms"))

    @bp.post("/terms/delete")
    @login_required
    def delete_term():
        name = request.form.get("name", "")
        if name in configured:
            flash(f"“{name}”写在配置文件里，删除后启动时会恢复；请修改它的日期，或请 IT 管理员改配置文件。")
        else:
            school_calendar.delete_term(database, school_id(), name)
            flash(f"已删除“{name}”。")
        return redirect(url_for("admin.terms"))

    @bp.post("/holidays")
    @login_required
    def add_holiday():
        try:
            first = _day(request.form.get("start"))
            last = _day(request.form.get("end") or request.form.get("start"))
        except ValueError as exc:
            flash(f"没有保存：{exc}")
            return redirect(url_for("admin.terms"))
        if last < first or (last - first).days > 60:
            flash("没有保存：假期的结束日期要在开始日期之后，且不超过 60 天。")
            return redirect(url_for("admin.terms"))
        day = first
        while day <= last:
            school_calendar.add_holiday(database, school_id(), day, request.form.get("name", ""))
            day += timedelta(days=1)
        flash("假期已保存：这些天不推送提醒，例行事项也暂停。")
        return redirect(url_for("admin.terms"))

    @bp.post("/holidays/delete")
    @login_required
    def delete_holiday():
        try:
            day = _day(request.form.get("day"))
        except ValueError as exc:
            abort(400, description=str(exc))
        school_calendar.delete_holiday(database, school_id(), day)
        flash(f"已删除 {day.isoformat()} 的假期。")
        return redirect(url_for("admin.terms"))


def _day(value: str | None) -> date:
    """A required date within the school's years; ValueError in Chinese otherwise."""
    day = school_date(value, example="2026-09-01")
    if day is None:
        raise ValueError("请填写日期，如 2026-09-01")
    return day
