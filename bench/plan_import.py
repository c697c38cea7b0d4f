"""Plan benchmarks: extraction throughput, and importing a 300-task plan into SQLite.

Targets (issues 2 and 10): ≥ 1 MB of plan text per second on one core, over every shared plan
(the samples and the development corpus); a 300-task import < 0.5 s.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bot.plan.extract import ExtractOptions, extract_plan, forget_cached_reads
from bot.plan.reading import read_plan_bytes
from bot.plan.schoolyear import SchoolYear
from bot.plan_import import _draft, import_file
from storage import plans
from storage.db import Database

ROOT = Path(__file__).resolve().parent.parent
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
SHARED_DEV = ROOT.parent / "shared" / "eval" / "dev"
OPTIONS = ExtractOptions(fallback_school_year=SchoolYear(2026))
ACTIVITIES = ["主题班会", "安全教育", "教研活动", "家长会", "作业检查", "读书分享", "升旗仪式", "体质测试", "校本培训", "社团展示"]


def plan_texts() -> dict[str, bytes]:
    sources = sorted(SHARED_SEEDS.glob("*.txt")) + sorted(SHARED_DEV.glob("*.txt"))
    sources.append(ROOT / "examples" / "sample_plan.txt")
    return {p.name: p.read_bytes() for p in sources}


def extraction_throughput(min_seconds: float = 3.0) -> dict:
    texts = plan_texts()
    size = sum(len(b) for b in texts.values())
    rounds, started = 0, time.perf_counter()
    while time.perf_counter() - started < min_seconds:
        for name, data in texts.items():
            forget_cached_reads()   # each plan read as if for the first time: the caches would flatter later rounds
            extract_plan(read_plan_bytes(data, name, 1 << 26), OPTIONS)
        rounds += 1
    elapsed = time.perf_counter() - started
    return {"files": len(texts), "bytes": size, "rounds": rounds, "mb_per_s": size * rounds / elapsed / 1e6}


def synthetic_plan(tasks: int, first_year: int = 2026) -> bytes:
    """A month table of `tasks` dated activities of the school year from `first_year`, as a school would list them."""
    lines = [f"示例小学{first_year}-{first_year + 1}学年工作计划", "四、月度工作安排"]
    months = [9, 10, 11, 12, 1, 2, 3, 4, 5, 6]
    per_month = -(-tasks // len(months))
    count = 0
    for month in months:
        lines.append(f"{month}月份")
        for i in range(per_month):
            if count == tasks:
                break
            day = i % 28 + 1
            lines.append(f"{i + 1}.{month}月{day}日 第{count + 1}次{ACTIVITIES[count % len(ACTIVITIES)]}")
            count += 1
    return "\n".join(lines).encode("utf-8")


def database_with_plan(tmp: str, settings, tasks: int = 300) -> Database:
    """A fresh SQLite database in `tmp` with a synthetic plan of `tasks` imported the app's own way."""
    plan = Path(tmp) / "plan.txt"
    plan.write_bytes(synthetic_plan(tasks))
    database = Database(f"sqlite:///{tmp}/bench.db")
    database.upgrade()
    import_file(plan, settings, database)
    return database


def import_300(repeats: int = 5) -> dict:
    document = read_plan_bytes(synthetic_plan(300), "plan.txt", 1 << 26)
    extraction = extract_plan(document, OPTIONS)
    incoming = plans.PlanImport("bench", "plan.txt", document.checksum, "2026-2027学年", "bench",
                                tuple(_draft(i) for i in extraction.items))
    first, again = [], []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            database = Database(f"sqlite:///{tmp}/bench.db")
            database.upgrade()
            school = plans.ensure_school(database, "示例小学")
            started = time.perf_counter()
            plans.replace_plan(database, school, incoming)
            first.append(time.perf_counter() - started)
            started = time.perf_counter()
            plans.replace_plan(database, school, incoming)
            again.append(time.perf_counter() - started)
            database.dispose()
    return {"tasks": len(extraction.items), "first_s": min(first), "reimport_s": min(again)}


def main() -> None:
    t = extraction_throughput()
    print(f"extraction: {t['files']} plans, {t['bytes'] / 1000:.0f} KB, {t['rounds']} rounds: "
          f"{t['mb_per_s']:.2f} MB/s (target >= 1 MB/s)")
    i = import_300()
    print(f"import into SQLite: {i['tasks']} tasks in {i['first_s'] * 1000:.0f} ms first time, "
          f"{i['reimport_s'] * 1000:.0f} ms re-import (target < 500 ms)")
