"""POST /dingtalk/callback: verify → parse → store → 200 → answer through the sessionWebhook in the background.

The message is a database row before DingTalk hears 200 (DingTalk does not resend after
a 200): a process killed at any instant finishes it on its next start.
"""
from __future__ import annotations

import hashlib
import logging
import time
from concurrent.futures import Executor
from datetime import datetime, timezone

from flask import Blueprint, jsonify, request

from bot.card_taps import StatusCardTaps
from bot.config import DingTalkSettings
from bot.inbox import Inbox
from bot.platforms.dingtalk import CallbackRejected, parse_message, verify
from bot.platforms.dingtalk_card import parse_tap
from bot.platforms.dingtalk_reply import DingTalkResponder
from storage.inbox import InboxUnavailable

log = logging.getLogger(__name__)


def dingtalk_blueprint(config: DingTalkSettings, responder: DingTalkResponder, inbox: Inbox, executor: Executor,
                       taps: StatusCardTaps | None = None) -> Blueprint:
    blueprint = Blueprint("dingtalk", __name__)

    @blueprint.post("/dingtalk/card/callback")
    def card_callback():
        """A tap on a status card (HTTP callback mode), signed like the robot's callback; answered in the response."""
        if taps is None or not config.status_card_template_id:
            return jsonify(error="status cards are not configured"), 404
        try:
            verify(request.headers.get("timestamp"), request.headers.get("sign"), config.app_secret, int(time.time() * 1000))
            # DingTalk's HTTP card callback names no event id: a redelivery repeats the body, so its digest is the id.
            tap = parse_tap(request.get_json(silent=True), hashlib.sha256(request.get_data()).hexdigest())
        except CallbackRejected as refused:
            log.warning("refused a DingTalk card callback: %s", refused)
            return jsonify(error=str(refused)), refused.status
        except (ValueError, RecursionError) as malformed:
            log.warning("not a status-card tap: %s", malformed)
            return jsonify(error="not a status-card tap"), 400
        return jsonify(taps.tap(tap, datetime.now(timezone.utc)))

    @blueprint.post("/dingtalk/callback")
    def callback():
        try:
            verify(request.headers.get("timestamp"), request.headers.get("sign"), config.app_secret, int(time.time() * 1000))
            message = parse_message(request.get_json(silent=True))
        except CallbackRejected as refused:
            log.warning("refused a DingTalk callback: %s", refused)
            return jsonify(error=str(refused)), refused.status
        except (ValueError, RecursionError) as malformed:
            log.warning("malformed DingTalk callback: %s", type(malformed).__name__)
            return jsonify(error="malformed message"), 400
        try:
            row_id = inbox.accept(message)
        except InboxUnavailable:
            log.error("DingTalk message %s could not be stored; asking for a resend", message.msg_id)
            return jsonify(error="busy, please retry"), 503
        if row_id is not None:
            inbox.submit(executor, row_id, responder.deliver)
        return jsonify({})

    return blueprint
