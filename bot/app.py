"""The Flask application factory: the platform adapters' routes and a health check.

    gunicorn 'bot.app:create_app()'     # production
    python -m bot serve                 # the embedded default
"""
from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import requests
from flask import Flask, jsonify, redirect, render_template, request, url_for
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot import holiday_years, office_setup
from bot.admin.feed import feed_blueprint
from bot.admin.guard import SESSION_LIFETIME
from bot.admin.views import admin_blueprint
from bot.config import Settings, load_settings
from bot.dispatch import Dispatcher
from bot.inbox import Inbox
from bot.logs import configure_logging
from bot.platforms import dingtalk as dingtalk_wire
from bot.platforms import wecom as wecom_wire
from bot.platforms.dingtalk_reply import DingTalkResponder
from bot.platforms.wecom_api import WeComClient
from bot.routes.dingtalk import dingtalk_blueprint
from bot.routes.wecom import send_late, wecom_blueprint
from storage import plans
from storage.db import Database
from storage.school_calendar import school_terms

REPLY_WORKERS = 4  # answers are posted back in the background so callbacks return at once


def create_app(settings: Settings | None = None, database: Database | None = None) -> Flask:
    """Build the app; tests pass their own settings and database, production loads config once."""
    if settings is None:
        settings = load_settings()
        configure_logging(settings.log_level, settings.secret_values())   # under gunicorn; the CLI has done it already
    if database is None:
        database = Database(settings.database.resolved_url())
        database.upgrade()
    dispatcher = Dispatcher(settings, database)
    executor = ThreadPoolExecutor(max_workers=REPLY_WORKERS, thread_name_prefix="reply")
    http = requests.Session()
    reply_bytes = {"dingtalk": dingtalk_wire.REPLY_BYTES, "wecom": wecom_wire.REPLY_BYTES}
    inbox = Inbox(database, lambda message: dispatcher.answer(message, reply_bytes.get(message.platform, dingtalk_wire.REPLY_BYTES)),
                  timedelta(seconds=settings.inbox_lease_seconds))

    app = Flask(__name__)
    app.extensions["schoolbot.settings"] = settings
    app.extensions["schoolbot.database"] = database
    app.extensions["schoolbot.executor"] = executor
    app.extensions["schoolbot.inbox"] = inbox
    responder = DingTalkResponder(settings.dingtalk, http)
    app.extensions["schoolbot.dingtalk_responder"] = responder  # Stream mode answers through the same responder
    wecom = settings.wecom
    client = WeComClient(wecom.api_base, wecom.corp_id, wecom.secret, wecom.agent_id, http)
    inbox.late_delivery.update(dingtalk=responder.deliver, wecom=lambda message, reply: send_late(client, message, reply))
    app.register_blueprint(dingtalk_blueprint(settings.dingtalk, responder, inbox, executor))
    app.register_blueprint(wecom_blueprint(wecom, inbox, executor, client))
    # Messages a killed process stored but did not answer are finished now, and work that dies later within a lease.
    app.extensions["schoolbot.inbox_resumer"] = inbox.keep_resuming(executor, threading.Event())
    _office_pages(app, settings, database)

    @app.get("/healthz")
    def healthz():
        try:
            with database.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return jsonify(status="error", database="unreachable"), 503
        return jsonify(status="ok", database="ok")

    return app


def _office_pages(app: Flask, settings: Settings, database: Database) -> None:
    web = settings.admin_web
    app.session_interface = _CookieKeyFromDatabase(lambda: office_setup.cookie_key(settings, database))
    try:
        school = plans.home_school(database, settings.school)
        holiday_years.prefill(database, school, school_terms(database, school))
        office_setup.yield_to_config(settings, database)
        if office_setup.needs_setup(settings, database):
            _announce_setup(database)
    except SQLAlchemyError:
        pass   # the database is down: /healthz says so, and the pages wait for it
    app.config.update(
        SESSION_COOKIE_NAME="schoolbot_admin", SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=web.secure_cookies, PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        MAX_CONTENT_LENGTH=web.max_upload_mb * 1024 * 1024,
    )
    app.register_blueprint(admin_blueprint(settings, database))
    app.register_blueprint(feed_blueprint(settings, database))

    @app.get("/")
    def index():
        return redirect(url_for("admin.home"))

    @app.errorhandler(400)
    @app.errorhandler(404)
    @app.errorhandler(413)
    def office_error(error):
        """The office's pages answer in Chinese; the platform callbacks keep their plain bodies."""
        if not request.path.startswith("/admin"):
            return error
        words = {400: error.description if isinstance(error.description, str) and not error.description.isascii()
                 else "请求有误，请返回重试。", 404: "没有这个页面，或这项内容已被删除。",
                 413: f"文件太大，超过 {web.max_upload_mb} MB。"}
        return render_template("admin/error.html", message=words.get(error.code, "出错了")), error.code


class _CookieKeyFromDatabase(SecureCookieSessionInterface):
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


def _announce_setup(database: Database) -> None:
    """The one-time code for /admin/setup, shown only to whoever watches this console (never logged)."""
    print(f"校务助手尚未设置：用浏览器打开本机的 /admin/setup（如 http://127.0.0.1:8080/admin/setup），"
          f"设置码 {office_setup.setup_code(database)}", file=sys.stderr, flush=True)
