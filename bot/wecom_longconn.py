"""WeCom 智能机器人 long connection: the bot dials out to WeCom over a websocket, so a school needs no public address.

WeCom keeps one connection per bot (a new one ends the old), so exactly one process holds it: the one
holding the database lease LEASE, taken and renewed as the scheduler's is. The holder runs the SDK's
connection (subscribe, heartbeat, acknowledged replies) on a thread and event loop of its own, connects
only while it holds the lease, dials again with backoff after a drop, and after a kick (WeCom's
disconnected_event, or a clean close) asks the lease whether to. Text is stored (bot.inbox), answered
on the reply workers and sent back as a reply to that message; a reminder, or an answer resumed after
a restart, goes to the chat with aibot_send_msg. (developer.work.weixin.qq.com/document/path/101463)
"""
from __future__ import annotations

import asyncio
import logging
import ssl
import threading
import time
import warnings
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from datetime import datetime, timezone
from urllib.parse import urlsplit

import certifi
import websockets
from sqlalchemy.exc import SQLAlchemyError

from bot.config import WeComBotSettings
from bot.inbox import Inbox
from bot.messages import IncomingMessage, Reply
from bot.platforms.wecom_bot import AibotFrame, parse_message, send_body, stream_body
from bot.reminders.runner import HOLDER
from storage import deliveries
from storage.db import Database
from storage.inbox import InboxUnavailable

with warnings.catch_warnings():   # the SDK imports a websockets name deprecated since websockets 14; it works
    warnings.simplefilter("ignore", DeprecationWarning)
    from aibot import WsCmd, WsConnectionManager, generate_req_id

log = logging.getLogger(__name__)
LEASE = "wecom_bot_ws"
LEASE_S = 30                  # a killed holder's lease lapses within half a minute
RENEW_S = 10
HEARTBEAT_S = 30              # the SDK's interval; WeCom ends a connection silent for longer
BACKOFF_S = (1, 2, 4, 8, 15, 30)
SUBSCRIBE_WAIT_S = 10
SEND_WAIT_S = 10              # the SDK waits 5 s for WeCom's acknowledgement
KICKED = "disconnected_event"


class WeComBotOffline(ConnectionError):
    """No live connection in this process: the message stays queued and is tried again."""


class AibotConnection(WsConnectionManager):
    """The SDK's connection with two changes: TLS only for wss:// (the SDK passes its TLS context for any
    address, which websockets refuses for the ws:// of a local test server), and no dialling again of its
    own: the holder does, while it holds the lease."""

    def __init__(self, config: WeComBotSettings, heartbeat_s: float) -> None:
        super().__init__(SdkLog(), heartbeat_interval=int(heartbeat_s * 1000), max_reconnect_attempts=0, ws_url=config.ws_url)
        self.set_credentials(config.bot_id, config.secret)
        self.receiving: asyncio.Future | None = None
        self.kicked = False

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


