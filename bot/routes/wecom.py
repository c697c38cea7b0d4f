"""GET/POST /wecom/callback: verify and decrypt, answer with an encrypted passive reply
inside WeCom's 5-second limit, or through the message-send API if the answer takes longer.

A tap on one of the app's status cards is the chat message it stands for ("完成 12" from the tapper),
stored and answered like one; its answer replaces the tapper's card (the tap's ResponseCode), or,
when nothing was recorded (not their task), comes as a private text and the card stays as it was."""
from __future__ import annotations

import logging
import secrets
import time
from concurrent.futures import Executor, Future
from concurrent.futures import TimeoutError as FutureTimeout

import requests
from flask import Blueprint, Response, request

from bot.config import WeComSettings
from bot.inbox import Inbox
from bot.messages import IncomingMessage, Reply
from bot.platforms.wecom import (
    AppTap,
    app_status_card,
    check_fresh,
    encrypted_part,
    envelope,
    parse_message,
    parse_tap,
    plain_text,
    reply_xml,
)
from bot.platforms.wecom_api import WeComAdmins, WeComApiError, WeComClient
from bot.platforms.wecom_crypto import WeComCrypto, WeComCryptoError
from storage import status
from storage.inbox import InboxUnavailable

log = logging.getLogger(__name__)
PASSIVE_WAIT_S = 3.5  # leave WeCom's 5 s for the network


def wecom_blueprint(config: WeComSettings, inbox: Inbox, executor: Executor, client: WeComClient) -> Blueprint:
    blueprint = Blueprint("wecom", __name__)
    crypto = WeComCrypto(config.token, config.encoding_aes_key, config.corp_id) if config.encoding_aes_key else None
    admins = WeComAdmins(client, bool(config.secret))

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
            plain = opened(encrypted_part(request.get_data()))
            tap = parse_tap(plain)
            message = tap.message if tap is not None else parse_message(plain)
        except WeComCryptoError as refused:
            log.warning("refused a WeCom callback: %s", refused)
            return Response("forbidden", status=403)
        except ValueError as malformed:
            log.warning("malformed or stale WeCom callback: %s", malformed)
            return Response("bad request", status=400)
        if message is None:
            return Response("", status=200)  # events and non-text messages need no answer
        try:
            row_id = inbox.accept(admins.mark(message))   # stored before WeCom hears anything
        except InboxUnavailable:
            log.error("WeCom message %s could not be stored; WeCom will resend it", message.msg_id)
            return Response("busy", status=503)
        if row_id is None:
            return Response("", status=200)  # a redelivery: answered already
        answering = executor.submit(inbox.compute, row_id)
        if tap is not None:   # answered by the card's update, through the API: no passive reply to wait for
            answering.add_done_callback(lambda future: send_later(future, row_id, tap))
            return Response("", status=200)
        try:
            done = answering.result(timeout=PASSIVE_WAIT_S)
        except FutureTimeout:
            answering.add_done_callback(lambda future: send_later(future, row_id))
            return Response("", status=200)
        except Exception:
            log.exception("answering WeCom message %s failed; it stays queued", message.msg_id)
            return Response("", status=200)
        if done is None:
            return Response("", status=200)  # another worker holds it (a WeCom retry racing the first)
        held, reply = done
        inbox.finish(row_id)
        if reply is None:
            return Response("", status=200)
        timestamp, nonce = str(int(time.time())), secrets.token_hex(8)
        inner = reply_xml(reply, held, config.corp_id, int(timestamp))
        return Response(envelope(crypto, inner, timestamp, nonce), mimetype="application/xml")

    def send_later(future: Future, row_id: int, tap: AppTap | None = None) -> None:
        """The answer took longer than WeCom waits (or answers a tap): send it through the message API, then mark
        it handled."""
        try:
            done = future.result()
            if done is None:
                return
            message, reply = done
            if reply is not None and tap is not None:
                answer_tap(client, tap, reply, status.recorded(inbox.database, message.platform, message.msg_id))
            elif reply is not None:
                send_late(client, message, reply)
            inbox.finish(row_id)
        except Exception:
            log.exception("sending the late WeCom answer to inbound message %s failed; it stays queued", row_id)

    return blueprint


def send_late(client: WeComClient, message: IncomingMessage, reply: Reply) -> None:
    """The late path, also for messages resumed after a restart: WeCom's message/send API."""
    client.send_text(message.sender_id, plain_text(reply.markdown))


def answer_tap(client: WeComClient, tap: AppTap, reply: Reply, recorded: bool) -> None:
    """A recorded tap's answer replaces the tapper's card (buttons kept: a later tap brings a new ResponseCode);
    anything else, or a refused update, is a private text."""
    sender = tap.message.sender_id
    if recorded:
        try:
            client.update_card(tap.response_code, (sender,), app_status_card(reply, tap.number, tap.card_id))
            return
        except (WeComApiError, requests.RequestException, ValueError) as refused:
            log.info("WeCom card update for tap %s refused (%s); answering by text", tap.message.msg_id, type(refused).__name__)
    client.send_text(sender, plain_text(reply.markdown))
