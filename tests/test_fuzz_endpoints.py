"""Every route the app registers, hit a few thousand times with hostile input: none may answer 5xx.

A fixed seed, so a failure is the same failure on every run. The office pages are signed in
and most POSTs carry a valid CSRF token, so the fuzz gets past the guard into the views;
DingTalk bodies are signed and WeCom callbacks carry garbage around a real envelope.
"""
from __future__ import annotations

import io
import json
import random
import re
import time
import traceback
from datetime import date

import pytest
from flask import got_request_exception
from werkzeug.security import generate_password_hash

from bot.app import create_app
from storage import office_settings
from bot.config import AdminWebSettings, DingTalkSettings, SchoolSettings, Settings, Term, WeComSettings
from bot.platforms.dingtalk import sign
from storage import people, plans
from storage.people import NewMember, RoleRow, import_roster
from tests.test_admin_web import PASSWORD, import_plan, sign_in, token
from tests.test_dingtalk import SECRET, callback_body
from tests.test_wecom import CORP, CRYPTO, KEY, TOKEN, message_xml

SEED = 1234
REQUESTS = 1500       # per database: SQLite always, PostgreSQL when reachable (the same seeded sequence on each)
BUDGET_S = 8           # per database; stop early rather than make the suite slow on a slow machine

HOSTILE = ["0", "-1", "1", "2", "3", "9223372036854775807", "9223372036854775808", str(2**64), "9" * 40, "-9223372036854775809",
           "٣", "²", "１２", "1e400", "nan", "../", "..%2F..%2Fetc%2Fpasswd", "%00", "\x00", "a\x00b", "x" * 5000, "令牌",
           "", " ", "0001-01-01", "9999-12-31", "2026-10-12", "2026-02-30", "10000-01-01", "-2026-01-01", "2026-W42",
           "weekly:zz", "weekly", "monthly:by99", "monthly:by٣", "daily:", "\u202e\ufeff",
           "<script>", "'; DROP TABLE tasks; --", "true", "null", "[]", "{}", "1" * 19, "  7  ", "0x10", "+1"]
DATES = ["0001-01-01", "9999-12-31", "1999-12-31", "2000-01-01", "2099-12-31", "2100-01-01", "2026-02-29", "20261012",
         "2026-10-12T08:00", "２０２６-10-12", "2026-W42-1"]
DATE_FIELDS = {"start", "end", "day", "term0_start", "term0_end", "term1_start", "term1_end"}
VALID = {"title": "家访记录汇总", "start": "2026-10-21", "end": "2026-10-22", "owner": "班主任", "recurrence": "weekly:TUE",
         "task": ["1", "2"], "name": "第一学期", "original": "第一学期", "day": "2026-10-12", "password": "wrong", "admin": "1",
         "enabled": "1", "digest": "1", "digest_time": "08:15", "eve": "1", "eve_time": "16:00", "morning": "1",
         "morning_time": "07:30", "deadline": "1", "deadline_time": "07:30", "recurring": "1", "recurring_time": "07:30",
         "chase": "1", "chase_time": "08:00", "deadline_days": "3,1", "quiet_start": "21:00", "quiet_end": "07:00",
         "view": "month", "next": "/admin/tasks", "q": "家访", "month": "2026-10", "kind": "dated", "year": "2026",
         "school_name": "青禾小学", "current_password": "wrong", "password_again": "wrong", "days_off": "2026-10-30 校运会",
         "code": "0000-0000"}   # a form that gets past validation, so one hostile field reaches deep
QUERY = ["day", "view", "next", "echostr", "msg_signature", "timestamp", "nonce"]


@pytest.fixture
def app(database):
    web = AdminWebSettings(password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"),
                           secret_key="test-secret-key-not-real")
    settings = Settings(school=SchoolSettings(name="青禾小学", terms=(Term("第一学期", date(2026, 9, 1), date(2027, 1, 22)),)),
                        admin_web=web, dingtalk=DingTalkSettings(app_secret=SECRET, session_webhook_base="http://127.0.0.1:9"),
                        wecom=WeComSettings(corp_id=CORP, agent_id="1000002", secret="s", token=TOKEN, encoding_aes_key=KEY,
                                            api_base="http://127.0.0.1:9"))
    app = create_app(settings, database)
    yield app
    app.extensions["schoolbot.executor"].shutdown(wait=True)   # replies still queued finish before the database goes


