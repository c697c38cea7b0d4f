"""From an internal message to a reply, as named steps in one order, with one error handler.

    verify the signature     in the platform adapters (bot/routes, bot/stream), before a message exists
    → STEPS: drop_own_message → drop_redelivery → know_sender → understand → welcome_unlinked_chat → run_handler
    → reply                  by the caller: the inbox through the platform's adapter, the console prints it

Each step takes the turn so far and returns it with what it learned, or a `Done` that ends the
chain (dropped, or answered). A step that raises goes to `Dispatcher.failed`, the error handler:
it logs, and raises StepFailed carrying 出错了，请稍后再试 for the teacher; the message stays
retryable (the inbox puts it back in its queue; `handle` forgets its id so a resend is answered).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot import schools, texts
from bot.config import Settings
from bot.context import DEFAULT_REPLY_BYTES, ChatContext
from bot.messages import IncomingMessage, Reply
from bot.understanding import parse
from handlers import HANDLERS
from storage import chats, people
from storage.db import Database
from storage.messages import forget_inbound, remember_inbound
from storage.school_calendar import school_terms

log = logging.getLogger(__name__)
APOLOGY = Reply(texts.STEP_FAILED_TITLE, texts.STEP_FAILED)


@dataclass(frozen=True)
class Turn:
    """The pipeline's state: the message, and what the steps have learned about it so far."""
    message: IncomingMessage
    reply_bytes: int = DEFAULT_REPLY_BYTES
    queued: bool = False        # the inbox stored it under its platform id, and drops redeliveries itself
    remembered: bool = False    # drop_redelivery recorded its id: to forget should a later step fail
    context: ChatContext | None = None
    intent: Any = None


@dataclass(frozen=True)
class Done:
    """The end of the chain: the reply to send, or None for a message dropped unanswered."""
    reply: Reply | None
    why: str


class StepFailed(Exception):
    """A step raised: the teacher is owed `apology`, and the message another try."""

    def __init__(self, step: str, apology: Reply) -> None:
        super().__init__(f"step {step} failed")
        self.step, self.apology = step, apology


def drop_own_message(bot: Dispatcher, turn: Turn) -> Turn | Done:
    """The bot never answers itself: a message from its own robot is dropped."""
    if turn.message.sender_id in bot.own_ids.get(turn.message.platform, ()):
        return Done(None, "own message")
    return turn


def drop_redelivery(bot: Dispatcher, turn: Turn) -> Turn | Done:
    """Platforms resend; each platform message id is answered once. A queued message was checked
    when the inbox stored it, and a retry of it is no redelivery: only direct callers are checked here."""
    if turn.queued:
        return turn
    message = turn.message
    if not remember_inbound(bot.database, message.platform, message.msg_id):
        log.info("dropping redelivered %s message %s", message.platform, message.msg_id)
        return Done(None, "redelivery")
    return replace(turn, remembered=True)


def know_sender(bot: Dispatcher, turn: Turn) -> Turn:
    """Who writes, from which school: admins from the config and the roster; met from then on."""
    message = turn.message
    if message.sender_id and message.sender_id in bot.settings.admins:
        message = replace(message, is_admin=True)
    school_id = bot.school_of(message)
    sender = bot.meet(message, school_id)
    if sender is not None and sender.is_admin:   # marked 管理员 in the roster
        message = replace(message, is_admin=True)
    today = message.sent_at.astimezone(bot.settings.tz).date()
    terms = school_terms(bot.database, school_id) if school_id is not None else ()
    context = ChatContext(bot.database, school_id, today, terms, turn.reply_bytes, bot.robot_push,
                          sender.member_id if sender else None, bot.settings.tz, bot.settings.wecom_bot.long_connection)
    return replace(turn, message=message, context=context)


def understand(bot: Dispatcher, turn: Turn) -> Turn:
    term = turn.context.term
    intent = parse(turn.message.text, turn.context.today, (term.start, term.end) if term else None)
    return replace(turn, intent=intent)


