"""Understanding and answering in-process: messages parsed per second, and milliseconds per answer
on a 300-task plan in SQLite, for the kinds of question teachers ask (no HTTP, one thread)."""
from __future__ import annotations

import json
import statistics
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.plan_import import database_with_plan
from bot.config import SchoolSettings, Settings, Term
from bot.dispatch import Dispatcher
from bot.messages import IncomingMessage
from bot.understanding import parse

ROOT = Path(__file__).resolve().parent.parent
PHRASINGS = [ROOT / "tests" / "fixtures" / "utterances.jsonl", ROOT / "tests" / "fixtures" / "chat_phrasings.jsonl"]
QUESTIONS = ["本周有什么任务", "下周三有什么活动", "运动会什么时候", "本周教务处有什么任务", "这周有什么要交的",
             "期中质量检测", "这学期还有哪些大活动", "现在是第几周", "例行"]
ROUNDS = 20
TZ = ZoneInfo("Asia/Shanghai")


def parse_rate() -> None:
    cases = [json.loads(line) for path in PHRASINGS if path.exists() for line in path.open(encoding="utf-8") if line.strip()]
    days = [date.fromisoformat(c["today"]) for c in cases]
    started = time.perf_counter()
    for _ in range(ROUNDS):
        for case, today in zip(cases, days, strict=True):
            parse(case["text"], today)
    elapsed = time.perf_counter() - started
    print(f"parse: {len(cases) * ROUNDS / elapsed:,.0f} messages/s over {len(cases)} phrasings x {ROUNDS}")


def answer_times() -> None:
    settings = Settings(school=SchoolSettings(name="基准学校", terms=(Term("第一学期", date(2026, 9, 1), date(2027, 1, 22)),)))
    with tempfile.TemporaryDirectory() as tmp:
        database = database_with_plan(tmp, settings)
        dispatcher = Dispatcher(settings, database)
        sent = datetime(2026, 10, 13, 9, tzinfo=TZ)
        n = 0
        for question in QUESTIONS:
            times = []
            for _ in range(ROUNDS):
                n += 1
                started = time.perf_counter()
                dispatcher.handle(IncomingMessage("console", f"b{n}", "c", "u", "王老师", question, sent))
                times.append((time.perf_counter() - started) * 1000)
            print(f"answer {question!r}: median {statistics.median(times):.1f} ms, max {max(times):.1f} ms")


def main() -> None:
    print("== chat in-process: parse rate, answer times on a 300-task plan (SQLite) ==")
    parse_rate()
    answer_times()


if __name__ == "__main__":
    main()
