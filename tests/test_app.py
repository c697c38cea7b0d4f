"""The web app's factory and health check."""
from __future__ import annotations

from bot.app import create_app
from bot.config import load_settings
from storage.db import Database


def test_health_reports_the_database(sqlite_database):
    client = create_app(load_settings(None, environ={}), sqlite_database).test_client()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_health_says_when_the_database_is_unreachable():
    unreachable = Database("postgresql://nobody@127.0.0.1:1/none")
    client = create_app(load_settings(None, environ={}), unreachable).test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_the_app_loads_its_own_config_as_under_gunicorn(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCHOOLBOT_CONFIG", raising=False)
    monkeypatch.setenv("SCHOOLBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    assert create_app().test_client().get("/healthz").get_json() == {"status": "ok", "database": "ok"}
