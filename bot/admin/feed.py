"""iCalendar feeds teachers subscribe to: the school's dated tasks, or those of one group's members.

The URL's secret token is the only key (calendar apps cannot sign in); the office can
change it on the feed page, which breaks the old links.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from flask import Blueprint, Response, abort
from icalendar import Calendar, Event

from bot.config import Settings
from bot.schedule import dated_range
from handlers.progress import SchoolProgress
from storage import chats, office, plans
from storage.db import Database
from storage.school_calendar import school_terms

from .edges import FIRST_DAY, LAST_DAY, use_row_ids

TOKEN = re.compile(r"[A-Za-z0-9_-]{1,100}")   # what secrets.token_urlsafe makes; anything else cannot be a feed


def feed_blueprint(settings: Settings, database: Database) -> Blueprint:
    bp = Blueprint("feeds", __name__)
    use_row_ids(bp)

    @bp.get("/feed/<token>.ics")
    def school_feed(token: str):
        school_id = _school(token)
        return _ics(settings, school_terms(database, school_id), plans.list_tasks(database, school_id), settings.school.name)

    @bp.get("/feed/<token>/<id:group_id>.ics")
    def group_feed(token: str, group_id: int):
        school_id = _school(token)
        group = chats.get_chat(database, group_id)
        if group is None or group.school_id not in (None, school_id):
            abort(404)
        members = set(chats.member_ids(database, group_id))
        tasks = plans.list_tasks(database, school_id)
        if members:   # the tasks some member of the group answers for; a group with no one known gets them all
            school = SchoolProgress(database, school_id, tz=settings.tz)
            tasks = [t for t in tasks if any(members & set(u.member_ids) for u in school.units(t.owner))]
        return _ics(settings, school_terms(database, school_id), tasks, f"{settings.school.name} · {group.name}")

    def _school(token: str) -> int:
        school_id = office.school_by_feed_token(database, token) if TOKEN.fullmatch(token) else None
        if school_id is None:
            abort(404)
        return school_id

    return bp


def _ics(settings: Settings, terms, tasks, name: str) -> Response:
    calendar = Calendar()
    calendar.add("prodid", "-//schoolbot//校务助手//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.timezone)
    stamp = datetime.now(timezone.utc)
    for task in tasks:
        term = next((t for t in terms if task.valid_from is None or t.end >= task.valid_from), None)
        covered = dated_range(task, term)
        if covered is None or not (FIRST_DAY <= covered[0] and covered[1] <= LAST_DAY):
            continue   # a date outside the school's years is a typo stored earlier; one bad task must not break the feed
        event = Event()
        event.add("uid", f"task-{task.id}@schoolbot")
        event.add("dtstamp", stamp)
        event.add("summary", f"#{task.number} {task.title}")
        event.add("dtstart", covered[0])
        event.add("dtend", covered[1] + timedelta(days=1))   # all-day events end the day after
        if task.owner:
            event.add("description", f"负责：{task.owner}")
        calendar.add_component(event)
    return Response(calendar.to_ical(), mimetype="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "private, max-age=300"})
