"""The WeCom AI bot's wire format (接收消息, document/path/100719), its reply bodies, its settings,
and its reply targets surviving the inbox. No HTTP: tests/test_wecom_bot_webhook.py has that."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.app import reply_bytes
from bot.config import ConfigError, load_settings
from bot.inbox import NotDeliverableHere, decode, encode
from bot.messages import IncomingMessage, Mention, Reply
from bot.platforms import dingtalk, wecom
from bot.platforms.dingtalk import SessionWebhook
from bot.platforms.wecom_bot import (AibotFrame, ResponseUrl, markdown_body, parse_message, send_body,
                                     stream_body)
from bot.routes.wecom_bot import WeComLateDelivery

FRAME = AibotFrame("req-1")


def body(**fields) -> dict:
    """The doc's text message in a group, with `fields` changed."""
    base = {"msgid": "CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=", "aibotid": "AIBOTID", "chatid": "CHATID", "chattype": "group",
            "from": {"userid": "zhangsan"}, "response_url": "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=X",
            "msgtype": "text", "text": {"content": "@校务助手 本周有什么任务"}}
    return {**base, **fields}


def test_a_group_message_loses_its_leading_mention():
    message = parse_message(body(), FRAME)
    assert (message.platform, message.msg_id, message.chat_id, message.sender_id) == ("wecom", "CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=", "CHATID", "zhangsan")
    assert message.is_group and message.text == "本周有什么任务" and message.reply_target == FRAME
    assert message.sender_name == "" and message.quoted_text == ""


@pytest.mark.parametrize("content, text", [
    ("@校务助手\u2005完成 12", "完成 12"),             # the space WeCom puts after a mention
    ("@校务助手 @张老师 完成 12", "完成 12"),           # every leading mention
    ("  @校务助手", ""),
    ("完成 12 @校务助手", "完成 12 @校务助手"),         # only leading ones: the rest is the understanding's
    ("@校务助手", ""),                                  # only the mention: the dispatcher says how to ask
    ("me@school.cn 帮助", "me@school.cn 帮助"),
])
def test_mentions_removed(content, text):
    assert parse_message(body(text={"content": content}), FRAME).text == text


def test_a_one_to_one_message_is_the_senders_chat():
    single = body(chattype="single", text={"content": "帮助"})
    del single["chatid"]
    message = parse_message(single, ResponseUrl("https://x"))
    assert (message.chat_id, message.is_group, message.text) == ("zhangsan", False, "帮助")


def test_mixed_messages_keep_their_text_parts():
    mixed = body(msgtype="mixed", mixed={"msg_item": [
        {"msgtype": "text", "text": {"content": "@校务助手 完成 12"}},
        {"msgtype": "image", "image": {"url": "https://x/pic"}},
        {"msgtype": "text", "text": {"content": "照片如上"}}]})
    assert parse_message(mixed, FRAME).text == "完成 12\n照片如上"
    pictures_only = body(msgtype="mixed", mixed={"msg_item": [{"msgtype": "image", "image": {"url": "u"}}]})
    assert parse_message(pictures_only, FRAME) is None


@pytest.mark.parametrize("quote, quoted", [
    ({"msgtype": "text", "text": {"content": "12 明天交"}}, "12 明天交"),
    ({"msgtype": "mixed", "mixed": {"msg_item": [{"msgtype": "text", "text": {"content": "甲"}},
                                                  {"msgtype": "image", "image": {"url": "u"}}]}}, "甲"),
    ({"msgtype": "voice", "voice": {"content": "语音转的字"}}, "语音转的字"),
    ({"msgtype": "image", "image": {"url": "u"}}, ""),
    ("not an object", ""),
])
def test_a_quote_is_the_quoted_text(quote, quoted):
    assert parse_message(body(quote=quote), FRAME).quoted_text == quoted


@pytest.mark.parametrize("kind", ["image", "voice", "file", "stream", "event", "video", "", None, 7])
def test_kinds_the_bot_does_not_answer(kind):
    assert parse_message(body(msgtype=kind), FRAME) is None


@pytest.mark.parametrize("broken", [
    None, [], "text", body(msgid=""), body(msgid=None), body(**{"from": {}}), body(**{"from": "zhangsan"}),
    body(chatid=""), body(chatid=["CHATID"]),
])
def test_malformed_messages_raise_value_error(broken):
    if isinstance(broken, dict) and broken.get("chatid") == "":
        del broken["chatid"]
    with pytest.raises(ValueError):
        parse_message(broken, FRAME)


def test_fields_of_the_wrong_type_read_as_empty():
    message = parse_message(body(text={"content": ["x"]}, quote={"msgtype": "text", "text": 5}, create_time="soon"), FRAME)
    assert (message.text, message.quoted_text) == ("", "")
    assert abs((message.sent_at - datetime.now(timezone.utc)).total_seconds()) < 60


