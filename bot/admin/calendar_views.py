"""The office's calendar: a week or a month of dated tasks, Monday to Sunday."""
from __future__ import annotations

from datetime import date, timedelta

from flask import render_template, request

from storage import plans
from storage.school_calendar import school_holidays, school_terms

from .blueprint import admin
from .edges import clamped
from .extension import database, school_id, settings, today
from .guard import login_required
from .pages import calendar_view, week_of


@admin.get("/calendar")
@login_required
def calendar():
    this_day = today()
    view = "month" if request.args.get("view") == "month" else "week"
    try:
        day = clamped(date.fromisoformat(request.args.get("day") or ""))   # the ends of time are out of sight anyway
    except ValueError:
        day = this_day
    first, last = (week_of(day) if view == "week" else (day.replace(day=1), _month_end(day)))
    rows = plans.list_tasks(database(), school_id(), first, last)
    # the config's days off have no names; the office's own rows do, and win
    holidays = dict.fromkeys(settings().holidays, "") | dict(school_holidays(database(), school_id()))
    shown = calendar_view(rows, first, last, school_terms(database(), school_id()), holidays, this_day)
    step = timedelta(days=7) if view == "week" else timedelta(days=32)
    return render_template("admin/calendar.html", view=view, calendar=shown, first=first, last=last, today=this_day,
                           prev=(first - timedelta(days=1)).isoformat() if view == "month" else (first - step).isoformat(),
                           next=(last + timedelta(days=1)).isoformat())


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)
