"""Durable inbound messages: stored before the platform is told 200, worked from the database.

An adapter calls `accept` before acknowledging a message, then `run` on a worker
thread: answer, hand the reply to the platform's `deliver`, mark it handled. The row is
stored already claimed by its receiver (one write per message fewer), and the message is
kept in memory for the worker. A claim is trusted for half a lease, then renewed: before the answer
(a message long in the queue) and before it is sent (an answer that took long); if another process
has taken the message over meanwhile, this one sends nothing. Finishing is a group commit.
A process killed at any instant leaves rows whose claims run out within a lease; `resume` (at
start, then every half lease) claims and finishes them, delivering through the platform's late path.
A redelivered message already handled is dropped; one still queued is not worked twice.
An answer that fails is put back and tried again by `resume`, at most storage.inbox.MAX_ATTEMPTS
times; when the dispatcher's error handler owes the teacher an apology, the first failure sends it.
A message whose reply path runs in another process (the WeCom bot's long connection) is neither
answered nor counted here: resume passes it over, and the process holding the path finishes it.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import asdict, replace
from datetime import datetime, timedelta, timezone

from bot.dispatch import StepFailed
from bot.messages import IncomingMessage, Reply
from bot.platforms.dingtalk import SessionWebhook
from bot.platforms.wecom_bot import AibotFrame, ResponseUrl
from storage import inbox
from storage.db import Database

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)       # work on one message that takes longer than this is presumed dead
RESUME_WINDOW = timedelta(hours=6)  # older messages are stale: the teacher has moved on
Deliver = Callable[[IncomingMessage, Reply], None]


class NotDeliverableHere(RuntimeError):
    """Raised by a late path whose way back runs in another process: the message stays queued for that one."""


def delivers_here(deliver: Deliver | None, message: IncomingMessage) -> bool:
    """Whether `deliver` can answer the message in this process: a late path may say it cannot by a `reaches`
    method (bot.routes.wecom_bot.WeComLateDelivery, for a long-connection message held elsewhere)."""
    reaches = getattr(deliver, "reaches", None)
    return reaches is None or bool(reaches(message))


def encode(message: IncomingMessage) -> str:
    data = asdict(replace(message, reply_target=None))
    data["sent_at"] = message.sent_at.isoformat()
    target = message.reply_target
    if isinstance(target, SessionWebhook):
        data["reply_target"] = {"session_webhook": target.url, "expires_ms": target.expires_ms}
    elif isinstance(target, ResponseUrl):
        data["reply_target"] = {"response_url": target.url}
    elif isinstance(target, AibotFrame):
        data["reply_target"] = {"aibot_req_id": target.req_id}
    return json.dumps(data, ensure_ascii=False)


def decode(payload: str) -> IncomingMessage:
    data = json.loads(payload)
    target = data.pop("reply_target", None)
    data["sent_at"] = datetime.fromisoformat(data["sent_at"])
    for listed in ("mentioned_user_ids",):
        data[listed] = tuple(data.get(listed) or ())
    return IncomingMessage(**data, reply_target=_reply_target(target or {}))


def _reply_target(target: dict) -> SessionWebhook | ResponseUrl | AibotFrame | None:
    """Where a stored message is answered: a DingTalk sessionWebhook, or a WeCom AI bot's response_url or frame."""
    if "session_webhook" in target:
        return SessionWebhook(target["session_webhook"], target["expires_ms"])
    if "response_url" in target:
        return ResponseUrl(target["response_url"])
    if "aibot_req_id" in target:
        return AibotFrame(target["aibot_req_id"])
    return None


class _Batch:
    def __init__(self) -> None:
        self.items: list[int] = []
        self.written = False
        self.error: BaseException | None = None


