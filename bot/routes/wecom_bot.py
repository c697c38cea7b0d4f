"""GET/POST /wecom/bot/callback: the WeCom AI bot (智能机器人) in webhook (API) mode.

verify freshness and signature → decrypt (receive id "") → parse → store → empty 200 at once → answer
on a worker → POST the markdown to the message's response_url. The crypto is the app's (加解密方案,
developer.work.weixin.qq.com/document/path/101033), the envelope JSON {"encrypt": …}.

Why response_url and not a passive (encrypted stream) reply: the answer then takes one path whether it
is ready in 50 ms, in 10 s, or after a restart (the URL is good for an hour), the message is stored
before WeCom hears anything (as every other platform's), and no stream-refresh callbacks have to be
followed. The cost: a response_url is used once, so a teacher who got 出错了 hears nothing more of a retry.
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor
from urllib.parse import urlsplit

import requests
from flask import Blueprint, Response, request

from bot.config import WeComBotSettings
from bot.inbox import Deliver, Inbox, NotDeliverableHere
from bot.messages import IncomingMessage, Reply
from bot.platforms.wecom import check_fresh
from bot.platforms.wecom_bot import AibotFrame, ResponseUrl, markdown_body, parse_message
from bot.platforms.wecom_crypto import WeComCrypto, WeComCryptoError
from storage.inbox import InboxUnavailable

log = logging.getLogger(__name__)
RECEIVE_ID = ""   # an enterprise's own AI bot: "企业内部智能机器人场景中，ReceiveId为\"\""


class ResponseUrlResponder:
    """Answer one AI-bot message through its response_url. A refusal is logged, not raised (the URL is one-use);
    WeCom out of reach is raised, so the inbox tries again."""

    def __init__(self, config: WeComBotSettings, http: requests.Session) -> None:
        self.config, self.http = config, http

    def deliver(self, message: IncomingMessage, reply: Reply) -> None:
        target = message.reply_target
        if not isinstance(target, ResponseUrl) or not target.trusted(self.config.response_url_base):
            log.warning("not replying to WeCom bot message %s: no response_url on %s", message.msg_id, self.config.response_url_base)
            return
        body = markdown_body(reply, message.sender_id if message.is_group else "")
        try:
            # No redirects: the trusted host must not send the answer (and its URL) anywhere else.
            response = self.http.post(target.url, json=body, timeout=10, allow_redirects=False)
            result = response.json() if response.ok else {}
            if not response.ok or result.get("errcode", 0) != 0:
                log.warning("WeCom bot reply to %s failed: HTTP %s errcode %s", urlsplit(target.url).netloc,
                            response.status_code, result.get("errcode"))
        except requests.ConnectionError as unreached:
            # WeCom was not reached, so the one-use URL is still unused: raised, the message stays queued
            # and the inbox tries again (a second POST after all is refused by WeCom, never shown twice).
            log.warning("WeCom bot reply for message %s: %s; it will be tried again", message.msg_id, type(unreached).__name__)
            raise
        except (requests.RequestException, ValueError, AttributeError) as failed:
            log.warning("WeCom bot reply for message %s not delivered: %s", message.msg_id, type(failed).__name__)


class WeComLateDelivery:
    """WeCom's late path, for messages resumed after a restart: the app's message API for the app's messages,
    the AI bot's own way for the bot's (by reply target type; the long connection adds AibotFrame where this
    process holds it). A message whose path runs elsewhere is left for that process (`reaches`)."""

    def __init__(self, app_late: Deliver) -> None:
        self.app_late = app_late
        self.bot: dict[type, Deliver] = {}

    def reaches(self, message: IncomingMessage) -> bool:
        target = message.reply_target
        return not isinstance(target, (ResponseUrl, AibotFrame)) or type(target) in self.bot

    def __call__(self, message: IncomingMessage, reply: Reply) -> None:
        target = message.reply_target
        if not isinstance(target, (ResponseUrl, AibotFrame)):
            return self.app_late(message, reply)
        deliver = self.bot.get(type(target))
        if deliver is None:   # raised, so the inbox keeps the message queued for the process that holds the path
            raise NotDeliverableHere(f"the WeCom bot's {type(target).__name__} path does not run in this process")
        return deliver(message, reply)


def wecom_bot_blueprint(config: WeComBotSettings, inbox: Inbox, executor: Executor, deliver: Deliver,
                        mark_admin: Callable[[IncomingMessage], IncomingMessage] = lambda message: message) -> Blueprint:
    """mark_admin: the WeCom app's admin list (bot.platforms.wecom_api.WeComAdmins.mark), when its secret is set."""
    blueprint = Blueprint("wecom_bot", __name__)
    crypto = WeComCrypto(config.token, config.encoding_aes_key, RECEIVE_ID)

    def opened(encrypted: str) -> str:
        """Fresh, signed with our token, and encrypted with our key: the plaintext. WeComCryptoError otherwise."""
        args = request.args
        try:
            check_fresh(args.get("timestamp", ""), int(time.time()))
        except ValueError as stale:
            raise WeComCryptoError(str(stale)) from stale
        return crypto.open(args.get("msg_signature", ""), args.get("timestamp", ""), args.get("nonce", ""), encrypted)

    @blueprint.get("/wecom/bot/callback")
    def verify_url():
        try:
            return Response(opened(request.args.get("echostr", "")), mimetype="text/plain")
        except WeComCryptoError as refused:
            log.warning("refused a WeCom bot URL check: %s", refused)
            return Response("forbidden", status=403)

    @blueprint.post("/wecom/bot/callback")
    def callback():
        try:
            body = json.loads(opened(_encrypted(request.get_data())))
            message = parse_message(body, ResponseUrl(_string(body, "response_url")))
        except WeComCryptoError as refused:
            log.warning("refused a WeCom bot callback: %s", refused)
            return Response("forbidden", status=403)
        except (ValueError, RecursionError) as malformed:
            log.warning("malformed WeCom bot callback: %s", type(malformed).__name__)
            return Response("bad request", status=400)
        if message is None:
            return Response("", status=200)   # pictures, files, events: nothing to answer
        try:
            row_id = inbox.accept(mark_admin(message))   # stored before WeCom hears anything
        except InboxUnavailable:
            log.error("WeCom bot message %s could not be stored; asking for a resend", message.msg_id)
            return Response("busy", status=503)
        if row_id is not None:
            inbox.submit(executor, row_id, deliver)
        return Response("", status=200)

    return blueprint


def _encrypted(body: bytes) -> str:
    """The envelope's "encrypt"; ValueError for anything else (not JSON, not an object, no string there)."""
    encrypted = _string(json.loads(body.decode("utf-8")), "encrypt")
    if not encrypted:
        raise ValueError("no encrypt field")
    return encrypted


def _string(body: object, key: str) -> str:
    value = body.get(key) if isinstance(body, dict) else None
    return value if isinstance(value, str) else ""
