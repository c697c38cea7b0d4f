"""`python -m bot plan …` as the office and our evaluators run it: the real command line (in this
process, see tests/commands.py), a real database file."""
from __future__ import annotations

import json

import pytest

from tests import commands
from tests.conftest import ROOT

SAMPLE_TXT = ROOT / "examples" / "sample_plan.txt"
SAMPLE_DOCX = ROOT / "examples" / "sample_plan.docx"


def run_bot(*args, config=None, cwd=ROOT):
    if config is not None:
        args += ("--config", config)
    return commands.run_bot(*args, cwd=cwd)


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(f"database: {{url: 'sqlite:///{tmp_path / 'bot.db'}'}}\nschool: {{name: 青禾小学}}\n", encoding="utf-8")
    return path


def test_extract_json_contract():
    result = run_bot("plan", "extract", SAMPLE_TXT, "--json")
    assert result.returncode == 0, result.stderr
    items = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"title", "start", "end", "recurrence", "term_anchor", "owner", "quote", "section"} <= set(items[0])
    assert all(item["quote"] in SAMPLE_TXT.read_text(encoding="utf-8") for item in items)
    sports = next(i for i in items if "运动会" in i["title"])
    assert (sports["start"], sports["end"]) == ("2026-10-14", "2026-10-16")


def test_extract_options_override_the_plan(tmp_path):
    plan = tmp_path / "p.txt"
    plan.write_text("工作计划\n第2周开展新生入学教育。\n12月份开展优质课评比。", encoding="utf-8")
    result = run_bot("plan", "extract", plan, "--json", "--school-year", "2030-2031", "--term-start", "2030-09-02")
    items = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(i["start"], i["end"]) for i in items] == [("2030-09-09", "2030-09-15"), ("2030-12-01", "2030-12-31")]


def test_import_prints_the_schedule_and_reimport_keeps_numbers(config):
    first = run_bot("plan", "import", SAMPLE_DOCX, config=config)
    assert first.returncode == 0, first.stderr
    assert "已导入《sample_plan》（2026-2027学年第一学期）" in first.stdout
    assert "#1 " in first.stdout and "秋季田径运动会" in first.stdout
    again = run_bot("plan", "import", SAMPLE_DOCX, config=config)
    assert "新增 0 项" in again.stdout
    assert first.stdout.splitlines()[1:] == again.stdout.splitlines()[1:]


def test_a_failed_import_leaves_the_old_plan(config, tmp_path):
    run_bot("plan", "import", SAMPLE_TXT, "--name", "计划", config=config)
    broken = tmp_path / "plan.docx"
    broken.write_bytes(b"this is not a word file")
    result = run_bot("plan", "import", broken, "--name", "计划", config=config)
    assert result.returncode == 1
    assert result.stderr.startswith("错误：") and len(result.stderr.strip().splitlines()) == 1
    again = run_bot("plan", "import", SAMPLE_TXT, "--name", "计划", config=config)
    assert "新增 0 项" in again.stdout


@pytest.mark.parametrize("content, message", [
    (b"", "空文件"),
    (bytes([0x80, 0xFF]) * 10, "编码"),
])
def test_bad_files_exit_non_zero_with_one_line(config, tmp_path, content, message):
    path = tmp_path / "plan.txt"
    path.write_bytes(content)
    result = run_bot("plan", "import", path, config=config)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_50_mb_file_is_refused(config, tmp_path):
    path = tmp_path / "plan.txt"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    result = run_bot("plan", "import", path, config=config)
    assert result.returncode == 1 and "超过 20 MB" in result.stderr


def test_a_plan_without_dates_is_imported_and_says_so(config, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("学校工作计划\n坚持立德树人，加强师德建设。", encoding="gbk")
    result = run_bot("plan", "import", path, config=config)
    assert result.returncode == 0
    assert "没有找到任何带日期" in result.stdout


def test_bad_config_is_a_clear_error(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("databse: {}\n", encoding="utf-8")
    result = run_bot("plan", "extract", SAMPLE_TXT, config=path)
    assert result.returncode != 0
    assert "unknown config key databse" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_upgrade(config):
    result = run_bot("db", "upgrade", config=config)
    assert result.returncode == 0 and "up to date" in result.stdout