class GroupCommit:
    """Group commit: items that arrive while a write runs gather in the next batch, which one of their callers
    writes, in one transaction, once that write is over. Each caller returns when its own batch is written (or
    raises that batch's error), so nothing is deferred: under load there are fewer write transactions."""

    def __init__(self, write: Callable[[list[int]], None]) -> None:
        self._write = write
        self._changed = threading.Condition()
        self._gathering = _Batch()
        self._writing = False

    def commit(self, item: int) -> None:
        with self._changed:
            batch = self._gathering
            batch.items.append(item)
            while self._writing and not batch.written:
                self._changed.wait()
            leading = not batch.written   # nothing is being written and this batch is not: this caller writes it
            if leading:
                self._gathering, self._writing = _Batch(), True
        if leading:
            try:
                self._write(batch.items)
            except BaseException as failed:
                batch.error = failed
                raise
            finally:
                with self._changed:
                    batch.written, self._writing = True, False
                    self._changed.notify_all()
        elif batch.error is not None:   # each caller its own error: one exception raised in many threads would tangle
            raise NotFinished(f"the batch of {len(batch.items)} was not written") from batch.error


class NotFinished(RuntimeError):
    """Another caller's write of this caller's batch failed."""


class Inbox:
    def __init__(self, database: Database, answer: Callable[[IncomingMessage], Reply | None], lease: timedelta = LEASE) -> None:
        self.database, self.answer, self.lease = database, answer, lease
        self.late_delivery: dict[str, Deliver] = {}   # platform → how to answer a message resumed after a restart
        self._queued: set[int] = set()                # rows this process has queued, so resume does not queue them twice
        self._held: dict[int, tuple[IncomingMessage, float]] = {}   # claimed at accept: the message, and when (monotonic)
        self._lock = threading.Lock()
        self._finishing = GroupCommit(lambda row_ids: inbox.finish(database, row_ids))

    def submit(self, executor: Executor, row_id: int, deliver: Deliver) -> None:
        with self._lock:
            if row_id in self._queued:
                return
            self._queued.add(row_id)
        executor.submit(self._run_queued, row_id, deliver)

    def _run_queued(self, row_id: int, deliver: Deliver) -> None:
        try:
            self.run(row_id, deliver)
        finally:
            with self._lock:
                self._queued.discard(row_id)

    def accept(self, message: IncomingMessage) -> int | None:
        """Store the message; its row id to work on, or None for a redelivery of a handled one.
        Raises storage.inbox.InboxUnavailable when it cannot be stored: answer the platform 503."""
        message = message.cleaned()
        claimed = time.monotonic()   # before the INSERT, which may wait for SQLite's lock: the claim's age is never underrated
        received = inbox.receive(self.database, message.platform, message.msg_id, encode(message))
        if received.handled:
            log.info("dropping redelivered %s message %s", message.platform, message.msg_id)
            return None
        if received.fresh:
            with self._lock:
                self._held[received.id] = (message, claimed)
        return received.id

    def _claimed(self, row_id: int) -> tuple[IncomingMessage, float, int] | None:
        """The message if this worker holds it now (claimed at accept, or claimed from the database), with when the
        claim was made or renewed (monotonic) and which attempt it is."""
        with self._lock:
            held = self._held.pop(row_id, None)
        if held is not None:
            message, claimed = held
            renewed = self._renewed(row_id, claimed, 1)
            return (message, renewed, 1) if renewed is not None else None
        claimed = time.monotonic()   # before the UPDATE: the claim's age is never underrated
        claim = inbox.claim(self.database, row_id, self.lease)
        return (decode(claim.payload), claimed, claim.attempt) if claim is not None else None

    def _renewed(self, row_id: int, claimed: float, attempt: int) -> float | None:
        """When the claim was made or renewed, if it is still this worker's; None if another has taken it. Other
        processes take a message over once its lease has run out, so a claim is trusted for half a lease, then renewed."""
        if time.monotonic() - claimed < self.lease.total_seconds() / 2:
            return claimed
        renewing = time.monotonic()
        return renewing if inbox.renew(self.database, row_id, attempt) else None

    def compute(self, row_id: int, deliver: Deliver | None = None) -> tuple[IncomingMessage, Reply | None] | None:
        """Claim and answer; None when another worker holds the message, it is handled, or given up, or when the
        answer took so long that another took the message over meanwhile (that one sends its answer).
        A failed answer goes back to the queue (storage.inbox.release) and is raised again."""
        claimed = self._claimed(row_id)
        if claimed is None:
            return None
        message, since, attempt = claimed
        if not delivers_here(deliver, message):   # not answered here: its effects and its answer belong to one process
            inbox.unclaim(self.database, row_id)
            log.info("inbound message %s is left for the process that holds its reply path", row_id)
            return None
        try:
            reply = self.answer(message)
        except Exception as error:
            attempt = inbox.release(self.database, row_id)
            if attempt >= inbox.MAX_ATTEMPTS:
                log.error("inbound message %s failed %d times; given up", row_id, attempt)
            if isinstance(error, StepFailed):
                self.apologise(row_id, message, error.apology, attempt, deliver)
            raise
        if self._renewed(row_id, since, attempt) is None:   # a long answer (a write waiting for SQLite's lock, say)
            log.warning("inbound message %s was taken over while it was answered; its answer is not sent", row_id)
            return None
        return message, reply   # what follows (send, finish) is quick: the claim needs no more checks

    def apologise(self, row_id: int, message: IncomingMessage, apology: Reply, attempt: int, deliver: Deliver | None) -> None:
        """出错了，请稍后再试, on the first attempt only. Retries come half a lease apart: one apology
        per retry would be five in a few minutes, and a retry that succeeds still brings the answer,
        so the teacher hears once that it went wrong, then the answer or nothing more. (A first
        attempt killed with its process counts as the first: the teacher then hears no apology.)"""
        deliver = deliver or self.late_delivery.get(message.platform)
        if attempt != 1 or deliver is None:
            return
        try:
            deliver(message, apology)
        except Exception as failed:
            log.warning("apologising for inbound message %s failed: %s", row_id, type(failed).__name__)

    def finish(self, row_id: int) -> None:
        """Marked handled when this returns; the rows other threads finish meanwhile go in the same transaction."""
        self._finishing.commit(row_id)

    def run(self, row_id: int, deliver: Deliver) -> None:
        """Worker-thread entry: never raises, so one bad message cannot take the worker down."""
        try:
            done = self.compute(row_id, deliver)
            if done is None:
                return
            message, reply = done
            if reply is not None:
                deliver(message, reply)
            self.finish(row_id)
        except StepFailed as failed:   # the dispatcher has logged it, with its traceback
            log.warning("inbound message %s: step %s failed; it stays queued", row_id, failed.step)
        except NotDeliverableHere as elsewhere:   # answered, but its way back runs in another process
            log.warning("inbound message %s: %s; it stays queued", row_id, elsewhere)
        except Exception:
            log.exception("working inbound message %s failed; it stays queued", row_id)

    def resume(self, executor: Executor) -> int:
        """Queue every message a killed process left unfinished, or a failed answer put back; returns how many."""
        since = datetime.now(timezone.utc).replace(tzinfo=None) - RESUME_WINDOW
        with self._lock:
            waiting = [(row_id, platform) for row_id, platform, payload
                       in inbox.unfinished(self.database, self.lease, since)
                       if row_id not in self._queued and platform in self.late_delivery
                       and delivers_here(self.late_delivery[platform], decode(payload))]
        for row_id, platform in waiting:
            self.submit(executor, row_id, self.late_delivery[platform])
        if waiting:
            log.info("resuming %d inbound messages left unfinished", len(waiting))
        return len(waiting)

    def keep_resuming(self, executor: Executor, stop: threading.Event) -> threading.Thread:
        """Resume now and then every half lease, on a daemon thread: work that died is picked up again."""
        def loop() -> None:
            while not stop.is_set():
                try:
                    self.resume(executor)
                except Exception:
                    log.exception("resuming inbound messages failed")
                stop.wait(self.lease.total_seconds() / 2)
        thread = threading.Thread(target=loop, name="inbox-resume", daemon=True)
        thread.start()
        return thread