def hostile(rng: random.Random, name: str = "") -> str:
    value = rng.choice(DATES if name in DATE_FIELDS and rng.random() < 0.6 else HOSTILE)
    return value if rng.random() < 0.8 else value + rng.choice(HOSTILE)


def fill(rule: str, rng: random.Random) -> str:
    """The rule's path with each <variable> replaced: a plausible id now and then, else something hostile."""
    return re.sub(r"<[^>]+>", lambda _: str(rng.randint(1, 6)) if rng.random() < 0.3 else hostile(rng), rule)


def random_json(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if depth > 3 or roll < 0.5:
        return rng.choice([None, True, False, 0, -1, 2**70, 1.5, "", "x", "令牌", "2", [], {}, "\x00"])
    if roll < 0.75:
        return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(["content", "richText", "text", "staffId", "isReplyMsg", "repliedMsg", "title", "markdown", "x"]):
            random_json(rng, depth + 1) for _ in range(rng.randint(0, 3))}


def dingtalk_body(rng: random.Random, i: int) -> bytes:
    body = callback_body("http://127.0.0.1:9", rng.choice(["帮助", "本周有什么任务", "完成 1", ""]), msg_id=f"fuzz-{i}")
    for key in rng.sample(sorted(body) + ["atUsers", "isAdmin"], rng.randint(1, 4)):
        body[key] = random_json(rng)
    if rng.random() < 0.3:
        content = rng.choice([random_json(rng), {"richText": random_json(rng), rng.choice(["text", "title", "markdown"]): random_json(rng)}])
        body["text"] = {"content": "帮助", "isReplyMsg": True, "repliedMsg": {"content": content}}
    roll = rng.random()
    if roll < 0.1:
        body["sessionWebhookExpiredTime"] = "INFINITY"
    text = json.dumps(body, ensure_ascii=False).replace('"INFINITY"', rng.choice(["1e400", "-1e400", "1e308", "NaN", "Infinity"]))
    if 0.1 <= roll < 0.15:
        depth = rng.choice([100, 1000, 5000])
        text = text[:-1] + ', "text": ' + '{"content": ' * depth + '"x"' + "}" * depth + "}"
    return text.encode()


def send_dingtalk(client, rng: random.Random, i: int):
    stamp = str(int(time.time() * 1000))
    headers = {"timestamp": stamp, "sign": sign(stamp, SECRET), "Content-Type": "application/json"}
    if rng.random() < 0.1:
        headers = {"timestamp": hostile(rng), "sign": hostile(rng)}
    return client.post("/dingtalk/callback", data=dingtalk_body(rng, i), headers=headers)


def send_wecom(client, rng: random.Random, i: int):
    stamp, nonce = str(int(time.time())), "1372623149"
    inner = rng.choice([message_xml("帮助", msg_id=f"w{i}"), "<xml><MsgType>text</MsgType></xml>", "not xml", "<xml>" * 50,
                        message_xml(hostile(rng), msg_id=hostile(rng)).replace("CreateTime>", "CreateTime>" + hostile(rng), 1)])
    encrypted = CRYPTO.encrypt(inner) if rng.random() < 0.8 else hostile(rng)
    params = {"msg_signature": CRYPTO.signature(stamp, nonce, encrypted), "timestamp": stamp, "nonce": nonce}
    if rng.random() < 0.2:
        params = {rng.choice(QUERY): hostile(rng) for _ in range(3)}
    body = f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>" if rng.random() < 0.8 else hostile(rng)
    if rng.random() < 0.2:
        return client.get("/wecom/callback", query_string={**params, "echostr": encrypted})
    return client.post("/wecom/callback", query_string=params, data=body.encode("utf-8", "surrogatepass"))


def send_office(client, rng: random.Random, rule, csrf: str):
    methods = sorted(rule.methods - {"HEAD", "OPTIONS"}) + (["PUT", "DELETE"] if rng.random() < 0.05 else [])
    method, path = rng.choice(methods), fill(rule.rule, rng)
    query = {name: hostile(rng, name) for name in rng.sample(QUERY, rng.randint(0, 2))}
    if method == "GET":
        return client.get(path, query_string=query)
    form: dict = dict(VALID) if rng.random() < 0.7 else {}
    for name in rng.sample(sorted(VALID), rng.randint(1, 4)):
        form[name] = hostile(rng, name)
    if "task" in form and rng.random() < 0.5:
        form["task"] = [str(rng.randint(1, 6)), hostile(rng)]
    if rng.random() < 0.85:
        form["csrf_token"] = csrf
    elif rng.random() < 0.5:
        form["csrf_token"] = hostile(rng)
    if rng.random() < 0.15:
        form[rng.choice(["plan", "roster"])] = (io.BytesIO(hostile(rng).encode("utf-8", "surrogatepass")),
                                               rng.choice(["计划.txt", "名单.csv", "x.docx", "x.xlsx", "../x.txt", ""]))
    ip = f"10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}"   # login attempts spread out: the rate limit stays out of the way
    return client.open(path, method=method, query_string=query, data=form, environ_base={"REMOTE_ADDR": ip})


