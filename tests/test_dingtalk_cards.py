"""Status buttons under DingTalk reminders: the card delivered through the card platform's API (a fake
DingTalk on 127.0.0.1), taps through the HTTP card callback and a Stream callback frame recorded once
as "完成 N" would be, the card updated with the tally, and an outsider's tap changing nothing."""
from __future__ import annotations

import asyncio
import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, datetime

import dingtalk_stream
import pytest
import requests
from flask import jsonify, request

from bot.app import create_app
from bot.config import DingTalkSettings, SchoolSettings, Settings, Term
from bot.members import import_roster_file
from bot.messages import IncomingMessage, Reply
from bot.platforms.dingtalk import sign
from bot.platforms.dingtalk_api import DingTalkApi
from bot.platforms.dingtalk_card import TOPIC, card_params, deliver_body, out_track_id, parse_tap
from bot.plan_import import import_file
from bot.reminders.passes import plan_pass, record_pass
from bot.reminders.sending import send_outstanding
from bot.stream import StatusCardHandler, stream_client
from storage.models import StatusReport
from tests.servers import FakeDingTalkOpenApi, serving
from tests.test_status import NAMES, PLAN, ROSTER, TZ

SECRET = "app-secret-value"
TERM = Term("第一学期", date(2026, 9, 1), date(2027, 1, 22))
GROUP = "cid-staff"
SPAN_PLAN = PLAN.replace("10月20日前，各班主任提交家访记录", "10月12日至10月30日，各班主任提交家访记录")   # a span: deadline reminders


class FakeCardApi(FakeDingTalkOpenApi):
    """The robot's API plus the card platform's createAndDeliver and updateCardData."""

    def __init__(self) -> None:
        super().__init__("ding-app", SECRET, "ding-app")
        self.cards: list[dict] = []
        self.updates: list[dict] = []

        def token_ok() -> bool:
            return request.headers.get("x-acs-dingtalk-access-token") == f"dt-token-{self.tokens_issued}"

        @self.app.post("/v1.0/card/instances/createAndDeliver")
        def create_and_deliver():
            if not token_ok():
                return jsonify(code="InvalidAuthentication", message="不合法的access_token"), 401
            self.cards.append(request.get_json())
            return jsonify(success=True, result={"outTrackId": request.get_json()["outTrackId"]})

        @self.app.put("/v1.0/card/instances")
        def update_card_data():
            if not token_ok():
                return jsonify(code="InvalidAuthentication", message="不合法的access_token"), 401
            self.updates.append(request.get_json())
            return jsonify(success=True, result=True)


@pytest.fixture
def site(database, tmp_path):
    fake = FakeCardApi()
    with serving(fake.app) as fake_url:
        settings = Settings(school=SchoolSettings(name="青禾小学", terms=(TERM,)), dingtalk=DingTalkSettings(
            app_key="ding-app", app_secret=SECRET, api_base=fake_url, oapi_base=fake_url, status_card_template_id="tpl-status"))
        plan, roster = tmp_path / "计划.txt", tmp_path / "名单.csv"
        plan.write_text(SPAN_PLAN, encoding="utf-8")
        roster.write_text(ROSTER, encoding="utf-8")
        import_file(plan, settings, database)
        import_roster_file(roster, settings, database)
        app = create_app(settings, database)
        with serving(app) as app_url:
            yield Site(app, app_url, fake, settings, database)


class Site:
    def __init__(self, app, url, fake, settings, db) -> None:
        self.app, self.url, self.fake, self.settings, self.db = app, url, fake, settings, db
        self.dispatcher = app.extensions["schoolbot.card_taps"].dispatcher

    def say(self, who: str, text: str, admin: bool = False) -> str:
        message = IncomingMessage("dingtalk", uuid.uuid4().hex, GROUP, who, NAMES[who], text,
                                  datetime(2026, 10, 14, 9, 0, tzinfo=TZ), True, admin, "教师群")
        return self.dispatcher.handle(message).markdown

    def remind_until_a_card(self) -> dict:
        """Passes from the term's October days until a deadline reminder goes out as a card."""
        http = requests.Session()
        for day in range(1, 32):
            when = datetime(2026, 10, day, 7, 31, tzinfo=TZ)
            record_pass(plan_pass(when, self.settings, self.db), self.db)
            send_outstanding(when, self.settings, self.db, http)
            if self.fake.cards:
                return self.fake.cards[0]
        raise AssertionError("no card delivered")

    def reports(self) -> int:
        with self.db.transaction() as s:
            return s.query(StatusReport).count()


