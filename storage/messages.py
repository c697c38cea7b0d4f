"""Inbound message ids: platforms retry deliveries, the bot answers each message once."""
from __future__ import annotations

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError

from .db import Database
from .models import InboundMessage, utcnow


def remember_inbound(db: Database, platform: str, msg_id: str) -> bool:
    """True the first time a (platform, msg_id) is seen; False for a redelivery. For callers that
    answer at once (the console, tests); the platforms queue through storage/inbox.py.

    The unique constraint decides, so two workers racing on the same retry agree.
    """
    try:
        with db.engine.begin() as conn:   # one INSERT: no read before the write, so a plain BEGIN will do
            conn.execute(insert(InboundMessage).values(platform=platform, msg_id=msg_id[:200], received_at=utcnow(),
                                                      state="handled", handled_at=utcnow()))
        return True
    except IntegrityError:
        return False


def forget_inbound(db: Database, platform: str, msg_id: str) -> None:
    """Undo `remember_inbound` for a message whose answer failed: a resend of it is answered, not dropped.
    Only a row it wrote (handled, never claimed): a queued message is the inbox's to keep."""
    with db.engine.begin() as conn:
        conn.execute(delete(InboundMessage).where(
            InboundMessage.platform == platform, InboundMessage.msg_id == msg_id[:200],
            InboundMessage.state == "handled", InboundMessage.attempts == 0))
