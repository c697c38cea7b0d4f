"""The Flask application factory: the platform adapters' routes, the office's pages and a health check.

    gunicorn 'bot.app:create_app()'     # production
    python -m bot serve                 # the embedded default
"""
from __future__ import annotations

import logging
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import requests
from flask import Flask, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot import admin
from bot.card_taps import StatusCardTaps
from bot.config import Settings, load_settings
from bot.dispatch import Dispatcher
from bot.inbox import Inbox
from bot.logs import configure_logging
from bot.messages import IncomingMessage
from bot.platforms import dingtalk as dingtalk_wire
from bot.platforms import wecom as wecom_wire
from bot.platforms import wecom_bot as wecom_bot_wire
from bot.platforms.dingtalk_api import DingTalkApi
from bot.platforms.dingtalk_reply import DingTalkResponder
from bot.platforms.wecom_api import WeComAdmins, WeComClient
from bot.routes.dingtalk import dingtalk_blueprint
from bot.routes.wecom import send_late, wecom_blueprint
from bot.routes.wecom_bot import ResponseUrlResponder, WeComLateDelivery, wecom_bot_blueprint
from storage.db import Database

log = logging.getLogger(__name__)

REPLY_WORKERS = 4  # answers are posted back in the background so callbacks return at once


def answer_behind_callbacks(niceness: int) -> None:
    """Run on each reply thread: a lower CPU priority for it alone. The platforms time the acknowledgement of a
    callback (and resend it when slow), not the answer; on a saturated machine the acknowledgements go first
    and the answers take what is left, all of it once the burst has passed. Idle, nothing changes. Linux keeps a
    priority per thread; elsewhere the call would reprioritise the whole process, so it is not made. (A reply
    thread holding SQLite's write lock while descheduled delays the writers behind it: `reply_niceness: 0`.)"""
    if sys.platform != "linux" or niceness == 0:
        return
    thread = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + niceness))
    except OSError as refused:   # a sandbox may forbid it: answers then share the CPU evenly, as before
        log.info("reply threads keep the default priority: %s", refused)


def create_app(settings: Settings | None = None, database: Database | None = None) -> Flask:
    """Build the app; tests pass their own settings and database, production loads config once."""
    if settings is None:
        settings = load_settings()
        configure_logging(settings.log_level, settings.secret_values())   # under gunicorn; the CLI has done it already
    if database is None:
        database = Database(settings.database.resolved_url())
        database.upgrade()
    dispatcher = Dispatcher(settings, database)
    executor = ThreadPoolExecutor(max_workers=REPLY_WORKERS, thread_name_prefix="reply", initializer=answer_behind_callbacks,
                                  initargs=(settings.reply_niceness,))
    http = requests.Session()
    inbox = Inbox(database, lambda message: dispatcher.answer(message, reply_bytes(message)),
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
    admins = WeComAdmins(client, bool(wecom.secret))   # the app's admin list marks the AI bot's senders too
    app.extensions["schoolbot.wecom_admins"] = admins
    # WeCom's late path serves the app and the AI bot; the long connection adds its own (wecom_late.bot[AibotFrame]).
    wecom_late = WeComLateDelivery(lambda message, reply: send_late(client, message, reply))
    bot_responder = ResponseUrlResponder(settings.wecom_bot, http)
    wecom_late.bot[wecom_bot_wire.ResponseUrl] = bot_responder.deliver
    app.extensions["schoolbot.wecom_late"] = wecom_late
    inbox.late_delivery.update(dingtalk=responder.deliver, wecom=wecom_late)
    taps = StatusCardTaps(dispatcher, DingTalkApi(settings.dingtalk, http))   # reminders' status buttons (HTTP and Stream)
    app.extensions["schoolbot.card_taps"] = taps
    app.register_blueprint(dingtalk_blueprint(settings.dingtalk, responder, inbox, executor, taps))
    app.register_blueprint(wecom_blueprint(wecom, inbox, executor, client))
    if settings.wecom_bot.mode == "webhook" and settings.wecom_bot.token:
        app.register_blueprint(wecom_bot_blueprint(settings.wecom_bot, inbox, executor, bot_responder.deliver, admins.mark))
    # Messages a killed process stored but did not answer are finished now, and work that dies later within a lease.
    app.extensions["schoolbot.inbox_resumer"] = inbox.keep_resuming(executor, threading.Event())
    admin.init_app(app, settings, database)   # the office's pages and the calendar feeds

    @app.get("/healthz")
    def healthz():
        try:
            with database.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return jsonify(status="error", database="unreachable"), 503
        return jsonify(status="ok", database="ok")

    return app


def reply_bytes(message: IncomingMessage) -> int:
    """How long an answer may be where it goes: the WeCom app's text replies are the shortest."""
    if isinstance(message.reply_target, (wecom_bot_wire.ResponseUrl, wecom_bot_wire.AibotFrame)):
        return wecom_bot_wire.REPLY_BYTES
    return wecom_wire.REPLY_BYTES if message.platform == "wecom" else dingtalk_wire.REPLY_BYTES
