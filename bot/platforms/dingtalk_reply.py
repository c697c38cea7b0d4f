"""Answer one DingTalk message through its sessionWebhook: shared by the HTTP callback and Stream mode."""
from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

import requests

from bot.config import DingTalkSettings
from bot.messages import IncomingMessage, Reply

from .dingtalk import reply_body

log = logging.getLogger(__name__)


class DingTalkResponder:
    def __init__(self, config: DingTalkSettings, http: requests.Session) -> None:
        self.config, self.http = config, http

    def deliver(self, message: IncomingMessage, reply: Reply) -> None:
        """Post the reply to the message's sessionWebhook. A network failure is logged, not raised:
        the message is handled either way (its effects are stored), and the sessionWebhook is short-lived."""
        target = message.reply_target
        if target is None or not target.usable(self.config.session_webhook_base, int(time.time() * 1000)):
            log.warning("not replying: sessionWebhook expired or outside %s", self.config.session_webhook_base)
            return
        try:
            response = self.http.post(target.url, json=reply_body(reply, message), timeout=10)
            result = response.json() if response.ok else {}
            if not response.ok or result.get("errcode", 0) != 0:
                log.warning("DingTalk reply to %s failed: HTTP %s errcode %s", urlsplit(target.url).netloc,
                            response.status_code, result.get("errcode"))
        except (requests.RequestException, ValueError) as failed:
            log.warning("DingTalk reply for message %s not delivered: %s", message.msg_id, type(failed).__name__)
