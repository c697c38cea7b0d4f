"""WeCom 智能机器人 long connection: the bot dials out to WeCom over a websocket, so a school needs no public address.

One process holds the connection (bot.wecom_holding: the lease, the thread, dialling again). What it
carries is this module's: a message's text is stored (bot.inbox), its sender marked an admin by the WeCom
app's admin list when the app is configured, answered on the reply workers and sent back as a reply to that
message; an answer resumed after a restart, and a reminder into a group (bot.reminders.sending's
push_to_wecom_chat), go to the chat with aibot_send_msg. (developer.work.weixin.qq.com/document/path/101463)
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from functools import partial

from bot.config import WeComBotSettings
from bot.inbox import Inbox
from bot.messages import IncomingMessage, Reply
from bot.platforms.wecom_bot import AibotFrame, parse_message
from bot.platforms.wecom_cards import Tap, parse_tap, status_card, update_body
from bot.reminders.runner import HOLDER
from bot.wecom_holding import LEASE, LeasedConnection, WeComBotOffline
from storage import status
from storage.db import Database
from storage.inbox import InboxUnavailable

__all__ = ["LEASE", "WeComBotHolder", "WeComBotOffline", "start_for"]
log = logging.getLogger(__name__)
MarkAdmin = Callable[[IncomingMessage], IncomingMessage]


class WeComBotHolder(LeasedConnection):
    """Holds the lease and, while it does, the connection; answers its messages, sends to its chats."""

    def __init__(self, config: WeComBotSettings, database: Database, inbox: Inbox, executor: Executor, holder: str, *,
                 mark_admin: MarkAdmin = lambda message: message, **timing: float | tuple[float, ...]) -> None:
        super().__init__(config, database, holder, **timing)
        self.inbox, self.executor, self.mark_admin = inbox, executor, mark_admin

    def on_message(self, body: dict, req_id: str) -> None:
        """On the loop: stored and queued on a thread (the database, or the admin list, may be slow)."""
        asyncio.get_running_loop().run_in_executor(None, self._accept, body, req_id)

    def _accept(self, body: dict, req_id: str) -> None:
        tap = parse_tap(body)
        deliver = self.deliver if tap is None else partial(self.answer_tap, tap)
        try:
            message = parse_message(body, AibotFrame(req_id)) if tap is None else tap.as_message(req_id)
            row_id = self.inbox.accept(self.mark_admin(message)) if message is not None else None
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
            self.inbox.submit(self.executor, row_id, deliver)

    # --- sending, from any thread

    def deliver(self, message: IncomingMessage, reply: Reply) -> None:
        """The answer as a reply to its message; to its chat when that is refused (a req_id of an earlier connection)."""
        sender = message.sender_id if message.is_group else ""
        try:
            self._send(lambda connection: connection.respond(message.reply_target.req_id, reply, sender))
        except (RuntimeError, TimeoutError) as refused:   # an error acknowledgement, or none
            log.info("WeCom bot reply to message %s refused (%s); sending it to the chat", message.msg_id, refused)
            self.deliver_late(message, reply)

    def answer_tap(self, tap: Tap, message: IncomingMessage, reply: Reply) -> None:
        """A status button's answer, as the card's update: for everyone when the tap was recorded (the new
        tally), else for the tapper only, nothing recorded. A refused update of a recorded tap goes to the chat."""
        recorded = status.recorded(self.database, message.platform, message.msg_id)
        body = update_body(status_card(reply, tap.number, tap.task_id), reply, () if recorded else (tap.sender_id,))
        try:
            self._send(lambda connection: connection.update_card(message.reply_target.req_id, body))
        except (RuntimeError, TimeoutError) as refused:
            log.info("WeCom bot card update for tap %s refused (%s)", message.msg_id, refused)
            if recorded:
                self.deliver_late(message, reply)

    def deliver_late(self, message: IncomingMessage, reply: Reply) -> None:
        """inbox.late_delivery's path for a message that came on the long connection: to its chat."""
        self._send(lambda connection: connection.send_to(message.chat_id, reply))

    def connected(self) -> bool:
        """Whether this process holds the long connection and it is up (reminders to WeCom groups wait otherwise)."""
        connection = self.connection
        return connection is not None and connection.is_connected

    def send_to_chat(self, chat_id: str, reply: Reply) -> bool:
        """A reminder to a group (chatid) or a person (userid); False when not connected or not accepted."""
        try:
            self._send(lambda connection: connection.send_to(chat_id, reply))
            return True
        except Exception as failed:   # the SDK's own errors too (a socket closed mid-send): the row retries
            log.warning("WeCom bot message to chat %s not sent: %s", chat_id, type(failed).__name__)
            return False


def start_for(app) -> WeComBotHolder | None:
    """Hold the long connection for this process's app (python -m bot serve, or scheduler), when configured:
    its answers go through the app's inbox and reply workers, its resumed messages through the app's WeCom late
    path, its senders are marked by the app's WeCom admin list. The caller hands send_to_chat to the scheduler."""
    settings, extensions = app.extensions["schoolbot.settings"], app.extensions
    if not settings.wecom_bot.long_connection:
        return None
    holder = WeComBotHolder(settings.wecom_bot, extensions["schoolbot.database"], extensions["schoolbot.inbox"],
                            extensions["schoolbot.executor"], settings.scheduler_id or HOLDER,
                            mark_admin=extensions["schoolbot.wecom_admins"].mark)
    extensions["schoolbot.wecom_late"].bot[AibotFrame] = holder.deliver_late
    extensions["schoolbot.wecom_bot"] = holder
    return holder.start()
