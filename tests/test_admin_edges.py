"""What an attacker sent that once answered 500: each now succeeds or gets a 4xx, in Chinese on the
office's pages. DingTalk bodies of any shape, non-ASCII CSRF tokens, ids past any column, dates at
the ends of time, and rhythms the bot cannot read."""
from __future__ import annotations

import json
from datetime import date

import pytest

from bot.app import create_app
from bot.platforms.dingtalk import parse_message
from storage import plans, task_edits
from storage.task_edits import TaskChange
from tests.test_admin_web import import_plan, settings_with, sign_in, token, web  # noqa: F401  (web is a fixture)
from tests.test_dingtalk import callback_body, dingtalk, post  # noqa: F401  (dingtalk is a fixture)

HUGE_IDS = ["9223372036854775808", str(2**64), "2147483648", "9" * 40]
NOT_IDS = ["-1", "0", "٣", "abc", "..%2F"]


# DingTalk: parse_message is total over any JSON.

def deep(depth: int, leaf='"x"') -> str:
    return '{"content": ' * depth + leaf + "}" * depth


@pytest.mark.parametrize("field", ["text", "senderNick", "atUsers", "sessionWebhook", "zzz"])
def test_a_body_nested_1000_deep_is_answered_with_4xx_or_read(dingtalk, field):
    app_url, fake_url = dingtalk.app_url, dingtalk.fake_url
    body = json.dumps(callback_body(fake_url, "帮助", msg_id=f"deep-{field}"))
    for depth in (900, 1000, 5000):
        response = post(app_url, body[:-1] + f', "{field}": {deep(depth)}' + "}")
        assert response.status_code in (200, 400)


def test_an_infinite_webhook_expiry_reads_as_unsaid(dingtalk):
    app_url, fake_url, fake, _ = dingtalk
    body = json.dumps(callback_body(fake_url, "帮助", msg_id="inf"))
    body = body.replace('"sessionWebhookExpiredTime": ', '"sessionWebhookExpiredTime": 1e400, "was": ')
    assert post(app_url, body).status_code == 200
    assert fake.wait_for(1)                                   # and it is still answered


@pytest.mark.parametrize("rich", [5, True, 1.5, "text", {"text": "x"}, [5, None, {"text": 7}]])
def test_a_quote_with_rich_text_of_the_wrong_type_is_no_quote(dingtalk, rich):
    app_url, fake_url = dingtalk.app_url, dingtalk.fake_url
    body = callback_body(fake_url, "帮助", msg_id=f"rich-{rich!r}")
    body["text"] = {"content": "帮助", "isReplyMsg": True, "repliedMsg": {"content": {"richText": rich}}}
    assert post(app_url, body).status_code == 200


WRONG = [5, 1.5, True, None, [], ["x"], {}, {"a": [1]}, 2**70]


@pytest.mark.parametrize("value", WRONG, ids=repr)
def test_every_field_of_the_wrong_type_reads_as_empty(value):
    body = callback_body("https://oapi.dingtalk.com", "帮助")
    for field in ("senderNick", "senderStaffId", "conversationTitle", "sessionWebhook", "createAt", "atUsers",
                  "conversationType", "sessionWebhookExpiredTime", "isAdmin"):
        body[field] = value
    body["senderId"] = ["not", "a", "string"]
    body["text"] = {"content": value, "isReplyMsg": True, "repliedMsg": {"content": {"richText": value, "text": value}}}
    message = parse_message(body)
    expected = str(value) if type(value) is int else ""      # an id sent as a number keeps its digits
    assert (message.sender_name, message.sender_id, message.chat_name, message.text) == (expected,) * 4
    assert message.quoted_text == "" and message.mentioned_user_ids == () and message.is_admin is (value is True)
    assert message.reply_target.expires_ms == (int(value) if type(value) in (int, float) else 0)


@pytest.mark.parametrize("value", WRONG[:8], ids=repr)
def test_ids_of_the_wrong_type_are_a_value_error(value):
    with pytest.raises(ValueError):
        parse_message({**callback_body("https://oapi.dingtalk.com", "帮助"), "msgId": value if value != 5 else ""})


# The office's pages.

def test_a_non_ascii_csrf_token_is_refused_in_chinese(web):
    client, _ = web
    client.get("/admin/login")
    refused = client.post("/admin/login", data={"password": "x", "csrf_token": "令牌"})
    assert refused.status_code == 400 and "页面已过期" in refused.get_data(as_text=True)


def test_ids_past_any_column_are_not_found(database, tmp_path):
    client = create_app(settings_with(), database).test_client()
    sign_in(client)
    import_plan(client, tmp_path)
    csrf = token(client, "/admin/tasks")
    for bad in HUGE_IDS + NOT_IDS:
        for method, path in [("GET", "/admin/tasks/{}"), ("POST", "/admin/tasks/{}"), ("POST", "/admin/tasks/{}/delete"),
                             ("GET", "/admin/plans/drafts/{}"), ("POST", "/admin/plans/drafts/{}/accept"),
                             ("POST", "/admin/plans/drafts/{}/discard"), ("GET", "/admin/groups/{}"),
                             ("POST", "/admin/groups/{}"), ("POST", "/admin/people/{}/admin")]:
            response = client.open(path.format(bad), method=method, data={"csrf_token": csrf, "title": "x", "admin": "1"})
            assert response.status_code == 404 and "没有这个页面" in response.get_data(as_text=True), (method, path, bad)
        merged = client.post("/admin/tasks/merge", data={"task": [bad, "1"], "csrf_token": csrf})
        assert merged.status_code == 302, bad
    feed = client.get("/admin/feed").get_data(as_text=True)
    school_feed = feed.split('value="http://localhost', 1)[1].split('"', 1)[0]
    for bad in HUGE_IDS:
        assert client.get(school_feed.replace(".ics", f"/{bad}.ics")).status_code == 404


