"""The words of time, as data: numerals, weekdays, parts of a month, days relative to today."""
from __future__ import annotations

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
WEEKDAY_CODES = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
# 周一…周日 / 星期天 / 礼拜七; digits as teachers type them in chat ("周3").
WEEKDAY_CHARS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
WEEKDAY_DIGITS = {"1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
# Parts of a month: first and last day (None: the month's last day).
MONTH_PARTS = {
    "上旬": (1, 10), "初": (1, 10), "中旬": (11, 20), "中下旬": (11, None),
    "下旬": (21, None), "底": (21, None), "末": (21, None),
}
MONTH_PART_WORDS = "上旬|中旬|下旬|中下旬|初|底|末"
# Days counted from today, the way teachers type them.
RELATIVE_DAYS = {
    "今天": 0, "今日": 0, "今儿": 0, "今儿个": 0, "明天": 1, "明日": 1, "明儿": 1, "明儿个": 1,
    "后天": 2, "后儿": 2, "后儿个": 2, "大后天": 3, "昨天": -1, "前天": -2,
    "today": 0, "tomorrow": 1, "yesterday": -1,
}
# "this week", "next week": the English that teachers mix in, as week shifts.
ENGLISH_WEEKS = {"this": 0, "next": 1, "last": -1}


def cn_number(text: str) -> int:
    """12, 十二, 二十一, 三十 → int."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)
    return CN_DIGITS[text]


def weekday_index(word: str) -> int:
    """一 / 日 / 3 → 0…6 (Monday first)."""
    return WEEKDAY_CHARS[word] if word in WEEKDAY_CHARS else WEEKDAY_DIGITS[word]
