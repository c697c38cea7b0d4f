"""Failures at the edge of a send are outcomes, never exceptions that strand a row: a sender that raises
is a push to retry, and a response_url WeCom never received leaves the message to be answered again."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
import requests

from bot.config import DingTalkSettings, WeComBotSettings
from bot.messages import IncomingMessage, Reply
from bot.platforms.dingtalk_api import DingTalkApi
from bot.platforms.wecom_bot import ResponseUrl
from bot.reminders.sending import _Channel
from bot.routes.wecom_bot import ResponseUrlResponder
from storage.chats import ReminderGroupRow
from tests.servers import free_port

REPLY = Reply("本周任务", "#### 本周任务\n- 周三 教研活动")


def test_a_chat_push_that_raises_is_a_push_to_retry():
    class SocketClosedMidSend:
        def connected(self) -> bool:
            return True

        def send_to_chat(self, chat_id: str, reply: Reply) -> bool:
            raise ConnectionResetError("closed while sending")

    channel = _Channel(requests.Session(), DingTalkApi(DingTalkSettings(), requests.Session()), SocketClosedMidSend())
    group = ReminderGroupRow(1, 1, "wecom", "三年级组", None, None, "wr-grade3", {"enabled": True})

    result = channel.push(group, REPLY)

    assert not result.ok and result.retry and result.error == "ConnectionResetError"


def test_a_response_url_wecom_never_received_is_raised_for_the_inbox_to_retry():
    base = f"http://127.0.0.1:{free_port()}"    # nothing listens: the POST never reaches WeCom
    responder = ResponseUrlResponder(WeComBotSettings(mode="webhook", response_url_base=base), requests.Session())
    message = IncomingMessage("wecom", "m-1", "wr-grade3", "zhang", "", "本周有什么任务", datetime.now(timezone.utc),
                              reply_target=ResponseUrl(f"{base}/cgi-bin/aibot/response?code=one-use"))

    with pytest.raises(requests.ConnectionError):
        responder.deliver(message, REPLY)
