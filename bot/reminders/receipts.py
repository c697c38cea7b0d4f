"""Who has read the enterprise robot's reminders: each pass asks DingTalk about the sent rows whose
check is due (an hour after sending, then on the deadline's morning before the chase).

Answers only add readers; a failed ask is tried again with a growing delay, and a row is given up
after a few failures with what it had. Asking is capped per pass so a backlog never stalls sending.
"""
from __future__ import annotations

import logging
from datetime import datetime

import requests

from bot.config import Settings
from bot.platforms.dingtalk_api import DingTalkApi
from storage import read_receipts
from storage.db import Database

log = logging.getLogger(__name__)
PER_PASS = 200


def check_reads(now: datetime, settings: Settings, db: Database, http: requests.Session) -> int:
    """Ask about the rows due now; returns how many were answered."""
    api = DingTalkApi(settings.dingtalk, http)
    if not api.configured:
        return 0
    answered = 0
    for check in read_receipts.due(db, now, PER_PASS):
        answer = api.read_by(check.conversation_id, check.receipt_key)
        if answer.ok:
            read_receipts.answered(db, check, answer.user_ids, now)
            answered += 1
        else:
            log.warning("asking who has read reminder %s failed: %s", check.delivery_id, answer.error)
            read_receipts.failed(db, check, now, answer.retry)
    return answered
