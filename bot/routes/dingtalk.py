"""POST /dingtalk/callback: verify → parse → 200 at once → answer through the sessionWebhook in the background."""
from __future__ import annotations

import logging
import time
from concurrent.futures import Executor

from flask import Blueprint, jsonify, request

from bot.config import DingTalkSettings
from bot.platforms.dingtalk import CallbackRejected, parse_message, verify
from bot.platforms.dingtalk_reply import DingTalkResponder

log = logging.getLogger(__name__)


def dingtalk_blueprint(config: DingTalkSettings, responder: DingTalkResponder, executor: Executor) -> Blueprint:
    blueprint = Blueprint("dingtalk", __name__)

    @blueprint.post("/dingtalk/callback")
    def callback():
        try:
            verify(request.headers.get("timestamp"), request.headers.get("sign"), config.app_secret, int(time.time() * 1000))
            message = parse_message(request.get_json(silent=True))
        except CallbackRejected as refused:
            log.warning("refused a DingTalk callback: %s", refused)
            return jsonify(error=str(refused)), refused.status
        except ValueError as malformed:
            log.warning("malformed DingTalk callback: %s", malformed)
            return jsonify(error="malformed message"), 400
        executor.submit(responder.answer, message)
        return jsonify({})

    return blueprint
