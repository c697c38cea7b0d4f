"""The typed config: YAML, environment overrides, and clear errors."""
from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from bot.config import PROJECT_ROOT, ConfigError, load_settings
from bot.task_dates import term_for

EXAMPLE = PROJECT_ROOT / "config.example.yaml"


def write(tmp_path, text: str):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file():
    settings = load_settings(None, environ={})
    assert settings.timezone == "Asia/Shanghai"
    assert settings.database.url.startswith("sqlite:///")
    assert settings.database.resolved_url() == f"sqlite:///{PROJECT_ROOT / 'data' / 'schoolbot.db'}"


def test_the_example_config_loads_and_documents_every_key():
    settings = load_settings(EXAMPLE, environ={})
    text = EXAMPLE.read_text(encoding="utf-8")
    for key in ("database:", "url:", "timezone:", "school:", "name:", "terms:", "start:", "end:", "plan:", "max_file_mb:"):
        assert key in text
    assert settings.school.terms and settings.school.terms[0].start < settings.school.terms[0].end


def test_yaml_values_are_typed(tmp_path):
    settings = load_settings(write(tmp_path, """
school:
  name: 青禾小学
  terms:
    - {name: 第一学期, start: 2026-09-01, end: 2027-01-22}
plan: {max_file_mb: 5}
"""), environ={})
    assert settings.school.terms[0].start == date(2026, 9, 1)
    assert settings.plan.max_file_mb == 5
    assert term_for(settings.school.terms, date(2026, 10, 1)).name == "第一学期"
    assert term_for(settings.school.terms, date(2027, 3, 1)) is None


def test_environment_overrides_every_key(tmp_path):
    settings = load_settings(write(tmp_path, "timezone: Asia/Shanghai\n"), environ={
        "SCHOOLBOT_DATABASE_URL": "postgresql://bot@db/bot",
        "SCHOOLBOT_TIMEZONE": "Asia/Urumqi",
        "SCHOOLBOT_SCHOOL_NAME": "青禾小学",
        "SCHOOLBOT_SCHOOL_TERMS": '[{"name": "春季", "start": "2027-02-22", "end": "2027-07-05"}]',
        "SCHOOLBOT_PLAN_MAX_FILE_MB": "3",
    })
    assert settings.database.url == "postgresql://bot@db/bot"
    assert settings.timezone == "Asia/Urumqi"
    assert settings.school.name == "青禾小学"
    assert settings.school.terms[0].end == date(2027, 7, 5)
    assert settings.plan.max_file_mb == 3


def test_config_path_from_environment(tmp_path):
    path = write(tmp_path, "school: {name: 环境小学}\n")
    assert load_settings(None, environ={"SCHOOLBOT_CONFIG": str(path)}).school.name == "环境小学"


@pytest.mark.parametrize("text, message", [
    ("databse: {url: x}", "unknown config key databse"),
    ("school: {terms: [{name: a, start: 2026-13-01, end: 2027-01-01}]}", "invalid value: month must be in 1..12"),
    ("school: {terms: [{name: a, start: soon, end: 2027-01-01}]}", "school.terms[0].start must be a date"),
    ("school: {terms: [{name: a, start: 2027-01-01, end: 2026-09-01}]}", "ends before it starts"),
    ("timezone: Mars/Olympus", "not a known time zone"),
    ("plan: {max_file_mb: lots}", "plan.max_file_mb must be int"),
    ("- a list", "mapping at the top level"),
    ("key: [unclosed", "not valid YAML"),
])
def test_bad_config_says_which_key(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_settings(write(tmp_path, text), environ={})


def test_settings_are_frozen():
    settings = load_settings(None, environ={})
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.timezone = "UTC"