def test_a_nul_anywhere_in_a_form_is_refused_in_chinese(database):
    client = create_app(settings_with(), database).test_client()
    sign_in(client)
    csrf = token(client, "/admin/terms")
    for path, form in [("/admin/terms/delete", {"name": "第一\x00学期"}), ("/admin/terms", {"name": "x", "original": "\x00"}),
                       ("/admin/tasks/merge", {"task": "1\x00"})]:
        refused = client.post(path, data={**form, "csrf_token": csrf})
        assert refused.status_code == 400 and "无效字符" in refused.get_data(as_text=True)


def test_the_merge_form_reads_only_ascii_digits(web, tmp_path):
    client, db = web
    sign_in(client)
    import_plan(client, tmp_path)
    before = len(plans.list_tasks(db, 1))
    for chosen in (["²", "1"], ["1", "1"], ["１", "2"]):
        merged = client.post("/admin/tasks/merge", data={"task": chosen, "csrf_token": token(client, "/admin/tasks")}, follow_redirects=True)
        assert merged.status_code == 200 and "请勾选两项任务" in merged.get_data(as_text=True)
    assert len(plans.list_tasks(db, 1)) == before


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31", "2100-01-01"])
@pytest.mark.parametrize("view", ["week", "month"])
def test_the_calendar_at_the_ends_of_time(web, day, view):
    client, _ = web
    sign_in(client)
    assert client.get(f"/admin/calendar?view={view}&day={day}").status_code == 200


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01", "2100-01-01"])
def test_a_holiday_outside_the_school_years_is_refused_in_chinese(web, start):
    client, _ = web
    sign_in(client)
    done = client.post("/admin/holidays", data={"start": start, "name": "假", "csrf_token": token(client, "/admin/terms")},
                       follow_redirects=True)
    assert done.status_code == 200 and "没有保存：日期要在 2000 年到 2099 年之间" in done.get_data(as_text=True)
    deleted = client.post("/admin/holidays/delete", data={"day": start, "csrf_token": token(client, "/admin/terms")})
    assert deleted.status_code == 400 and "日期要在" in deleted.get_data(as_text=True)


def test_a_task_at_the_end_of_time_is_refused_and_an_old_one_leaves_the_feed_working(web, tmp_path):
    client, db = web
    sign_in(client)
    import_plan(client, tmp_path)
    for start in ("9999-12-31", "0001-01-01"):
        refused = client.post("/admin/tasks/new", data={"title": "末日", "start": start, "csrf_token": token(client, "/admin/tasks/new")})
        assert refused.status_code == 400 and "日期要在 2000 年到 2099 年之间" in refused.get_data(as_text=True)
    task_edits.add_task(db, 1, TaskChange("早先存下的末日", date(9999, 12, 31), date(9999, 12, 31)))   # stored before the check
    page = client.get("/admin/feed").get_data(as_text=True)
    school_feed = page.split('value="http://localhost', 1)[1].split('"', 1)[0]
    feed = client.get(school_feed)
    assert feed.status_code == 200 and "末日" not in feed.get_data(as_text=True) and "家访" in feed.get_data(as_text=True)
    assert client.get("/admin/calendar?day=9999-12-31").status_code == 200 and client.get("/admin/tasks").status_code == 200


@pytest.mark.parametrize("rule", ["weekly:zz", "monthly:by²", "monthly:by99", "monthly:by0", "weekly:TUE,zz", "hourly"])
def test_a_rhythm_the_bot_cannot_read_is_refused_in_chinese(web, tmp_path, rule):
    client, db = web
    sign_in(client)
    import_plan(client, tmp_path)
    task = plans.list_tasks(db, 1)[0]
    form = {"title": task.title, "recurrence": rule, "csrf_token": token(client, f"/admin/tasks/{task.id}")}
    refused = client.post(f"/admin/tasks/{task.id}", data=form)
    assert refused.status_code == 400 and "重复规则看不懂" in refused.get_data(as_text=True)
    assert plans.get_task(db, task.id).recurrence == task.recurrence
    assert client.post("/admin/tasks/new", data={**form, "csrf_token": token(client, "/admin/tasks/new")}).status_code == 400
    kept = client.post(f"/admin/tasks/{task.id}", data={**form, "recurrence": "weekly:MON,WED"})
    assert kept.status_code == 302 and plans.get_task(db, task.id).recurrence == "weekly:MON,WED"


def test_a_rhythm_stored_before_the_check_does_not_take_the_task_list_down(web, tmp_path):
    client, db = web
    sign_in(client)
    import_plan(client, tmp_path)
    task_edits.add_task(db, 1, TaskChange("月度汇总", None, None, None, "monthly:by²"))
    page = client.get("/admin/tasks")
    assert page.status_code == 200 and "月度汇总" in page.get_data(as_text=True)
