"""Who holds the WeCom 智能机器人's long connection: WeCom keeps one per bot (a new one ends the old), so
exactly one process does, the one holding the database lease LEASE, taken and renewed as the scheduler's is.

The holder runs the connection (bot.platforms.wecom_connection) on a thread and event loop of its own,
connects only while it holds the lease, dials again with backoff after a drop, and after a kick (WeCom's
disconnected_event, or a clean close) asks the lease whether to. Stopping gives the lease up at once.
What the connection carries is the subclass's (bot.wecom_longconn.WeComBotHolder).
"""
from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone

from sqlalchemy.exc import SQLAlchemyError

from bot.config import WeComBotSettings
from bot.platforms.wecom_connection import DIAL_ERRORS, AibotConnection
from storage import deliveries
from storage.db import Database

log = logging.getLogger(__name__)
LEASE = "wecom_bot_ws"
LEASE_S = 30                  # a killed holder's lease lapses within half a minute
RENEW_S = 10
HEARTBEAT_S = 30              # the SDK's interval; WeCom ends a connection silent for longer
BACKOFF_S = (1, 2, 4, 8, 15, 30)
SEND_WAIT_S = 10              # the SDK waits 5 s for WeCom's acknowledgement


class WeComBotOffline(ConnectionError):
    """No live connection in this process: the message stays queued and is tried again."""


class LeasedConnection:
    """Holds the lease and, while it does, the connection; `_send` writes on it from any thread."""

    def __init__(self, config: WeComBotSettings, database: Database, holder: str, *, lease_s: float = LEASE_S,
                 renew_s: float = RENEW_S, heartbeat_s: float = HEARTBEAT_S, backoff_s: tuple[float, ...] = BACKOFF_S) -> None:
        self.config, self.database, self.holder = config, database, holder
        self.lease_s, self.renew_s, self.heartbeat_s, self.backoff_s = lease_s, renew_s, heartbeat_s, backoff_s
        self.connection: AibotConnection | None = None   # set while subscribed
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Future | None = None
        self._thread: threading.Thread | None = None
        self._stop_asked = threading.Event()
        self._held_until = 0.0
        self._holding: bool | None = None   # as the lease last said, to log each change once

    def on_message(self, body: dict, req_id: str) -> None:
        """An aibot_msg_callback, on the loop: the subclass's."""

    # --- the thread and its loop

    def start(self) -> LeasedConnection:
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
        connection = AibotConnection(self.config, self.heartbeat_s, self.on_message)
        try:
            if not await connection.open(self._stopping, lambda: setattr(self, "connection", connection)):
                return failures + 1
            log.info("WeCom bot %s connected", self.config.bot_id)
            ended = await self._serve(connection)
            if ended != "stopped":
                log.warning("WeCom bot connection %s", ended)
            return failures + 1 if connection.kicked else 1
        except DIAL_ERRORS as failed:
            log.warning("cannot reach WeCom at %s: %s", self.config.ws_url, failed)
            return failures + 1
        except Exception:   # anything else must not end the holder's thread unseen: log it and dial again
            log.exception("WeCom bot connection failed")
            return failures + 1
        finally:
            self.connection = None
            await connection.close()

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

    def _send(self, sending: Callable[[AibotConnection], Awaitable[dict]]) -> dict:
        """Run a write on the loop and wait for its acknowledgement; WeComBotOffline when not connected."""
        connection, loop = self.connection, self._loop
        if connection is None or loop is None or not connection.is_connected:
            raise WeComBotOffline("the WeCom bot is not connected in this process")
        return asyncio.run_coroutine_threadsafe(sending(connection), loop).result(timeout=SEND_WAIT_S)
