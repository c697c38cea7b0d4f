"""Shared fixtures: real databases (SQLite always, PostgreSQL when reachable) and paths."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage.db import Database, normalise_url

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# This machine runs PostgreSQL with trust auth; CI elsewhere may not.
POSTGRES_URL = os.environ.get("SCHOOLBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def shared_or_skip() -> Path:
    if not (SHARED / "eval").is_dir():
        pytest.skip("../shared is not beside the project (it holds the seeds and scorers)")
    return SHARED


@pytest.fixture
def sqlite_database(tmp_path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'bot.db'}")
    database.upgrade()
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    url = normalise_url(POSTGRES_URL)
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:  # any failure to connect means: no server here
        pytest.skip(f"no PostgreSQL reachable at {POSTGRES_URL} ({type(exc).__name__}); set SCHOOLBOT_TEST_POSTGRES_URL")
    return url


@pytest.fixture
def postgres_database(postgres_server_url) -> Database:
    """A fresh database per test, dropped afterwards."""
    name = f"schoolbot_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    database = Database(make_url(postgres_server_url).set(database=name).render_as_string(hide_password=False))
    database.upgrade()
    yield database
    database.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database(request) -> Database:
    return request.getfixturevalue(f"{request.param}_database")
