"""Answer one DingTalk message through its sessionWebhook: shared by the HTTP callback and Stream mode."""
from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

import requests

from bot.config import DingTalkSettings
from bot.dispatch import Dispatcher
from bot.messages import IncomingMessage

from .dingtalk import REPLY_BYTES, reply_body

log = logging.getLogger(__name__)


class DingTalkResponder:
    def __init__(self, config: DingTalkSettings, dispatcher: Dispatcher, http: requests.Session) -> None:
        self.config, self.dispatcher, self.http = config, dispatcher, http

    def answer(self, message: IncomingMessage) -> None:
        """Runs on a worker thread; never raises, so one bad message cannot take the worker down."""
        try:
            reply = self.dispatcher.handle(message, REPLY_BYTES)
            if reply is None:
                return
            target = message.reply_target
            if not target.usable(self.config.session_webhook_base, int(time.time() * 1000)):
                log.warning("not replying: sessionWebhook expired or outside %s", self.config.session_webhook_base)
                return
            response = self.http.post(target.url, json=reply_body(reply, message), timeout=10)
            result = response.json() if response.ok else {}
            if not response.ok or result.get("errcode", 0) != 0:
                log.warning("DingTalk reply to %s failed: HTTP %s errcode %s", urlsplit(target.url).netloc,
                            response.status_code, result.get("errcode"))
        except requests.RequestException as failed:
            log.warning("DingTalk reply for message %s not delivered: %s", message.msg_id, type(failed).__name__)
        except Exception:
            log.exception("answering DingTalk message %s failed", message.msg_id)