def tap_payload(card: dict, user_id: str, state: str) -> dict:
    task = card["cardData"]["cardParamMap"]["task"]
    content = {"cardPrivateData": {"actionIds": [state], "params": {"task": task, "state": state}}}
    return {"type": "actionCallback", "outTrackId": card["outTrackId"], "corpId": "ding-corp", "userId": user_id,
            "content": json.dumps(content)}


def post_tap(site: Site, payload: dict, secret: str = SECRET) -> requests.Response:
    timestamp = str(int(time.time() * 1000))
    return requests.post(f"{site.url}/dingtalk/card/callback", data=json.dumps(payload).encode(), timeout=10,
                         headers={"timestamp": timestamp, "sign": sign(timestamp, secret), "Content-Type": "application/json"})


def stream_tap(site: Site, payload: dict, message_id: str) -> tuple[int, dict]:
    frame = {"specVersion": "1.0", "type": "CALLBACK", "data": json.dumps(payload),
             "headers": {"topic": TOPIC, "messageId": message_id, "contentType": "application/json"}}
    handler = StatusCardHandler(site.app.extensions["schoolbot.card_taps"], ThreadPoolExecutor(max_workers=1))
    return asyncio.run(handler.process(dingtalk_stream.CallbackMessage.from_dict(frame)))


def test_parse_tap_trusts_the_sender_not_the_key():
    content = json.dumps({"cardPrivateData": {"params": {"task": "12", "state": "done", "userId": "dt-boss"}}})
    tap = parse_tap({"outTrackId": out_track_id(7, "cid-x-y"), "userId": "dt-wang", "content": content}, "ev-1")
    assert (tap.user_id, tap.conversation_id, tap.task_number, tap.words) == ("dt-wang", "cid-x-y", 12, "完成 12")
    for bad in ({"outTrackId": "other-1-c", "userId": "u", "content": content},
                {"outTrackId": out_track_id(7, "c"), "userId": "u", "content": '{"cardPrivateData": {"params": {"task": "x"}}}'},
                {"outTrackId": out_track_id(7, "c"), "content": content}):
        with pytest.raises(ValueError):
            parse_tap(bad, "ev-2")


