"""The inbound queue on its own and behind each way in: a message is a row before the platform hears
anything, work that died is claimed again after its lease, a busy database delays a message but
never drops it, and a redelivery of a handled message is dropped."""
from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select, update

from bot.config import SchoolSettings, Settings, Term, WeComSettings
from bot.dispatch import Dispatcher
from bot.inbox import Inbox, decode, encode
from bot.messages import IncomingMessage, Reply
from bot.platforms.dingtalk import SessionWebhook
from storage import inbox as queue
from storage.db import Database
from storage.models import InboundMessage
from tests.conftest import stored_by_a_process_that_died
from tests.servers import FakeWeComApi, serving

TERM = Term("第一学期", date(2026, 9, 1), date(2027, 1, 22))
SENT = datetime(2026, 10, 13, 1, tzinfo=timezone.utc)


def message(msg_id: str = "m-1", platform: str = "wecom", text: str = "帮助") -> IncomingMessage:
    return IncomingMessage(platform, msg_id, "chat", "zhangsan", "张老师", text, SENT, is_group=False,
                           mentioned_user_ids=("a",), reply_target=SessionWebhook("https://oapi.dingtalk.com/x", 5))


def test_a_message_survives_its_encoding():
    original = message()
    again = decode(encode(original))
    assert again == original and again.reply_target.url == original.reply_target.url and again.sent_at == SENT


def test_a_redelivery_is_dropped_only_once_handled(sqlite_database):
    inbox = Inbox(sqlite_database, lambda m: Reply("t", "ok"))
    first = inbox.accept(message())
    assert inbox.accept(message()) == first            # still queued: the same row, worked once
    inbox.run(first, lambda m, r: None)
    assert inbox.accept(message()) is None             # handled: dropped


def test_a_message_is_stored_claimed_by_its_receiver_until_its_lease_runs_out(sqlite_database, monkeypatch):
    """The receiver holds what it stores (one write fewer per message): another worker's resumer leaves it,
    however long it waits in the receiver's queue, until the lease runs out; then it is resumed, once."""
    clock = [1000.0]
    monkeypatch.setattr("bot.inbox.time.monotonic", lambda: clock[0])
    answered = []
    inbox = Inbox(sqlite_database, lambda m: Reply("t", m.text), lease=timedelta(seconds=60))
    inbox.late_delivery["wecom"] = lambda m, r: answered.append(r.markdown)
    other = Inbox(sqlite_database, lambda m: Reply("t", m.text))
    row = other.accept(message())                                           # another worker's, in its queue
    with sqlite_database.engine.connect() as conn:
        assert conn.execute(select(InboundMessage.state, InboundMessage.attempts)).one() == ("working", 1)
    executor = ThreadPoolExecutor(1)
    assert inbox.resume(executor) == 0
    with sqlite_database.engine.begin() as conn:                           # 61 s on: its receiver died
        conn.execute(update(InboundMessage).values(claimed_at=InboundMessage.claimed_at - timedelta(seconds=61)))
    assert inbox.resume(executor) == 1
    executor.shutdown(wait=True)
    assert answered == ["帮助"]
    clock[0] += 61
    other.run(row, lambda m, r: answered.append("twice"))                   # the receiver's worker comes to it late
    assert answered == ["帮助"]


def test_a_claim_that_waited_half_a_lease_in_the_queue_is_renewed_or_given_over(sqlite_database, monkeypatch):
    """The receiver's worker trusts its claim for half a lease; later it renews it first, and finds out if
    another process has taken the message over."""
    clock = [1000.0]
    monkeypatch.setattr("bot.inbox.time.monotonic", lambda: clock[0])
    answered = []
    inbox = Inbox(sqlite_database, lambda m: Reply("t", m.text), lease=timedelta(seconds=60))
    kept = inbox.accept(message("m-kept"))
    taken = inbox.accept(message("m-taken"))
    clock[0] += 31                                                          # half a lease in the queue
    assert queue.claim(sqlite_database, taken, timedelta(0)) is not None    # (as after its lease: another took it)
    inbox.run(kept, lambda m, r: answered.append(m.msg_id))
    inbox.run(taken, lambda m, r: answered.append(m.msg_id))
    assert answered == ["m-kept"]
    with sqlite_database.engine.connect() as conn:
        assert dict(conn.execute(select(InboundMessage.msg_id, InboundMessage.state)).all()) == {"m-kept": "handled", "m-taken": "working"}


def test_an_answer_that_outlasts_half_the_lease_is_sent_only_if_the_claim_is_still_this_worker_s(sqlite_database, monkeypatch):
    """An answer that took long (a report waiting for SQLite's lock behind an import): before it is sent the
    claim is renewed; if another process took the message over meanwhile, this worker does not send it too."""
    clock = [1000.0]
    monkeypatch.setattr("bot.inbox.time.monotonic", lambda: clock[0])
    sent = []

    def slow_answer(m):
        clock[0] += 31
        if m.msg_id.startswith("m-taken"):
            assert queue.claim(sqlite_database, row_of[m.msg_id], timedelta(0)) is not None   # another took it over
        return Reply("t", m.msg_id)
    inbox = Inbox(sqlite_database, slow_answer, lease=timedelta(seconds=60))
    row_of = {msg_id: inbox.accept(message(msg_id)) for msg_id in ("m-kept", "m-taken")}
    for row in row_of.values():
        inbox.run(row, lambda m, r: sent.append(r.markdown))
    assert sent == ["m-kept"]
    with sqlite_database.engine.connect() as conn:
        assert dict(conn.execute(select(InboundMessage.msg_id, InboundMessage.state)).all()) == {"m-kept": "handled", "m-taken": "working"}
    # The same for a message claimed from the database (attempt 2, by a resumer), not at accept.
    row_of["m-taken-resumed"] = stored_by_a_process_that_died(sqlite_database, message("m-taken-resumed"))
    inbox.run(row_of["m-taken-resumed"], lambda m, r: sent.append(r.markdown))
    assert sent == ["m-kept"]


