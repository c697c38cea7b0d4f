"""GET/POST /wecom/callback: verify and decrypt, answer with an encrypted passive reply
inside WeCom's 5-second limit, or through the message-send API if the answer takes longer."""
from __future__ import annotations

import logging
from dataclasses import replace
import secrets
import time
from concurrent.futures import Executor, Future
from concurrent.futures import TimeoutError as FutureTimeout

import requests
from flask import Blueprint, Response, request

from bot.config import WeComSettings
from bot.dispatch import Dispatcher
from bot.messages import IncomingMessage, Reply
from bot.platforms.wecom import REPLY_BYTES, check_fresh, encrypted_part, envelope, parse_message, plain_text, reply_xml
from bot.platforms.wecom_api import WeComApiError, WeComClient
from bot.platforms.wecom_crypto import WeComCrypto, WeComCryptoError

log = logging.getLogger(__name__)
PASSIVE_WAIT_S = 3.5  # leave WeCom's 5 s for the network


def wecom_blueprint(config: WeComSettings, dispatcher: Dispatcher, executor: Executor, client: WeComClient) -> Blueprint:
    blueprint = Blueprint("wecom", __name__)
    crypto = WeComCrypto(config.token, config.encoding_aes_key, config.corp_id) if config.encoding_aes_key else None

    def opened(encrypted: str) -> str:
        if crypto is None:
            raise WeComCryptoError("WeCom is not configured")
        args = request.args
        check_fresh(args.get("timestamp", ""), int(time.time()))
        return crypto.open(args.get("msg_signature", ""), args.get("timestamp", ""), args.get("nonce", ""), encrypted)

    @blueprint.get("/wecom/callback")
    def verify_url():
        try:
            return Response(opened(request.args.get("echostr", "")), mimetype="text/plain")
        except (WeComCryptoError, ValueError) as refused:
            log.warning("refused a WeCom URL check: %s", refused)
            return Response("forbidden", status=403)

    @blueprint.post("/wecom/callback")
    def callback():
        try:
            message = parse_message(opened(encrypted_part(request.get_data())))
        except WeComCryptoError as refused:
            log.warning("refused a WeCom callback: %s", refused)
            return Response("forbidden", status=403)
        except ValueError as malformed:
            log.warning("malformed or stale WeCom callback: %s", malformed)
            return Response("bad request", status=400)
        if message is None:
            return Response("", status=200)  # events and non-text messages need no answer
        answering = executor.submit(lambda: dispatcher.handle(with_admin_mark(message), REPLY_BYTES))
        try:
            reply = answering.result(timeout=PASSIVE_WAIT_S)
        except FutureTimeout:
            answering.add_done_callback(lambda done: send_later(done, message))
            return Response("", status=200)
        except Exception:
            log.exception("answering WeCom message %s failed", message.msg_id)
            return Response("", status=200)
        if reply is None:
            return Response("", status=200)  # a redelivery: answered already
        timestamp, nonce = str(int(time.time())), secrets.token_hex(8)
        inner = reply_xml(reply, message, config.corp_id, int(timestamp))
        return Response(envelope(crypto, inner, timestamp, nonce), mimetype="application/xml")

    def with_admin_mark(message: IncomingMessage) -> IncomingMessage:
        """WeCom's messages do not say who is an admin: the app's admin list does (cached)."""
        if not config.secret:
            return message
        try:
            admins = client.admin_ids()
        except (WeComApiError, requests.RequestException, ValueError) as failed:
            log.warning("WeCom admin list unavailable: %s", type(failed).__name__)
            return message
        return replace(message, is_admin=True) if message.sender_id in admins else message

    def send_later(done: Future, message: IncomingMessage) -> None:
        try:
            reply: Reply | None = done.result()
            if reply is not None:
                client.send_text(message.sender_id, plain_text(reply.markdown))
        except Exception:
            log.exception("sending the late WeCom answer to message %s failed", message.msg_id)

    return blueprint