def test_create_time_is_when_it_was_sent():
    assert parse_message(body(create_time=1767225600), FRAME).sent_at == datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_reply_bodies():
    reply = Reply("本周", "#### 本周\n- #24 优质课", mention_sender=True)
    assert markdown_body(reply) == {"msgtype": "markdown", "markdown": {"content": "#### 本周\n- #24 优质课"}}
    assert markdown_body(reply, "zhangsan")["markdown"]["content"] == "#### 本周\n- #24 优质课\n<@zhangsan>"
    assert markdown_body(Reply("t", "x"), "zhangsan")["markdown"]["content"] == "x"   # no @ unless the reply asks
    assert send_body("CHATID", reply) == {"chatid": "CHATID", "msgtype": "markdown", "markdown": {"content": "#### 本周\n- #24 优质课"}}
    assert stream_body(reply, "s-1") == {"msgtype": "stream", "stream": {"id": "s-1", "finish": True, "content": "#### 本周\n- #24 优质课"}}


def test_mentions_are_tags_once_each_and_the_size_is_kept():
    reply = Reply("t", "请交", mention_sender=True, mentions=(Mention("李", user_id="lisi"), Mention("张", user_id="zhangsan"), Mention("无")))
    assert markdown_body(reply, "zhangsan")["markdown"]["content"] == "请交\n<@zhangsan> <@lisi>"
    long = markdown_body(Reply("t", "任" * 3000))["markdown"]["content"]
    assert len(long.encode()) <= 4096 and long == "任" * 1365


def test_response_urls_are_trusted_on_the_configured_host_only():
    base = "https://qyapi.weixin.qq.com"
    assert ResponseUrl("https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=X").trusted(base)
    for url in ("http://qyapi.weixin.qq.com/x", "https://qyapi.weixin.qq.com.evil.cn/x", "https://u@qyapi.weixin.qq.com/x",
                "https://qyapi.weixin.qq.com:444/x", "", "https://[::1", "/cgi-bin/aibot/response"):
        assert not ResponseUrl(url).trusted(base), url


@pytest.mark.parametrize("target", [ResponseUrl("https://qyapi.weixin.qq.com/r?c=1"), AibotFrame("aibot_msg_callback_1_x"),
                                    SessionWebhook("https://oapi.dingtalk.com/robot/sendBySession?session=s", 99), None])
def test_reply_targets_survive_the_inbox(target):
    message = IncomingMessage("wecom", "m1", "CHATID", "zhangsan", "", "帮助", datetime.now(timezone.utc), reply_target=target)
    restored = decode(encode(message)).reply_target
    assert vars(restored) == vars(target) if isinstance(target, SessionWebhook) else restored == target


def test_answers_for_the_bot_get_the_dingtalk_budget():
    message = IncomingMessage("wecom", "m1", "c", "u", "", "", datetime.now(timezone.utc))
    assert reply_bytes(message) == wecom.REPLY_BYTES   # the app's text replies
    for target in (ResponseUrl("u"), AibotFrame("r")):
        assert reply_bytes(IncomingMessage("wecom", "m1", "c", "u", "", "", datetime.now(timezone.utc), reply_target=target)) == dingtalk.REPLY_BYTES


def test_late_answers_go_the_way_their_message_came():
    sent = []
    late = WeComLateDelivery(lambda message, reply: sent.append(("app", message.msg_id)))
    late.bot[ResponseUrl] = lambda message, reply: sent.append(("response_url", message.msg_id))
    now = datetime.now(timezone.utc)
    for msg_id, target in (("a", "ww-corp"), ("b", ResponseUrl("u"))):
        late(IncomingMessage("wecom", msg_id, "c", "u", "", "", now, reply_target=target), Reply("t", "x"))
    with pytest.raises(NotDeliverableHere):   # no long connection running here: c stays queued, not sent elsewhere
        late(IncomingMessage("wecom", "c", "c", "u", "", "", now, reply_target=AibotFrame("r")), Reply("t", "x"))
    assert sent == [("app", "a"), ("response_url", "b")]


def test_settings_from_the_environment():
    settings = load_settings(environ={"SCHOOLBOT_CONFIG": "/dev/null", "SCHOOLBOT_WECOM_BOT_BOT_ID": "bot-1",
                                      "SCHOOLBOT_WECOM_BOT_SECRET": "s3cret", "SCHOOLBOT_WECOM_BOT_MODE": "webhook",
                                      "SCHOOLBOT_WECOM_BOT_TOKEN": "tok",
                                      "SCHOOLBOT_WECOM_BOT_ENCODING_AES_KEY": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"})
    bot = settings.wecom_bot
    assert (bot.bot_id, bot.secret, bot.mode, bot.token, bot.ws_url) == ("bot-1", "s3cret", "webhook", "tok", "wss://openws.work.weixin.qq.com")
    assert {"s3cret", "tok", bot.encoding_aes_key} <= set(settings.secret_values())
    assert load_settings(environ={"SCHOOLBOT_CONFIG": "/dev/null"}).wecom_bot.mode == "websocket"


@pytest.mark.parametrize("environ, says", [
    ({"SCHOOLBOT_WECOM_BOT_MODE": "stream"}, "wecom_bot.mode"),
    ({"SCHOOLBOT_WECOM_BOT_MODE": "webhook", "SCHOOLBOT_WECOM_BOT_TOKEN": "tok"}, "wecom_bot.encoding_aes_key"),
    ({"SCHOOLBOT_WECOM_BOT_ENCODING_AES_KEY": "short"}, "wecom_bot.encoding_aes_key"),
])
def test_bad_settings_are_refused(environ, says):
    with pytest.raises(ConfigError, match=says):
        load_settings(environ={"SCHOOLBOT_CONFIG": "/dev/null", **environ})
