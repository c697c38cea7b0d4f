"""The inbound queue: a platform message is a row before it is acknowledged, and stays one until handled.

`receive` stores it (retrying while SQLite is busy, so a long import cannot drop it), already
claimed by its receiver, which is about to work on it: one write where there were two;
`claim` takes it for work with a lease, atomically, so of two workers or a resumed
process only one answers; `renew` keeps a claim whose work was long (in a queue, or answering);
`release` puts failed work back, at most MAX_ATTEMPTS tries in all
(claims of work that died count too); `unclaim` hands back one this process cannot answer, uncounted;
`finish` marks it handled; `unfinished` lists what a killed
process left, for the next one to finish. A redelivery of a handled message is
dropped; a redelivery of one still waiting is left to whoever holds it.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, insert, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from .db import Database
from .models import InboundMessage, utcnow

MAX_ATTEMPTS = 5
STORE_RETRIES = 8          # about 25 s of waiting in all, beyond SQLite's own busy timeout
MSG_ID_CHARS = 200


class InboxUnavailable(RuntimeError):
    """The message could not be stored; the platform should be asked to send it again."""


@dataclass(frozen=True)
class Received:
    id: int
    fresh: bool        # stored now, and claimed by the receiver (its first attempt); False: a redelivery of a message not yet handled
    handled: bool      # a redelivery of a message already handled: nothing to do


# Built once: the statement's compiled form is cached, and no per-message .values() is built.
STORE = insert(InboundMessage)
FINISH = (update(InboundMessage).where(InboundMessage.id.in_(bindparam("row_ids", expanding=True)))
          .values(state="handled", handled_at=bindparam("at"), payload=None))
RENEW = (update(InboundMessage).where(InboundMessage.id == bindparam("row_id"), InboundMessage.state == "working",
                                      InboundMessage.attempts == bindparam("attempt"))
         .values(claimed_at=bindparam("at")))


@dataclass(frozen=True)
class Claim:
    payload: str
    attempt: int       # which attempt this claim is: a later claim by another worker has a higher one


def receive(db: Database, platform: str, msg_id: str, payload: str) -> Received:
    msg_id = msg_id[:MSG_ID_CHARS]
    for attempt in range(STORE_RETRIES):
        try:
            return _receive_once(db, platform, msg_id, payload)
        except OperationalError:
            time.sleep(min(0.25 * 2 ** attempt, 5.0))   # "database is locked": a long write elsewhere
    raise InboxUnavailable(f"could not store {platform} message")


def _receive_once(db: Database, platform: str, msg_id: str, payload: str) -> Received:
    try:
        now = utcnow()
        with db.engine.begin() as conn:
            row_id = conn.execute(STORE, {"platform": platform, "msg_id": msg_id, "received_at": now, "state": "working",
                                          "claimed_at": now, "payload": payload, "attempts": 1}).inserted_primary_key[0]
        return Received(row_id, fresh=True, handled=False)
    except IntegrityError:
        with db.engine.connect() as conn:
            row_id, state = conn.execute(select(InboundMessage.id, InboundMessage.state).where(
                InboundMessage.platform == platform, InboundMessage.msg_id == msg_id)).one()
        return Received(row_id, fresh=False, handled=state in ("handled", "failed"))


def claim(db: Database, row_id: int, lease: timedelta) -> Claim | None:
    """The message's payload and attempt if this caller now holds it; None if it is handled, held by another, or given up:
    work that died MAX_ATTEMPTS times (a reply that never gets through, a message that kills its worker) is not tried again."""
    now = utcnow()
    died = and_(InboundMessage.state == "working", InboundMessage.claimed_at < now - lease)
    with db.engine.begin() as conn:
        conn.execute(update(InboundMessage).where(InboundMessage.id == row_id, died, InboundMessage.attempts >= MAX_ATTEMPTS)
                     .values(state="failed", claimed_at=None))
        claimed = conn.execute(update(InboundMessage).where(
            InboundMessage.id == row_id, or_(InboundMessage.state == "received", died),
        ).values(state="working", claimed_at=now, attempts=InboundMessage.attempts + 1)).rowcount
        if claimed != 1:
            return None
        payload, attempt = conn.execute(select(InboundMessage.payload, InboundMessage.attempts).where(InboundMessage.id == row_id)).one()
        return Claim(payload, attempt)


def renew(db: Database, row_id: int, attempt: int) -> bool:
    """Renew a claim (the receiver's is attempt 1) for a full lease; False if it ran out and another took the message."""
    with db.engine.begin() as conn:
        return conn.execute(RENEW, {"row_id": row_id, "attempt": attempt, "at": utcnow()}).rowcount == 1


def finish(db: Database, row_ids: list[int]) -> None:
    """Handled: their effects are stored and their answers sent. The text is not kept beyond that."""
    with db.engine.begin() as conn:
        conn.execute(FINISH, {"row_ids": row_ids, "at": utcnow()})


def release(db: Database, row_id: int) -> int:
    """The work failed: back to the queue, or given up after MAX_ATTEMPTS. Returns which attempt this was."""
    with db.engine.begin() as conn:
        attempts = conn.execute(select(InboundMessage.attempts).where(InboundMessage.id == row_id)).scalar_one()
        state = "failed" if attempts >= MAX_ATTEMPTS else "received"
        conn.execute(update(InboundMessage).where(InboundMessage.id == row_id).values(state=state, claimed_at=None))
    return attempts


def unclaim(db: Database, row_id: int) -> None:
    """Claimed by a process that cannot answer it (its reply path runs in another): back to the queue, the claim not counted."""
    with db.engine.begin() as conn:
        conn.execute(update(InboundMessage).where(InboundMessage.id == row_id, InboundMessage.state == "working")
                     .values(state="received", claimed_at=None, attempts=InboundMessage.attempts - 1))


def unfinished(db: Database, lease: timedelta, since: datetime) -> list[tuple[int, str, str]]:
    """(id, platform, payload) of messages received after `since` that nobody holds: put back after a failure,
    handed back by a process that cannot answer them, or claimed by work that died (its lease ran out)."""
    now = utcnow()
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(select(InboundMessage.id, InboundMessage.platform, InboundMessage.payload).where(
            InboundMessage.received_at >= since,
            or_(InboundMessage.state == "received",
                and_(InboundMessage.state == "working", InboundMessage.claimed_at < now - lease)),
        ).order_by(InboundMessage.id))]
