"""One long connection to WeCom's 智能机器人, through the SDK (aibot): dial, subscribe, tell the frames
apart, and write back: a reply to a message (aibot_respond_msg, a finished stream on the message's
req_id) or a message to a chat (aibot_send_msg, markdown). Who dials, when, and how often is
bot.wecom_holding's to decide. (developer.work.weixin.qq.com/document/path/101463)
"""
from __future__ import annotations

import asyncio
import logging
import ssl
import warnings
from collections.abc import Callable
from urllib.parse import urlsplit

import certifi
import websockets

from bot.config import WeComBotSettings
from bot.messages import Reply
from bot.platforms.wecom_bot import send_body, stream_body
from bot.platforms.wecom_cards import card_body, card_id, status_card

with warnings.catch_warnings():   # the SDK imports a websockets name deprecated since websockets 14; it works
    warnings.simplefilter("ignore", DeprecationWarning)
    from aibot import WsCmd, WsConnectionManager, generate_req_id

log = logging.getLogger(__name__)
SUBSCRIBE_WAIT_S = 10
KICKED = "disconnected_event"
TAPPED = "template_card_event"   # a button on one of the bot's cards
DIAL_ERRORS = (OSError, asyncio.TimeoutError, websockets.InvalidURI, websockets.InvalidHandshake)
OnMessage = Callable[[dict, str], None]   # (the aibot_msg_callback body, its req_id), called on the loop


class AibotConnection(WsConnectionManager):
    """The SDK's connection with two changes: TLS only for wss:// (the SDK passes its TLS context for any
    address, which websockets refuses for the ws:// of a local test server), and no dialling again of its
    own: the holder does, while it holds the lease."""

    def __init__(self, config: WeComBotSettings, heartbeat_s: float, on_message: OnMessage) -> None:
        super().__init__(SdkLog(), heartbeat_interval=int(heartbeat_s * 1000), max_reconnect_attempts=0, ws_url=config.ws_url)
        self.set_credentials(config.bot_id, config.secret)
        self.bot_id = config.bot_id
        self.receiving: asyncio.Future | None = None
        self.kicked = False          # WeCom said another connection took over
        self.on_message = lambda frame: self._sort(frame, on_message)

    async def open(self, stopping: asyncio.Future, on_subscribed: Callable[[], None]) -> bool:
        """Dial and subscribe; whether WeCom accepted (False: refused, no answer, closed, or `stopping` came).
        on_subscribed runs before the next frame is read, so a message after it can be answered.
        Raises DIAL_ERRORS when WeCom cannot be reached."""
        answer = asyncio.get_running_loop().create_future()   # the subscription's: None, or the error

        def subscribed() -> None:
            on_subscribed()
            answer.done() or answer.set_result(None)

        self.on_authenticated = subscribed
        self.on_error = lambda error: answer.done() or answer.set_result(error)
        await asyncio.wait_for(self.connect(), SUBSCRIBE_WAIT_S)
        await asyncio.wait({answer, self.receiving, stopping}, timeout=SUBSCRIBE_WAIT_S, return_when=asyncio.FIRST_COMPLETED)
        self.on_error = None   # later errors: the SDK has logged them, and the connection's end tells the rest
        if answer.done() and answer.result() is None:
            return True
        if not stopping.done():
            why = answer.result() if answer.done() else "closed" if self.receiving.done() else "no answer"
            log.error("WeCom refused bot %s: %s (check wecom_bot.bot_id and wecom_bot.secret)", self.bot_id, why)
        return False

    async def connect(self) -> None:
        """Open and subscribe; raises OSError or websockets' errors when WeCom cannot be reached."""
        self._is_manual_close = False
        tls = ssl.create_default_context(cafile=certifi.where()) if urlsplit(self._ws_url).scheme == "wss" else None
        self._ws = await websockets.connect(self._ws_url, ssl=tls, ping_interval=None, ping_timeout=None, close_timeout=5)
        self._missed_pong_count = 0
        await self._send_auth()
        self._receive_task = self.receiving = asyncio.ensure_future(self._receive_loop())

    async def _schedule_reconnect(self) -> None:
        """Where the SDK would dial again: the holder decides."""

    async def close(self) -> None:
        self.disconnect()          # the SDK's: heartbeat stopped, replies still waiting failed
        await self._cleanup_ws()   # and the socket closed before we go on

    def _sort(self, frame: dict, on_message: OnMessage) -> None:
        """A message, or a tap on a card's button, goes on; a kick is noted; other events need nothing."""
        body = frame.get("body") if isinstance(frame.get("body"), dict) else {}
        event = (body.get("event") if isinstance(body.get("event"), dict) else {}).get("eventtype")
        if frame.get("cmd") == WsCmd.CALLBACK or (frame.get("cmd") == WsCmd.EVENT_CALLBACK and event == TAPPED):
            on_message(body, (frame.get("headers") or {}).get("req_id", ""))
        elif frame.get("cmd") == WsCmd.EVENT_CALLBACK and event == KICKED:
            self.kicked = True

    # --- writing; each waits for WeCom's acknowledgement (RuntimeError for an error one, TimeoutError for none)

    async def respond(self, req_id: str, reply: Reply, sender_id: str = "") -> dict:
        """The answer to the message that came with req_id, @-ing sender_id (in a group)."""
        return await self.send_reply(req_id, stream_body(reply, generate_req_id("stream"), sender_id), WsCmd.RESPONSE)

    async def send_to(self, chat_id: str, reply: Reply) -> dict:
        """A message to a group (its chatid) or a person (userid); a card with status buttons when the reply offers
        them. A card cannot @ anyone, so the people a chase or deadline names are @-ed in a line of their own after
        it (should that line fail, the retry sends the card again: a second card rather than a lost @)."""
        if reply.status_buttons is None:
            return await self._send(send_body(chat_id, reply))
        card = status_card(reply, reply.status_buttons, card_id(reply.status_buttons, generate_req_id("card")))
        sent = await self._send(card_body(chat_id, card))
        if reply.mentions:
            return await self._send(send_body(chat_id, Reply(reply.title, "", mentions=reply.mentions)))
        return sent

    async def _send(self, body: dict) -> dict:
        return await self.send_reply(generate_req_id(WsCmd.SEND_MSG), body, WsCmd.SEND_MSG)

    async def update_card(self, req_id: str, body: dict) -> dict:
        """The card a tap came from, updated (aibot_respond_update_msg on the tap's req_id, within 5 s)."""
        return await self.send_reply(req_id, body, WsCmd.RESPONSE_UPDATE)


class SdkLog:
    """The SDK's logger (debug, info, warn, error) onto logging; its routine steps are our debug."""

    def __init__(self) -> None:
        self.log = logging.getLogger("aibot")

    def debug(self, message: str, *args: object) -> None:
        self.log.debug(message)

    info = debug

    def warn(self, message: str, *args: object) -> None:
        self.log.warning(message)

    def error(self, message: str, *args: object) -> None:
        self.log.error(message)
