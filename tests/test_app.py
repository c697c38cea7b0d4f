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
