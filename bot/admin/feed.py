"""iCalendar feeds teachers subscribe to: the school's dated tasks, or those of one group's members;
and beside each, an optional feed of the routine duties (weekly, monthly…) repeating within each term.

The URL's secret token is the only key (calendar apps cannot sign in); the office can
change it on the feed page, which breaks the old links. A routine feed's URL is its dated
feed's with ".ics" replaced by "/routine.ics".
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

from flask import Blueprint, Response, abort
from icalendar import Calendar

from bot import texts
from bot.agenda import once
from bot.progress import SchoolProgress
from bot.reminders.passes import school_calendar
from bot.school_days import is_school_day
from storage import chats, office, plans
from storage.school_calendar import school_terms

from .edges import use_row_ids
from .extension import database, settings
from .feed_events import dated_events, routine_events, task_uid

TOKEN = re.compile(r"[A-Za-z0-9_-]{1,100}")   # what secrets.token_urlsafe makes; anything else cannot be a feed
# Exactly one charset: Flask appends its own to a text/* mimetype, so the whole header is given as is.
CONTENT_TYPE = "text/calendar; charset=utf-8"

feeds = Blueprint("feeds", __name__)
use_row_ids(feeds)


@feeds.get("/feed/<token>.ics")
def school_feed(token: str):
    return _dated(*_chosen(token))


@feeds.get("/feed/<token>/<id:group_id>.ics")
def group_feed(token: str, group_id: int):
    return _dated(*_chosen(token, group_id))


@feeds.get("/feed/<token>/routine.ics")
def school_routine_feed(token: str):
    return _routine(*_chosen(token))


@feeds.get("/feed/<token>/<id:group_id>/routine.ics")
def group_routine_feed(token: str, group_id: int):
    return _routine(*_chosen(token, group_id))


def _chosen(token: str, group_id: int | None = None):
    """(school, its tasks or the group's, the calendar's name) for a feed URL; 404 for a wrong one."""
    school_id = _school(token)
    school_name = plans.school_name(database(), school_id)
    if group_id is None:
        return school_id, plans.list_tasks(database(), school_id), school_name
    name, tasks = _group_tasks(school_id, group_id)
    return school_id, tasks, f"{school_name} · {name}"


def _school(token: str) -> int:
    school_id = office.school_by_feed_token(database(), token) if TOKEN.fullmatch(token) else None
    if school_id is None:
        abort(404)
    return school_id


def _group_tasks(school_id: int, group_id: int) -> tuple[str, list]:
    group = chats.get_chat(database(), group_id)
    if group is None or group.school_id not in (None, school_id):
        abort(404)
    members = set(chats.member_ids(database(), group_id))
    tasks = plans.list_tasks(database(), school_id)
    if members:   # the tasks some member of the group answers for; a group with no one known gets them all
        school = SchoolProgress(database(), school_id, tz=settings().tz)
        tasks = [t for t in tasks if any(members & set(u.member_ids) for u in school.units(t.owner))]
    return group.name, tasks


def _uid(school_id: int):
    install = office.install_id(database())
    return lambda task, term=None: task_uid(install, school_id, task.id, term)


def _dated(school_id: int, tasks: list, name: str) -> Response:
    events = dated_events(tasks, school_terms(database(), school_id), _uid(school_id), datetime.now(timezone.utc))
    return _ics(events, name)


def _routine(school_id: int, tasks: list, name: str) -> Response:
    terms, holidays = school_calendar(settings(), database(), school_id)
    events = routine_events(once(tasks), terms, lambda day: is_school_day(day, holidays), _uid(school_id),
                            datetime.now(timezone.utc))
    return _ics(events, f"{name} · {texts.ROUTINE}")


def _ics(events: list, name: str) -> Response:
    calendar = Calendar()
    calendar.add("prodid", texts.FEED_PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings().timezone)
    for event in events:
        calendar.add_component(event)
    return Response(calendar.to_ical(), content_type=CONTENT_TYPE, headers={"Cache-Control": "private, max-age=300"})
