"""Which groups the bot can push into, and which of them get reminders. Pure.

A group robot's webhook reaches any group. Without one, the bot posts into a conversation itself:
on DingTalk through the enterprise robot, on WeCom through the 智能机器人's long connection, when
one is configured (`wecom_bot`, passed in); otherwise a WeCom group needs a group robot's webhook.
The WeCom app's one-to-one reminders (`by_app`) are a group of their own, reached through the app's API.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol, TypeVar


class GroupLike(Protocol):
    platform: str
    by_webhook: bool
    by_app: bool
    settings: Mapping


Group = TypeVar("Group", bound=GroupLike)


def reachable(group: GroupLike, wecom_bot: bool = False) -> bool:
    """Whether the bot can push into the group at all. wecom_bot: the 智能机器人 holds a long connection
    (settings.wecom_bot.long_connection), so it can post into the WeCom groups it is in."""
    return group.by_webhook or group.by_app or group.platform == "dingtalk" or (group.platform == "wecom" and wecom_bot)


def reminders_on(group: GroupLike, wecom_bot: bool = False) -> bool:
    """Webhook groups were configured to get reminders (until switched off); any other reachable
    group gets them only once an admin switched them on (“开启提醒”)."""
    if group.by_webhook:
        return group.settings.get("enabled", True) is not False
    return reachable(group, wecom_bot) and group.settings.get("enabled") is True


def receiving(groups: Iterable[Group], wecom_bot: bool = False) -> list[Group]:
    """The groups reminders go to, in the order given."""
    return [g for g in groups if reminders_on(g, wecom_bot)]
