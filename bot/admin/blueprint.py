"""The office's blueprint, /admin: what runs before every page (set-up first, no NUL, CSRF) and what
every page's template can use. The views are added by the *_views modules of this package.

Views only translate between forms and the use-cases in storage and bot; the words on the pages
are in the templates, and what a view flashes or shows as an error is in bot.texts.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, abort, redirect, request, url_for

from bot import office_setup, texts
from bot.errors import UserError
from bot.texts.format import describe_when as words_for_when

from .edges import holds_nul, use_row_ids
from .extension import database, school, settings
from .guard import check_csrf, csrf_token, signed_in
from .refusals import refused

admin = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates", static_folder="static")
use_row_ids(admin)
admin.register_error_handler(UserError, refused)


@admin.before_request
def configured_and_csrf():
    if request.endpoint == "admin.static":
        return None   # the style sheet serves the set-up page too
    if holds_nul(request):
        abort(400, description=texts.NUL_IN_REQUEST)
    if request.endpoint != "admin.setup" and office_setup.needs_setup(settings(), database()):
        return redirect(url_for("admin.setup"))
    check_csrf()
    return None


@admin.context_processor
def page_globals():
    return {"csrf_token": csrf_token, "signed_in": signed_in(), "school_name": school().name,
            "describe_when": describe_when, "local_time": local_time}


def local_time(stored: datetime) -> datetime:
    """A time as stored (naive UTC) in the school's zone, for the pages."""
    return stored.replace(tzinfo=timezone.utc).astimezone(settings().tz)


def describe_when(start, end, recurrence, anchor, week) -> str:
    """The words for a task's time; a rhythm stored before it was checked ("monthly:by²") is shown as
    written rather than taking the whole task list down."""
    try:
        return words_for_when(start, end, recurrence, anchor, week)
    except ValueError:
        return " ".join(filter(None, (words_for_when(start, end, None, anchor, week), recurrence)))
