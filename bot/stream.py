"""DingTalk Stream mode: the bot dials out to DingTalk over a websocket, so a school needs no public address.

The same parsing, dispatcher and sessionWebhook replies as the HTTP callback;
messages are stored, then acknowledged, and answered on a worker thread.
"""
from __future__ import annotations

import asyncio
import logging
import socket
from concurrent.futures import Executor
from datetime import datetime, timezone
from urllib.parse import urlsplit

import dingtalk_stream

from bot.card_taps import StatusCardTaps
from bot.config import DingTalkSettings
from bot.inbox import Inbox
from bot.platforms.dingtalk import parse_message
from bot.platforms.dingtalk_card import TOPIC as CARD_TOPIC
from bot.platforms.dingtalk_card import parse_tap
from bot.platforms.dingtalk_reply import DingTalkResponder
from storage.inbox import InboxUnavailable

log = logging.getLogger(__name__)


class RobotMessageHandler(dingtalk_stream.CallbackHandler):
    def __init__(self, responder: DingTalkResponder, inbox: Inbox, executor: Executor) -> None:
        super().__init__()
        self.responder, self.inbox, self.executor = responder, inbox, executor

    async def process(self, callback: dingtalk_stream.CallbackMessage):
        try:
            message = parse_message(callback.data)
        except ValueError as malformed:
            log.warning("malformed Stream message: %s", malformed)
            return dingtalk_stream.AckMessage.STATUS_BAD_REQUEST, "malformed"
        try:
            row_id = self.inbox.accept(message)   # stored before the ack: DingTalk does not resend an acked message
        except InboxUnavailable:
            log.error("Stream message %s could not be stored; not acknowledging it", message.msg_id)
            return dingtalk_stream.AckMessage.STATUS_SYSTEM_EXCEPTION, "busy"
        if row_id is not None:
            self.inbox.submit(self.executor, row_id, self.responder.deliver)
        return dingtalk_stream.AckMessage.STATUS_OK, "OK"


class StatusCardHandler(dingtalk_stream.CallbackHandler):
    """A tap on a reminder's status card: recorded on a worker thread, answered in the ack (what the tapper sees)."""

    def __init__(self, taps: StatusCardTaps, executor: Executor) -> None:
        super().__init__()
        self.taps, self.executor = taps, executor

    async def process(self, callback: dingtalk_stream.CallbackMessage):
        try:
            tap = parse_tap(callback.data, callback.headers.message_id or "")
        except (ValueError, AttributeError) as malformed:
            log.warning("not a status-card tap: %s", malformed)
            return dingtalk_stream.AckMessage.STATUS_OK, {}
        try:
            answer = await asyncio.get_running_loop().run_in_executor(self.executor, self.taps.tap, tap, datetime.now(timezone.utc))
        except Exception:   # not acknowledged: DingTalk may deliver the tap again
            log.exception("status-card tap %s failed", tap.event_id)
            return dingtalk_stream.AckMessage.STATUS_SYSTEM_EXCEPTION, {}
        return dingtalk_stream.AckMessage.STATUS_OK, answer


class SchoolStreamClient(dingtalk_stream.DingTalkStreamClient):
    """The SDK's client, reporting the local address it uses to reach the configured DingTalk endpoint."""

    def __init__(self, config: DingTalkSettings) -> None:
        super().__init__(dingtalk_stream.Credential(config.app_key, config.app_secret), logger=log)
        self._endpoint = urlsplit(config.api_base)

    def get_host_ip(self) -> str:
        port = self._endpoint.port or (443 if self._endpoint.scheme == "https" else 80)
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect((self._endpoint.hostname, port))  # UDP connect sends nothing
                return probe.getsockname()[0]
        except OSError:
            return ""


def stream_client(config: DingTalkSettings, responder: DingTalkResponder, inbox: Inbox, executor: Executor,
                  taps: StatusCardTaps | None = None) -> SchoolStreamClient:
    # The SDK reads its endpoint from the environment once, at import, into a class attribute
    # that open_connection() reads by class name; point it at our configured base.
    dingtalk_stream.DingTalkStreamClient.OPEN_CONNECTION_API = config.api_base.rstrip("/") + "/v1.0/gateway/connections/open"
    client = SchoolStreamClient(config)
    client.register_callback_handler(dingtalk_stream.ChatbotMessage.TOPIC, RobotMessageHandler(responder, inbox, executor))
    if taps is not None and config.status_card_template_id:
        client.register_callback_handler(CARD_TOPIC, StatusCardHandler(taps, executor))
    return client