def test_work_that_died_is_claimed_again_after_its_lease(sqlite_database):
    answered = []
    inbox = Inbox(sqlite_database, lambda m: Reply("t", m.text), lease=timedelta(seconds=30))
    inbox.accept(message())                                                # claimed as stored; then its process died
    assert inbox.resume(ThreadPoolExecutor(1)) == 0                        # not while the lease holds
    with sqlite_database.engine.begin() as conn:                           # the lease runs out: its claim is 31 s old
        conn.execute(update(InboundMessage).values(claimed_at=InboundMessage.claimed_at - timedelta(seconds=31)))
    inbox.late_delivery["wecom"] = lambda m, r: answered.append(r.markdown)
    executor = ThreadPoolExecutor(1)
    assert inbox.resume(executor) == 1
    executor.shutdown(wait=True)
    assert answered == ["帮助"]
    with sqlite_database.engine.connect() as conn:
        assert conn.execute(select(InboundMessage.state, InboundMessage.payload)).one() == ("handled", None)


def test_a_failing_answer_is_retried_then_given_up(sqlite_database):
    inbox = Inbox(sqlite_database, lambda m: 1 / 0, lease=timedelta(0))
    row = inbox.accept(message())
    for _ in range(queue.MAX_ATTEMPTS):
        inbox.run(row, lambda m, r: None)
    with sqlite_database.engine.connect() as conn:
        assert conn.execute(select(InboundMessage.state)).scalar() == "failed"
    assert inbox.accept(message()) is None


def test_a_message_waits_out_a_long_write_instead_of_vanishing(tmp_path):
    path = tmp_path / "busy.db"
    database = Database(f"sqlite:///{path}", busy_timeout_s=0.05)
    database.upgrade()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")            # an import holding the write lock, four busy timeouts long
    threading.Timer(0.2, holder.rollback).start()
    started = time.monotonic()
    stored = queue.receive(database, "dingtalk", "m-busy", "{}")
    assert stored.fresh and time.monotonic() - started >= 0.2
    holder.close()


def test_wecom_late_answers_resume_after_a_restart(sqlite_database):
    api = FakeWeComApi("corp", "secret")
    with serving(api.app) as api_url:
        from bot.app import create_app
        settings = Settings(school=SchoolSettings(name="青禾小学", terms=(TERM,)),
                            wecom=WeComSettings(corp_id="corp", agent_id="1", secret="secret", token="t",
                                                encoding_aes_key="jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", api_base=api_url))
        stored_by_a_process_that_died(sqlite_database, message(msg_id="w-9", text="帮助"))
        create_app(settings, sqlite_database)      # the next start finishes it through message/send
        (sent,) = api.wait_for(1)
        assert sent["touser"] == "zhangsan" and "校务助手" in sent["text"]["content"]


def test_stream_stores_the_message_before_acknowledging(sqlite_database):
    import dingtalk_stream
    import requests

    from bot.platforms.dingtalk_reply import DingTalkResponder
    from bot.stream import RobotMessageHandler
    from tests.test_dingtalk import callback_body

    never = ThreadPoolExecutor(1)
    never.submit = lambda *a, **k: None          # the process dies right after the ack: nothing runs
    settings = Settings(school=SchoolSettings(name="青禾小学", terms=(TERM,)))
    handler = RobotMessageHandler(DingTalkResponder(settings.dingtalk, requests.Session()),
                                  Inbox(sqlite_database, Dispatcher(settings, sqlite_database).answer), never)
    callback = dingtalk_stream.CallbackMessage.from_dict(
        {"specVersion": "1.0", "type": "CALLBACK", "data": json.dumps(callback_body("https://oapi.dingtalk.com", "帮助", msg_id="s-1")),
         "headers": {"topic": "/v1.0/im/bot/messages/get", "messageId": "f-1"}})
    code, _ = asyncio.run(handler.process(callback))
    assert code == 200
    with sqlite_database.engine.connect() as conn:
        assert conn.execute(select(InboundMessage.msg_id, InboundMessage.state)).one() == ("s-1", "working")   # stored, and claimed by its receiver


def test_no_secret_reaches_the_log_even_in_a_traceback(sqlite_database, capfd):
    """A late WeCom answer fails with the token URL (corpsecret=…) in the exception: the whole log is grepped."""
    import socket

    from bot.logs import configure_logging
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    corp_secret = "corp-secret-never-logged-42"
    settings = Settings(school=SchoolSettings(name="青禾小学", terms=(TERM,)),
                        wecom=WeComSettings(corp_id="corp", agent_id="1", secret=corp_secret, token="token-never-logged",
                                            encoding_aes_key="jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", api_base=closed))
    configure_logging("DEBUG", settings.secret_values())
    try:
        import requests

        from bot.platforms.wecom_api import WeComClient
        from bot.routes.wecom import send_late
        client = WeComClient(closed, "corp", corp_secret, "1", requests.Session())
        inbox = Inbox(sqlite_database, Dispatcher(settings, sqlite_database).answer)
        inbox.run(inbox.accept(message(msg_id="w-log")), lambda m, r: send_late(client, m, r))
        log = capfd.readouterr().err
        assert "Traceback" in log and "working inbound message" in log     # the failure is logged, with its traceback
        assert corp_secret not in log and "token-never-logged" not in log
    finally:
        configure_logging("INFO")
