"""What the office's pages reach through the app: the settings, the database, the clock, and the
school of the request, looked up once.

create_app stores one Office in app.extensions; views ask for it through the functions here rather
than closing over settings and database, so the blueprints are plain module-level objects.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app, g

from bot import schools
from bot.config import Settings
from storage import plans
from storage.db import Database

EXTENSION = "schoolbot.office"


@dataclass(frozen=True)
class HomeSchool:
    id: int
    name: str


class Office:
    """The office pages' share of the app."""

    def __init__(self, settings: Settings, database: Database) -> None:
        self.settings = settings
        self.database = database
        self.home_synced = False   # whether this process has brought the config's school into the database

    def sync_home(self) -> int:
        """The home school the full way: created and pinned if need be, the config's name and terms
        brought in. It may write, so it runs once per process: at start-up, or at the first request
        when the database was down then."""
        school_id = schools.home_school(self.database, self.settings.school)
        self.home_synced = True
        return school_id

    def home(self) -> HomeSchool:
        """The pinned school, read without a lock; the full way only the first time."""
        pinned = plans.pinned_school(self.database) if self.home_synced else None
        if pinned is not None:
            return HomeSchool(*pinned)
        school_id = self.sync_home()
        return HomeSchool(school_id, plans.school_name(self.database, school_id))


def current_office() -> Office:
    return current_app.extensions[EXTENSION]


def settings() -> Settings:
    return current_office().settings


def database() -> Database:
    return current_office().database


def school() -> HomeSchool:
    """This install's school, looked up once per request."""
    if "school" not in g:
        g.school = current_office().home()
    return g.school


def school_id() -> int:
    return school().id


def school_renamed() -> None:
    """After a rename within the request: the page about to be shown asks again."""
    g.pop("school", None)


def now() -> datetime:
    return datetime.now(settings().tz)


def today() -> date:
    return now().date()