def welcome_unlinked_chat(bot: Dispatcher, turn: Turn) -> Turn | Done:
    """A chat of no school yet is told how to link one; it may still link, or ask for help."""
    if turn.context.school_id is None and turn.intent.kind not in ("link", "help"):
        return Done(Reply(texts.ONBOARD_TITLE, texts.ONBOARD.format(example=bot.settings.school.name)), "no school")
    return turn


def run_handler(bot: Dispatcher, turn: Turn) -> Done:
    return Done(HANDLERS[turn.intent.kind](turn.intent, turn.message, turn.context), "answered")


Step = Callable[["Dispatcher", Turn], "Turn | Done"]
STEPS: tuple[Step, ...] = (drop_own_message, drop_redelivery, know_sender, understand, welcome_unlinked_chat, run_handler)


class Dispatcher:
    def __init__(self, settings: Settings, database: Database) -> None:
        self.settings = settings
        self.database = database
        self._school_id: int | None = None
        self.robot_push = bool(settings.dingtalk.app_key and settings.dingtalk.app_secret)
        # The bot's own sender ids, per platform. Neither platform is known to call back with the robot's
        # own posts; this guards against one that does. WeCom's app never writes as a user.
        robot = settings.dingtalk.robot_code or settings.dingtalk.app_key
        self.own_ids: dict[str, frozenset[str]] = {"dingtalk": frozenset({robot} - {""})}

    @property
    def school_id(self) -> int:
        """One configured school: every chat belongs to it. Looked up on first use, so the app starts without a database."""
        if self._school_id is None:
            self._school_id = schools.home_school(self.database, self.settings.school)
        return self._school_id

    def handle(self, message: IncomingMessage, reply_bytes: int = DEFAULT_REPLY_BYTES) -> Reply | None:
        """The reply, or None when the message is dropped: for callers that answer at once (the console);
        a failure is answered with the apology. The platforms store the message first and answer through bot/inbox.py."""
        try:
            return self.run(Turn(message.cleaned(), reply_bytes))
        except StepFailed as failed:
            return failed.apology

    def answer(self, message: IncomingMessage, reply_bytes: int = DEFAULT_REPLY_BYTES) -> Reply | None:
        """A message the inbox stored (and so checked for redelivery): the reply, or StepFailed."""
        return self.run(Turn(message, reply_bytes, queued=True))

    def run(self, turn: Turn) -> Reply | None:
        """Every step in order, until one is done; their reads share one session (storage.db.shared_reads)."""
        with self.database.shared_reads():
            return self._steps(turn)

    def _steps(self, turn: Turn) -> Reply | None:
        for step in STEPS:
            try:
                outcome = step(self, turn)
            except Exception as error:
                raise self.failed(step, turn) from error
            if isinstance(outcome, Done):
                return outcome.reply
            turn = outcome
        raise LookupError("no step answered")   # run_handler always does

    def failed(self, step: Step, turn: Turn) -> StepFailed:
        """The error handler: log (ids only, as ever), make the message retryable, owe the teacher an apology."""
        message = turn.message
        log.exception("step %s failed on %s message %s", step.__name__, message.platform, message.msg_id)
        if turn.remembered:   # seen but not answered: a resend of it must not be dropped as a redelivery
            try:
                forget_inbound(self.database, message.platform, message.msg_id)
            except SQLAlchemyError:
                log.warning("could not forget %s message %s; a resend of it will be dropped", message.platform, message.msg_id)
        return StepFailed(step.__name__, APOLOGY)

    def meet(self, message: IncomingMessage, school_id: int | None) -> people.Sender | None:
        """Whoever writes is known from then on, and as a member of the group they wrote in."""
        if school_id is None:
            return None
        return people.meet(self.database, school_id, message.platform, message.sender_id, message.sender_name,
                           message.chat_id if message.is_group else None, message.chat_name)

    def school_of(self, message: IncomingMessage) -> int | None:
        """With one school every chat is its; with several, the one the chat was linked to."""
        default = self.school_id
        # The console runs on the school's own machine: it speaks for the configured school.
        if message.platform == "console" or chats.school_count(self.database) <= 1:
            return default
        return chats.school_of_chat(self.database, message.platform, message.chat_id)
