"""The reminder scheduler: APScheduler runs one dispatch pass a minute, under a database lease.

The job is stored as a "module:function" reference with plain arguments (a config
path), never live objects, under a fixed id. Whichever process holds the lease
dispatches; others wait. So `python -m bot scheduler` beside gunicorn, or the
scheduler thread inside `python -m bot serve`, can never both send. What only a live
process has (the WeCom 智能机器人's long connection) the entry layer hands to `scheduler`,
and the job finds it here: it is the process's, not the job's.
"""
from __future__ import annotations

import logging
import os
import socket
from datetime import datetime
from functools import lru_cache

import requests
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot import holiday_years, schools
from bot.config import Settings, load_settings
from bot.reminders.groups import reminder_groups, sync_configured
from bot.reminders.passes import plan_pass, record_pass
from bot.reminders.receipts import check_reads
from bot.reminders.sending import SendReport, WeComChat, send_outstanding
from storage import deliveries
from storage.db import Database
from storage.deliveries import NewDelivery, ReminderKind
from storage.school_calendar import school_terms

log = logging.getLogger(__name__)
JOB_ID = "reminder-pass"
LEASE = "scheduler_lease"
INTERVAL_S = 60
LEASE_S = 180        # outlives a pass; a dead holder's lease lapses within three minutes
HOLDER = f"{socket.gethostname()}:{os.getpid()}"
_live: dict[str, WeComChat] = {}   # "wecom_chat": this process's WeCom bot connection holder


def run_pass(now: datetime, settings: Settings, database: Database, http: requests.Session | None = None,
             wecom_chat: WeComChat | None = None) -> SendReport | None:
    """One pass if this instance holds the lease; None when another scheduler does. wecom_chat: the
    WeCom bot's way into its groups, where this process holds its long connection (else their rows wait)."""
    if not deliveries.take_lease(database, LEASE, settings.scheduler_id or HOLDER, now, LEASE_S):
        log.info("another scheduler holds the lease; skipping this pass")
        return None
    school = schools.home_school(database, settings.school)
    holiday_years.prefill(database, school, school_terms(database, school))   # before 元旦 of a year the calendar lacks
    sync_configured(database, settings, school)
    http = http or requests.Session()
    added = record_pass(plan_pass(now, settings, database), database)
    try:   # before sending, so a chase due now names who has read it; never in the way of sending
        check_reads(now, settings, database, http)
    except Exception:
        log.exception("asking who has read the reminders failed")
    report = send_outstanding(now, settings, database, http, wecom_chat)
    report.recorded = added
    if report.failing_groups and alert_admins(now, settings, database, report.failing_groups):
        alerts = send_outstanding(now, settings, database, http, wecom_chat)
        report.sent += alerts.sent
    for name in sorted(report.failing_groups):
        log.warning("group %s: its robot keeps failing; check the webhook", name)
    return report


def alert_admins(now: datetime, settings: Settings, database: Database, failing: set[str]) -> int:
    """Tell the admin group, once a day per failing group; the log has said it already."""
    admin = next((g for g in reminder_groups(database, settings.wecom_bot.long_connection) if g.name == settings.admin_group), None)
    if admin is None:
        return 0
    day = now.astimezone(settings.tz).date()
    alerts = [NewDelivery(f"alert:{name}:{day.isoformat()}", ReminderKind.ALERT, None, admin.id, day, now, detail=name)
              for name in sorted(failing) if name != admin.name]
    return deliveries.record(database, alerts)


def tick(config_path: str | None) -> None:
    """The scheduled job: plain arguments in, everything else looked up."""
    settings, database = _runtime(config_path)
    try:
        run_pass(datetime.now(settings.tz), settings, database, wecom_chat=_live.get("wecom_chat"))
    except Exception:  # a bad pass must not stop the next one
        log.exception("reminder pass failed")


@lru_cache(maxsize=4)
def _runtime(config_path: str | None) -> tuple[Settings, Database]:
    settings = load_settings(config_path)
    database = Database(settings.database.resolved_url())
    database.upgrade()
    return settings, database


def scheduler(config_path: str | None, settings: Settings, background: bool, wecom_chat: WeComChat | None = None):
    """The scheduler of this process's passes; wecom_chat: its WeCom bot connection holder, if it has one."""
    if wecom_chat is None:
        _live.pop("wecom_chat", None)
    else:
        _live["wecom_chat"] = wecom_chat
    kind = BackgroundScheduler if background else BlockingScheduler
    sched = kind(timezone=settings.tz)
    sched.add_job("bot.reminders.runner:tick", "interval", seconds=INTERVAL_S, id=JOB_ID, replace_existing=True,
                  args=[config_path], next_run_time=datetime.now(settings.tz), coalesce=True, max_instances=1)
    return sched
