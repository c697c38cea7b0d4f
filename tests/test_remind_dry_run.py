"""`python -m bot remind --dry-run` prints what a pass would send and records nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from storage.models import ReminderDelivery
from tests.commands import run_bot
from tests.conftest import ROOT


def test_a_dry_run_lists_the_digest_and_records_nothing(sqlite_database, tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text(
        f"database: {{url: '{sqlite_database.url}'}}\n"
        "school: {name: 青禾小学, terms: [{name: 第一学期, start: 2026-09-01, end: 2027-01-22}]}\n"
        "groups: [{name: 全体教师群, platform: dingtalk, webhook: 'http://127.0.0.1:9/robot/send?access_token=t'}]\n",
        encoding="utf-8")
    imported = run_bot("plan", "import", ROOT / "examples" / "sample_plan.docx", "--config", config)
    assert imported.returncode == 0, imported.stderr

    ran = run_bot("remind", "--dry-run", "--now", "2026-10-12T07:31:00+08:00", "--config", config)

    assert ran.returncode == 0, ran.stderr
    assert "would be sent" in ran.stdout and "全体教师群" in ran.stdout
    with sqlite_database.read() as session:
        assert session.scalar(select(func.count()).select_from(ReminderDelivery)) == 0