def people_and_groups(app) -> None:
    """A roster and a group the bot has met, so small ids in the URLs name real rows."""
    db = app.extensions["schoolbot.database"]
    school = plans.ensure_school(db, "青禾小学")
    import_roster(db, school, [NewMember("王芳", (RoleRow("班主任"),), dingtalk_user_id="dt-wang"), NewMember("赵敏", department="教务处")])
    people.meet(db, school, "dingtalk", "dt-wang", "王芳", "cid-grade3", "三年级组")


def still_signed_in(client) -> str:
    """A fresh sign-in when the fuzz logged out, and the session's CSRF token."""
    if client.get("/admin/tasks").status_code == 302:
        sign_in(client)
    return token(client, "/admin/tasks")


def test_no_route_answers_5xx(app, tmp_path):
    rng = random.Random(SEED)
    failures: list[str] = []
    got_request_exception.connect(lambda sender, exception, **_: failures.append(
        "".join(traceback.format_exception(exception))), app, weak=False)
    client = app.test_client()
    sign_in(client)
    import_plan(client, tmp_path)
    people_and_groups(app)
    csrf = still_signed_in(client)
    rules = list(app.url_map.iter_rules())
    sent, errors, started = 0, [], time.monotonic()
    while sent < REQUESTS and time.monotonic() - started < BUDGET_S:
        roll = rng.random()
        if roll < 0.15:
            response, what = send_dingtalk(client, rng, sent), "dingtalk"
        elif roll < 0.25:
            response, what = send_wecom(client, rng, sent), "wecom"
        else:
            rule = rng.choice(rules)
            response, what = send_office(client, rng, rule, csrf), rule.rule
            if rule.endpoint in ("admin.logout", "admin.login") or sent % 50 == 0:
                csrf = still_signed_in(client)
        sent += 1
        if response.status_code >= 500:
            errors.append((what, response.status_code, response.request.path))
    print(f"\nfuzz: {sent} requests sent in {time.monotonic() - started:.0f} s, {len(errors)} answered 5xx")
    for line in sorted({f"{what} {status}" for what, status, _ in errors}):
        print("  ", line)
    assert not errors, (errors[:20], failures[:3])


def test_first_run_setup_never_answers_5xx(database):
    """Before a password exists only /admin/setup answers; hostile set-up forms with the right code
    (so they reach the checks behind it) and without it get 4xx or a redirect, never a 5xx."""
    from bot import office_setup
    app = create_app(Settings(school=SchoolSettings(name="青禾小学")), database)
    client = app.test_client()
    rng = random.Random(SEED)
    good = {"school_name": "青禾小学", "term0_name": "第一学期", "term0_start": "2026-09-01", "term0_end": "2027-01-22",
            "term1_name": "第二学期", "term1_start": "2027-02-22", "term1_end": "2027-07-02", "days_off": "2026-10-30 校运会",
            "password": "long-enough-pw", "password_again": "long-enough-pw", "term0_original": "", "term1_original": ""}
    statuses = []
    for sent in range(160):
        page = client.get("/admin/setup")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)) if page.status_code == 200 else None
        form = dict(good) | {"csrf_token": csrf.group(1) if csrf else "", "code": office_setup.setup_code(database) if rng.random() < 0.85 else hostile(rng)}
        for name in rng.sample(sorted(good), rng.randint(1, 3)):
            form[name] = hostile(rng, "term0_start" if name.endswith(("start", "end")) else name)
        statuses.append(client.post("/admin/setup", data=form).status_code)
        if sent % 40 == 39:
            office_settings.drop(database, office_settings.PASSWORD_HASH)   # set-up done by a lucky form: start over
    assert max(statuses) < 500 and 400 in statuses and 302 in statuses
    app.extensions["schoolbot.executor"].shutdown(wait=True)
