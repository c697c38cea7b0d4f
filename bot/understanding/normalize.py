"""Clean a chat message before reading it: @mentions, full-width forms, emoji, spacing."""
from __future__ import annotations

import re
import unicodedata

import opencc

TRADITIONAL_TO_SIMPLIFIED = opencc.OpenCC("t2s")   # built once: its dictionaries load in a few ms
MENTION = re.compile(r"@\S+?(?:\s|$)|@\S+$")
# Emoji and pictographs, variation selectors, zero-width joiners.
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D\u2B00-\u2BFF]")
SPACES = re.compile(r"[^\S\n]+")
LINE_BREAKS = re.compile(r"\s*\n\s*")   # kept: one report a line ("完成 12\n完成 13")
# Markup a teacher might type (or paste) would be echoed into replies the group sees: none of it means anything here.
HTML_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
MARKUP = re.compile(r"[*_`\[\]<>|^\\]")
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def normalize(text: str, bot_names: tuple[str, ...] = ()) -> str:
    text = unicodedata.normalize("NFKC", text or "")   # １２ → 12, ＃ → #, ？ → ?
    text = TRADITIONAL_TO_SIMPLIFIED.convert(text)     # 下週有什麼活動 → 下周有什么活动
    for name in bot_names:
        text = text.replace(f"@{name}", " ")
    text = MENTION.sub(" ", text)
    text = EMOJI.sub("", CONTROL.sub(" ", MARKUP.sub(" ", HTML_TAG.sub(" ", text))))
    return LINE_BREAKS.sub("\n", SPACES.sub(" ", text)).strip()
