"""Sign-in, sessions and CSRF for the office's pages.

The password is checked against a werkzeug hash from the config or the set-up page. Each attempt is counted
per address in the database before the password is checked, in one locked step, so the
limit holds across gunicorn workers and simultaneous guesses. A session carries the
office's session generation and a fingerprint of the password hash: logging out moves
the generation and changing the password changes the fingerprint, and either ends every
session, copied cookies included. Every POST carries the session's CSRF token.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from functools import wraps

from flask import abort, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.security import check_password_hash

from bot import office_setup, texts
from storage import office
from storage.db import Database

from .extension import current_office

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
    expected = str(session.get("csrf", ""))   # bytes below: compare_digest refuses str with non-ASCII ("令牌") by raising
    if not sent or not hmac.compare_digest(sent.encode("utf-8", "surrogatepass"), expected.encode()):
        abort(400, description=texts.PAGE_EXPIRED)


def signed_in() -> bool:
    if session.get("admin") is not True:
        return False
    database, password_hash = _office()
    return (session.get("generation") == office.session_generation(database)
            and hmac.compare_digest(str(session.get("password", "")), _fingerprint(password_hash)))


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not signed_in():
            return redirect(url_for("admin.login", next=request.path))
        return view(*args, **kwargs)
    return wrapped


def _office() -> tuple[Database, str]:
    """The app's database and the password hash in force: the config's, else the one set on the set-up page."""
    office_pages = current_office()
    return office_pages.database, office_setup.password_hash(office_pages.settings, office_pages.database)


def sign_out_everywhere(db: Database) -> None:
    office.end_all_sessions(db)
    session.clear()


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(("schoolbot-session:" + password_hash).encode()).hexdigest()[:32]


def client_ip() -> str:
    return request.remote_addr or "unknown"   # behind a proxy, run it with ProxyFix so this is the real address


def try_password(db: Database, password_hash: str, password: str) -> bool | None:
    """True signed in, False wrong, None refused unchecked: too many attempts from this address."""
    if not office.reserve_attempt(db, client_ip(), MAX_FAILURES, FAILURE_WINDOW):
        return None
    ok = bool(password_hash) and check_password_hash(password_hash, password)
    office.record_login(db, client_ip(), ok)
    if ok:
        office.give_back_attempt(db, client_ip())
        start_session(db, password_hash)
    return ok


def start_session(db: Database, password_hash: str) -> None:
    session.clear()
    session.permanent = True
    session["admin"] = True   # a fresh session on sign-in: an earlier cookie cannot be ridden
    session["generation"] = office.session_generation(db)
    session["password"] = _fingerprint(password_hash)


def current_password_hash() -> str:
    return _office()[1]


class CookieKeyFromDatabase(SecureCookieSessionInterface):
    """Session cookies signed with the config's key, else one kept in the database; read when first
    needed, so the app starts (and /healthz answers) while the database is down."""

    def __init__(self, load_key) -> None:
        self._load_key = load_key

    def get_signing_serializer(self, app):
        if not app.secret_key:
            try:
                app.secret_key = self._load_key()
            except SQLAlchemyError:
                return None   # no sessions until the database answers
        return super().get_signing_serializer(app)
