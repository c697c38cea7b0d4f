"""The office's web pages under /admin (set-up, plans, tasks, calendars, groups and people) and the
calendar feeds, added to the app by init_app.

The blueprints are module-level objects: `admin` in blueprint.py, whose views the *_views modules
add, and `feeds` in feed.py. Views reach settings and database through the Office that init_app
keeps in app.extensions (extension.py).
"""
from __future__ import annotations

import sys

from flask import Flask, redirect, render_template, request, url_for
from sqlalchemy.exc import SQLAlchemyError

from bot import holiday_years, office_setup, texts
from bot.config import Settings
from storage.db import Database
from storage.school_calendar import school_terms

from . import calendar_views, home_views, plan_views, settings_views, setup_views, task_views, term_views  # noqa: F401  (their routes)
from .blueprint import admin
from .extension import EXTENSION, Office
from .feed import feeds
from .guard import SESSION_LIFETIME, CookieKeyFromDatabase


def init_app(app: Flask, settings: Settings, database: Database) -> None:
    office = Office(settings, database)
    app.extensions[EXTENSION] = office
    app.session_interface = CookieKeyFromDatabase(lambda: office_setup.cookie_key(settings, database))
    _start_up(office)
    web = settings.admin_web
    app.config.update(
        SESSION_COOKIE_NAME="schoolbot_admin", SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=web.secure_cookies, PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        MAX_CONTENT_LENGTH=web.max_upload_mb * 1024 * 1024,
    )
    app.register_blueprint(admin)
    app.register_blueprint(feeds)
    app.add_url_rule("/", "index", lambda: redirect(url_for("admin.home")))
    for code in (400, 404, 413):
        app.register_error_handler(code, lambda error: _office_error(error, web.max_upload_mb))


def _start_up(office: Office) -> None:
    """The config's school brought in, its holidays prefilled, and the one-time set-up code shown."""
    database = office.database
    try:
        school = office.sync_home()
        holiday_years.prefill(database, school, school_terms(database, school))
        office_setup.yield_to_config(office.settings, database)
        if office_setup.needs_setup(office.settings, database):
            _announce_setup(database)
    except SQLAlchemyError:
        pass   # the database is down: /healthz says so, and the pages wait for it


def _office_error(error, max_upload_mb: int):
    """The office's pages answer in Chinese; the platform callbacks keep their plain bodies."""
    if not request.path.startswith("/admin"):
        return error
    words = {400: error.description if isinstance(error.description, str) and not error.description.isascii()
             else texts.BAD_REQUEST, 404: texts.PAGE_NOT_FOUND, 413: texts.UPLOAD_TOO_LARGE.format(mb=max_upload_mb)}
    return render_template("admin/error.html", message=words.get(error.code, texts.PAGE_FAILED)), error.code


def _announce_setup(database: Database) -> None:
    """The one-time code for /admin/setup, shown only to whoever watches this console (never logged)."""
    print(texts.SETUP_ANNOUNCED.format(code=office_setup.setup_code(database)), file=sys.stderr, flush=True)
