"""POST /dingtalk/callback: verify → parse → 200 at once → answer through the sessionWebhook in the background."""
from __future__ import annotations

import logging
import time
from concurrent.futures import Executor
from urllib.parse import urlsplit

import requests
from flask import Blueprint, jsonify, request

from bot.config import DingTalkSettings
from bot.dispatch import Dispatcher
from bot.messages import IncomingMessage
from bot.platforms.dingtalk import REPLY_BYTES, CallbackRejected, parse_message, reply_body, verify

log = logging.getLogger(__name__)


def dingtalk_blueprint(config: DingTalkSettings, dispatcher: Dispatcher, executor: Executor, http: requests.Session) -> Blueprint:
    blueprint = Blueprint("dingtalk", __name__)

    @blueprint.post("/dingtalk/callback")
    def callback():
        try:
            verify(request.headers.get("timestamp"), request.headers.get("sign"), config.app_secret, _now_ms())
            message = parse_message(request.get_json(silent=True))
        except CallbackRejected as refused:
            log.warning("refused a DingTalk callback: %s", refused)
            return jsonify(error=str(refused)), refused.status
        except ValueError as malformed:
            log.warning("malformed DingTalk callback: %s", malformed)
            return jsonify(error="malformed message"), 400
        executor.submit(answer, message)
        return jsonify({})

    def answer(message: IncomingMessage) -> None:
        try:
            reply = dispatcher.handle(message, REPLY_BYTES)
            if reply is None:
                return
            target = message.reply_target
            if not target.usable(config.session_webhook_base, _now_ms()):
                log.warning("not replying: sessionWebhook expired or outside %s", config.session_webhook_base)
                return
            response = http.post(target.url, json=reply_body(reply, message), timeout=10)
            result = response.json() if response.ok else {}
            if result.get("errcode", 0) != 0 or not response.ok:
                log.warning("DingTalk reply to %s failed: HTTP %s errcode %s", urlsplit(target.url).netloc,
                            response.status_code, result.get("errcode"))
        except Exception:  # a background answer must never take the worker down
            log.exception("answering DingTalk message %s failed", message.msg_id)

    return blueprint


def _now_ms() -> int:
    return int(time.time() * 1000)