class WeComBotHolder:
    """Holds the lease and, while it does, the connection; answers its messages, sends to its chats."""

    def __init__(self, config: WeComBotSettings, database: Database, inbox: Inbox, executor: Executor, holder: str, *,
                 lease_s: float = LEASE_S, renew_s: float = RENEW_S, heartbeat_s: float = HEARTBEAT_S,
                 backoff_s: tuple[float, ...] = BACKOFF_S) -> None:
        self.config, self.database, self.inbox, self.executor, self.holder = config, database, inbox, executor, holder
        self.lease_s, self.renew_s, self.heartbeat_s, self.backoff_s = lease_s, renew_s, heartbeat_s, backoff_s
        self.connection: AibotConnection | None = None   # set while subscribed
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Future | None = None
        self._thread: threading.Thread | None = None
        self._stop_asked = threading.Event()
        self._held_until = 0.0
        self._holding: bool | None = None   # as the lease last said, to log each change once

    # --- the thread and its loop

    def start(self) -> WeComBotHolder:
        self._thread = threading.Thread(target=asyncio.run, args=(self._hold(),), name="wecom-bot", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10) -> None:
        """Close the connection and give the lease up, so another process takes over at once."""
        self._stop_asked.set()
        loop, stopping = self._loop, self._stopping
        if loop is not None and stopping is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(lambda: stopping.done() or stopping.set_result(None))
            except RuntimeError:   # it closed in between: stopped already
                pass
        if self._thread is not None:
            self._thread.join(timeout)

    async def _hold(self) -> None:
        self._stopping = asyncio.get_running_loop().create_future()
        self._loop = asyncio.get_running_loop()
        if self._stop_asked.is_set():   # stop() came before the loop ran
            self._stopping.set_result(None)
        failures = 0
        try:
            while not self._stopping.done():
                if not await self._renew():
                    await self._pause(self.renew_s)
                    continue
                if failures and (await self._pause(self.backoff_s[min(failures, len(self.backoff_s)) - 1]) or not await self._renew()):
                    continue
                failures = await self._session(failures)
        finally:
            await asyncio.get_running_loop().run_in_executor(None, self._release)

    async def _pause(self, seconds: float) -> bool:
        """Wait, or less if stopped; whether stopped."""
        await asyncio.wait({self._stopping}, timeout=seconds)
        return self._stopping.done()

    # --- the lease

    async def _renew(self) -> bool:
        return await asyncio.get_running_loop().run_in_executor(None, self._take_lease)

    def _take_lease(self) -> bool:
        try:
            held = deliveries.take_lease(self.database, LEASE, self.holder, datetime.now(timezone.utc), self.lease_s)
        except SQLAlchemyError as failed:   # the connection lives on while the lease last taken does
            log.warning("renewing the WeCom bot lease failed: %s", type(failed).__name__)
            return time.monotonic() < self._held_until
        self._held_until = time.monotonic() + self.lease_s - self.renew_s if held else 0.0
        if held != self._holding:
            self._holding = held
            log.info("%s holds the WeCom bot connection" if held else
                     "%s stands by: another process holds the WeCom bot connection", self.holder)
        return held

    def _release(self) -> None:
        """Held until a moment already past: the next holder takes it at once (nothing if another holds it)."""
        try:
            deliveries.take_lease(self.database, LEASE, self.holder, datetime.now(timezone.utc), -self.lease_s)
        except SQLAlchemyError as failed:
            log.warning("giving the WeCom bot lease up failed: %s; it lapses in %d s", type(failed).__name__, self.lease_s)

    # --- one connection

    async def _session(self, failures: int) -> int:
        """Dial, subscribe and serve until the connection ends; the failures to count before dialling again."""
        connection = AibotConnection(self.config, self.heartbeat_s)
        answer = asyncio.get_running_loop().create_future()   # the subscription's: None, or the error

        def subscribed() -> None:   # before the next frame is read: a message after it can be answered
            self.connection = connection
            answer.done() or answer.set_result(None)

        connection.on_authenticated = subscribed
        connection.on_error = lambda error: answer.done() or answer.set_result(error)
        connection.on_message = lambda frame: self._on_frame(connection, frame)
        try:
            await asyncio.wait_for(connection.connect(), SUBSCRIBE_WAIT_S)
            if not await self._subscribed(connection, answer):
                return failures + 1
            log.info("WeCom bot %s connected", self.config.bot_id)
            ended = await self._serve(connection)
            if ended != "stopped":
                log.warning("WeCom bot connection %s", ended)
            return failures + 1 if connection.kicked else 1
        except (OSError, asyncio.TimeoutError, websockets.InvalidURI, websockets.InvalidHandshake) as failed:
            log.warning("cannot reach WeCom at %s: %s", self.config.ws_url, failed)
            return failures + 1
        finally:
            self.connection = None
            await connection.close()

    async def _subscribed(self, connection: AibotConnection, answer: asyncio.Future) -> bool:
        await asyncio.wait({answer, connection.receiving, self._stopping}, timeout=SUBSCRIBE_WAIT_S,
                           return_when=asyncio.FIRST_COMPLETED)
        connection.on_error = None   # later errors: the SDK has logged them, and the connection's end tells the rest
        if answer.done() and answer.result() is None:
            return True
        if not self._stopping.done():
            why = answer.result() if answer.done() else "closed" if connection.receiving.done() else "no answer"
            log.error("WeCom refused bot %s: %s (check wecom_bot.bot_id and wecom_bot.secret)", self.config.bot_id, why)
        return False

    async def _serve(self, connection: AibotConnection) -> str:
        """Until the connection closes, the lease is lost or the holder stops; which of them."""
        while True:
            await asyncio.wait({connection.receiving, self._stopping}, timeout=self.renew_s,
                               return_when=asyncio.FIRST_COMPLETED)
            if self._stopping.done():
                return "stopped"
            if connection.receiving.done():
                return "taken over by another (disconnected_event)" if connection.kicked else "closed"
            if not await self._renew():
                return "given up: another process holds the lease"

    def _on_frame(self, connection: AibotConnection, frame: dict) -> None:
        """On the loop: a message is stored and queued on a thread (the database may be slow), an event noted."""
        body = frame.get("body") if isinstance(frame.get("body"), dict) else {}
        if frame.get("cmd") == WsCmd.CALLBACK:
            req_id = (frame.get("headers") or {}).get("req_id", "")
            asyncio.get_running_loop().run_in_executor(None, self._accept, body, req_id)
        elif frame.get("cmd") == WsCmd.EVENT_CALLBACK and (body.get("event") or {}).get("eventtype") == KICKED:
            connection.kicked = True

    def _accept(self, body: dict, req_id: str) -> None:
        try:
            message = parse_message(body, AibotFrame(req_id))
            row_id = self.inbox.accept(message) if message is not None else None
        except ValueError as malformed:
            log.warning("malformed WeCom bot message: %s", malformed)
            return
        except InboxUnavailable:
            log.error("WeCom bot message %s could not be stored; it is not answered", body.get("msgid"))
            return
        except Exception:   # on a thread nobody waits for: say so here
            log.exception("taking WeCom bot message %s failed", body.get("msgid"))
            return
        if row_id is not None:
            self.inbox.submit(self.executor, row_id, self.deliver)

    # --- sending, from any thread

    def deliver(self, message: IncomingMessage, reply: Reply) -> None:
        """The answer as a reply to its message; to its chat when that is refused (a req_id of an earlier connection)."""
        body = stream_body(reply, generate_req_id("stream"), message.sender_id if message.is_group else "")
        try:
            self._send(lambda connection: connection.send_reply(message.reply_target.req_id, body, WsCmd.RESPONSE))
        except (RuntimeError, TimeoutError) as refused:   # an error acknowledgement, or none
            log.info("WeCom bot reply to message %s refused (%s); sending it to the chat", message.msg_id, refused)
            self.deliver_late(message, reply)

    def deliver_late(self, message: IncomingMessage, reply: Reply) -> None:
        """inbox.late_delivery's path for a message that came on the long connection: to its chat."""
        self._send(lambda connection: connection.send_reply(generate_req_id(WsCmd.SEND_MSG), send_body(message.chat_id, reply),
                                                            WsCmd.SEND_MSG))

    def send_to_chat(self, chat_id: str, reply: Reply) -> bool:
        """A reminder to a group (chatid) or a person (userid); False when not connected or not accepted."""
        try:
            self._send(lambda connection: connection.send_reply(generate_req_id(WsCmd.SEND_MSG), send_body(chat_id, reply),
                                                                WsCmd.SEND_MSG))
            return True
        except (WeComBotOffline, RuntimeError, TimeoutError) as failed:
            log.warning("WeCom bot message to chat %s not sent: %s", chat_id, failed)
            return False

    def _send(self, sending: Callable[[AibotConnection], Awaitable[dict]]) -> dict:
        connection, loop = self.connection, self._loop
        if connection is None or loop is None or not connection.is_connected:
            raise WeComBotOffline("the WeCom bot is not connected in this process")
        return asyncio.run_coroutine_threadsafe(sending(connection), loop).result(timeout=SEND_WAIT_S)


def connects(config: WeComBotSettings) -> bool:
    """Whether the configuration asks for the long connection (wecom_bot.mode websocket, with a bot id)."""
    return config.mode == "websocket" and bool(config.bot_id)


def start_for(app) -> WeComBotHolder | None:
    """Hold the long connection for this process's app (python -m bot serve, or scheduler), when configured:
    its answers go through the app's inbox and reply workers, its resumed messages through the app's WeCom late path."""
    settings, extensions = app.extensions["schoolbot.settings"], app.extensions
    if not connects(settings.wecom_bot):
        return None
    holder = WeComBotHolder(settings.wecom_bot, extensions["schoolbot.database"], extensions["schoolbot.inbox"],
                            extensions["schoolbot.executor"], settings.scheduler_id or HOLDER)
    extensions["schoolbot.wecom_late"].bot[AibotFrame] = holder.deliver_late
    extensions["schoolbot.wecom_bot"] = holder
    return holder.start()