def test_a_deadline_reminder_is_a_card_with_three_buttons_and_taps_report(site):
    assert "通过钉钉应用机器人推送" in site.say("dt-zhao", "开启提醒", admin=True)
    card = site.remind_until_a_card()
    params = card["cardData"]["cardParamMap"]
    assert card["cardTemplateId"] == "tpl-status" and card["openSpaceId"] == f"dtv1.card//IM_GROUP.{GROUP}"
    assert card["imGroupOpenDeliverModel"] == {"robotCode": "ding-app", "atUserIds": {"dt-wang": "王芳", "dt-li": "李强"}}
    assert card["callbackType"] == "HTTP"   # the owners are @-ed for real, by the card API
    assert all(isinstance(v, str) for v in params.values()) and params["task"].isdigit()
    number = int(params["task"])

    # HTTP: a teacher the task concerns taps 已完成; the same delivery again records nothing more.
    before = site.reports()
    wang = tap_payload(card, "dt-wang", "done")
    answer = post_tap(site, wang)
    assert answer.status_code == 200 and answer.json()["userPrivateData"]["cardParamMap"]["my_state"] == "已完成"
    assert post_tap(site, wang).status_code == 200
    assert site.reports() == before + 1
    update = site.fake.updates[-1]
    assert update["outTrackId"] == card["outTrackId"] and update["cardData"]["cardParamMap"]["tally"] == "1/2 已完成"
    assert update["privateData"] == {"dt-wang": {"cardParamMap": {"my_state": "已完成"}}}

    # Stream: 有困难 from the other teacher, redelivered under the same message id, recorded once.
    code, answer = stream_tap(site, tap_payload(card, "dt-li", "blocked"), "stream-msg-1")
    assert code == dingtalk_stream.AckMessage.STATUS_OK and answer["userPrivateData"]["cardParamMap"]["my_state"] == "有困难"
    stream_tap(site, tap_payload(card, "dt-li", "blocked"), "stream-msg-1")
    assert site.reports() == before + 2
    assert site.fake.updates[-1]["cardData"]["cardParamMap"]["tally"] == "1/2 已完成，1 有困难"

    # Someone the task does not concern: a private answer, no report, no card update.
    updates = len(site.fake.updates)
    code, answer = stream_tap(site, tap_payload(card, "dt-chen", "done"), "stream-msg-2")
    assert code == dingtalk_stream.AckMessage.STATUS_OK and answer["userPrivateData"]["cardParamMap"]["my_state"]
    assert site.reports() == before + 2 and len(site.fake.updates) == updates

    progress = site.say("dt-zhao", f"{number} 进度")
    assert "1/2 已完成，1 有困难" in progress and "王芳" in progress and "李强" in progress


def test_a_forged_card_callback_is_refused(site):
    payload = {"outTrackId": out_track_id(1, GROUP), "userId": "dt-wang",
               "content": json.dumps({"cardPrivateData": {"params": {"task": "1", "state": "done"}}})}
    before = site.reports()
    assert post_tap(site, payload, secret="not-the-secret").status_code in (401, 403)
    assert site.reports() == before


def test_without_a_template_reminders_stay_markdown(database, tmp_path):
    fake = FakeCardApi()
    with serving(fake.app) as fake_url:
        settings = Settings(school=SchoolSettings(name="青禾小学", terms=(TERM,)), dingtalk=DingTalkSettings(
            app_key="ding-app", app_secret=SECRET, api_base=fake_url, oapi_base=fake_url))
        plan = tmp_path / "计划.txt"
        plan.write_text(SPAN_PLAN, encoding="utf-8")
        import_file(plan, settings, database)
        app = create_app(settings, database)
        site = Site(app, "", fake, settings, database)
        site.dispatcher.handle(IncomingMessage("dingtalk", "m-on", GROUP, "dt-zhao", "赵敏", "开启提醒",
                                               datetime(2026, 10, 14, 9, 0, tzinfo=TZ), True, True, "教师群"))
        http = requests.Session()
        for day in range(1, 32):
            when = datetime(2026, 10, day, 7, 31, tzinfo=TZ)
            record_pass(plan_pass(when, settings, database), database)
            send_outstanding(when, settings, database, http)
        assert fake.cards == [] and fake.sent


def test_stream_mode_cards_call_back_by_stream_on_the_bots_client(site):
    config = replace(site.settings.dingtalk, mode="stream")
    client = stream_client(config, site.app.extensions["schoolbot.dingtalk_responder"], site.app.extensions["schoolbot.inbox"],
                           ThreadPoolExecutor(max_workers=1), site.app.extensions["schoolbot.card_taps"])
    assert isinstance(client.callback_handler_map[TOPIC], StatusCardHandler)
    result = DingTalkApi(config, requests.Session()).send_status_card(GROUP, out_track_id(9, GROUP), Reply("标题", "正文"), 3, "")
    assert result.ok and site.fake.cards[-1]["callbackType"] == "STREAM" and "callbackRouteKey" not in site.fake.cards[-1]
    body = deliver_body("tpl", "robot", GROUP, "sb-1-" + GROUP, card_params(Reply("t", "m"), 3, "0/2 已完成"), "HTTP", "route-1")
    assert body["callbackRouteKey"] == "route-1" and body["cardData"]["cardParamMap"]["tally"] == "0/2 已完成"
