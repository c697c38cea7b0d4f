"""The status card under a DingTalk reminder: 已完成 · 进行中 · 有困难, on DingTalk's card platform (卡片平台).

Pure wire parts: the body of POST /v1.0/card/instances/createAndDeliver, the tap a card callback
carries (Stream topic /v1.0/card/instances/callback, or the HTTP card callback), and the body of
PUT /v1.0/card/instances that shows the new tally. The template itself is status_card_template.json.

A card's outTrackId is ours: `sb-<ledger row>-<openConversationId>`, so a tap names its group.
A button's params carry the task number and the state; who tapped is the callback's userId, never a param.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from bot.messages import Reply
from bot.texts.chat import STATUS_VERBS

STATES = ("done", "doing", "blocked")            # the three buttons, left to right
TRACK_PREFIX = "sb"
TOPIC = "/v1.0/card/instances/callback"


@dataclass(frozen=True)
class CardTap:
    event_id: str          # the platform's id of this delivery of the tap, for dropping a redelivery
    out_track_id: str
    conversation_id: str
    user_id: str           # the tapper, as DingTalk names them (staffId)
    task_number: int
    state: str

    @property
    def words(self) -> str:
        """The chat message the tap stands for: "完成 12"."""
        return f"{STATUS_VERBS[self.state]} {self.task_number}"


def out_track_id(delivery_id: int, conversation_id: str) -> str:
    return f"{TRACK_PREFIX}-{delivery_id}-{conversation_id}"


def card_params(reply: Reply, task_number: int, tally: str) -> dict[str, str]:
    """The template's variables; the card platform takes strings only."""
    return {"title": reply.title, "markdown": reply.markdown, "task": str(task_number), "tally": tally, "my_state": ""}


def deliver_body(template_id: str, robot_code: str, conversation_id: str, track_id: str, params: dict[str, str],
                 callback: str = "STREAM", route_key: str = "", at_users: dict[str, str] | None = None) -> dict:
    """Create the card and put it in the group, in one call, as the enterprise robot; at_users
    (staffId → name) are @-ed for real, which groupMessages/send cannot do."""
    body = {
        "cardTemplateId": template_id,
        "outTrackId": track_id,
        "callbackType": callback,
        "cardData": {"cardParamMap": params},
        "openSpaceId": f"dtv1.card//IM_GROUP.{conversation_id}",
        "imGroupOpenSpaceModel": {"supportForward": False},
        "imGroupOpenDeliverModel": {"robotCode": robot_code, **({"atUserIds": at_users} if at_users else {})},
        "userIdType": 1,
    }
    if callback == "HTTP" and route_key:
        body["callbackRouteKey"] = route_key
    return body


def update_body(track_id: str, tally: str, user_id: str, my_state: str) -> dict:
    """The tally for everyone, the tapper's own state for them alone."""
    return {
        "outTrackId": track_id,
        "cardData": {"cardParamMap": {"tally": tally}},
        "privateData": {user_id: {"cardParamMap": {"my_state": my_state}}},
        "cardUpdateOptions": {"updateCardDataByKey": True, "updatePrivateDataByKey": True},
        "userIdType": 1,
    }


def callback_answer(notice: str) -> dict:
    """What the callback answers: a line only the tapper sees on the card."""
    return {"cardUpdateOptions": {"updatePrivateDataByKey": True},
            "userPrivateData": {"cardParamMap": {"my_state": notice}}}


def parse_tap(data: object, event_id: str) -> CardTap:
    """A card callback's payload as a tap; ValueError for anything else (another card, a forged key)."""
    if not isinstance(data, dict) or not event_id:
        raise ValueError("not a card callback")
    user_id, track = data.get("userId"), data.get("outTrackId")
    if not isinstance(user_id, str) or not user_id or not isinstance(track, str):
        raise ValueError("no tapper or card")
    prefix, _, rest = track.partition("-")
    row, _, conversation = rest.partition("-")
    if prefix != TRACK_PREFIX or not row.isdigit() or not conversation:
        raise ValueError("not our card")
    params = _params(data.get("content"))
    task, state = str(params.get("task", "")), params.get("state")
    if not task.isdigit() or len(task) > 5 or state not in STATES:
        raise ValueError("not a status button")
    return CardTap(event_id[:150], track, conversation, user_id[:100], int(task), state)


def _params(content: object) -> dict:
    if isinstance(content, str):
        content = json.loads(content)    # ValueError when it is not JSON
    private = content.get("cardPrivateData") if isinstance(content, dict) else None
    params = private.get("params") if isinstance(private, dict) else None
    if not isinstance(params, dict):
        raise ValueError("no button params")
    return params
