"""Which groups the bot can push into, and which of them get reminders. Pure.

A group robot's webhook reaches any group. Without one, only DingTalk's enterprise robot can post
into a conversation: WeCom reaches ordinary groups only through a group robot's webhook.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol, TypeVar


class GroupLike(Protocol):
    platform: str
    by_webhook: bool
    settings: Mapping


Group = TypeVar("Group", bound=GroupLike)


def reachable(group: GroupLike) -> bool:
    """Whether the bot can push into the group at all: a WeCom group needs its robot's webhook."""
    return group.by_webhook or group.platform == "dingtalk"


def reminders_on(group: GroupLike) -> bool:
    """Webhook groups were configured to get reminders (until switched off); any other reachable
    group gets them only once an admin switched them on (“开启提醒”)."""
    if group.by_webhook:
        return group.settings.get("enabled", True) is not False
    return reachable(group) and group.settings.get("enabled") is True


def receiving(groups: Iterable[Group]) -> list[Group]:
    """The groups reminders go to, in the order given."""
    return [g for g in groups if reminders_on(g)]
