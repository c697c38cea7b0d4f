"""Sign-in, sessions and CSRF for the office's pages.

The password is checked against a werkzeug hash from the config. Failed attempts are
counted per address in the database, so the limit holds across gunicorn workers.
Every POST carries the session's CSRF token; a missing or wrong one is refused.
"""
from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from functools import wraps

from flask import abort, redirect, request, session, url_for
from werkzeug.security import check_password_hash

from storage import office
from storage.db import Database

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    """Before every POST: the form's token must be this session's."""
    if request.method != "POST":
        return
    sent = request.form.get("csrf_token", "")
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
        abort(400, description="页面已过期或来源不明，请刷新后重试。")


def signed_in() -> bool:
    return session.get("admin") is True


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not signed_in():
            return redirect(url_for("admin.login", next=request.path))
        return view(*args, **kwargs)
    return wrapped


def client_ip() -> str:
    return request.remote_addr or "unknown"   # behind a proxy, run it with ProxyFix so this is the real address


def too_many_failures(db: Database) -> bool:
    return office.failed_logins(db, client_ip(), FAILURE_WINDOW) >= MAX_FAILURES


def try_password(db: Database, password_hash: str, password: str) -> bool:
    ok = bool(password_hash) and check_password_hash(password_hash, password)
    office.record_login(db, client_ip(), ok)
    if ok:
        session.clear()
        session.permanent = True
        session["admin"] = True   # a fresh session on sign-in: an earlier cookie cannot be ridden
    return ok
