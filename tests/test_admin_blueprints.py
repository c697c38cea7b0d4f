"""The office's pages as module-level blueprints over one extension object: each request looks the
school up once, reading, and the everyday pages take no write lock."""
from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from bot.admin.extension import EXTENSION, Office
from bot.app import create_app
from bot.config import RobotGroup, Settings
from storage import chats, plans
from storage.db import Database
from tests.test_admin_web import import_plan, settings_with, sign_in

PAGES = ["/admin/", "/admin/board", "/admin/tasks", "/admin/calendar", "/admin/groups", "/admin/people",
         "/admin/terms", "/admin/school", "/admin/login"]


@contextmanager
def watched(db: Database):
    """What one stretch of work says to the database: its BEGINs, and its look-ups of the pinned school."""
    seen = {"BEGIN IMMEDIATE": 0, "BEGIN": 0, "home school look-ups": 0}

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement in ("BEGIN", "BEGIN IMMEDIATE"):
            seen[statement] += 1
        values = parameters.values() if isinstance(parameters, dict) else (parameters or ())
        if "office_setting" in statement and plans.HOME_SCHOOL in values:
            seen["home school look-ups"] += 1

    engines = {db.engine, db.read_engine}   # (SQLite's reads have an engine of their own)
    for engine in engines:
        event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", before)


@pytest.fixture
def office_pages(sqlite_database, tmp_path):
    """Signed in, with a plan and a robot group, so the home page plans reminders and tallies groups."""
    settings = Settings(school=settings_with().school, admin_web=settings_with().admin_web,
                        groups=(RobotGroup("全体教师群", "dingtalk", "http://127.0.0.1:9/robot/send?access_token=t"),))
    app = create_app(settings, sqlite_database)
    client = app.test_client()
    sign_in(client)
    import_plan(client, tmp_path)
    chats.sync_robot_groups(sqlite_database, plans.pinned_school(sqlite_database)[0], settings.groups)
    return app, client, sqlite_database


@pytest.mark.parametrize("path", PAGES)
def test_a_page_takes_no_write_lock_and_looks_the_school_up_once(office_pages, path):
    _, client, db = office_pages
    with watched(db) as seen:
        page = client.get(path)
    assert page.status_code == 200, path
    assert seen["BEGIN IMMEDIATE"] == 0, seen
    assert seen["home school look-ups"] == 1, seen
    assert seen["BEGIN"] > 0   # it did read, through read()


def test_the_feeds_write_only_to_make_the_first_token_and_install_id(office_pages):
    _, client, db = office_pages
    with watched(db) as first:
        feed = school_feed(client.get("/admin/feed"))
    with watched(db) as again:
        assert school_feed(client.get("/admin/feed")) == feed      # the same token, read
    assert first["BEGIN IMMEDIATE"] == 1 and again["BEGIN IMMEDIATE"] == 0
    assert client.get(feed).status_code == 200          # the install's id is drawn, once
    with watched(db) as subscribed:
        assert client.get(feed).status_code == 200
        assert client.get(feed.replace(".ics", "/routine.ics")).status_code == 200
    assert subscribed["BEGIN IMMEDIATE"] == 0


def school_feed(page) -> str:
    return re.search(r"http://localhost(/feed/[A-Za-z0-9_-]+\.ics)", page.get_data(as_text=True)).group(1)


def test_the_full_home_school_runs_once_per_process_then_the_pin_is_read(office_pages, monkeypatch):
    app, client, _ = office_pages
    full = []
    real = Office.sync_home
    monkeypatch.setattr(Office, "sync_home", lambda self: full.append(1) or real(self))
    client.get("/admin/")
    assert full == []                                 # create_app brought the config's school in already
    app.extensions[EXTENSION].home_synced = False     # as when the database was down at start-up
    client.get("/admin/")
    client.get("/admin/tasks")
    assert full == [1]


def test_a_rename_shows_on_the_next_page(office_pages):
    _, client, _ = office_pages
    form = client.get("/admin/school").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    page = client.post("/admin/school", data={"school_name": "青禾实验小学", "csrf_token": csrf}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "学校名称已改为“青禾实验小学”" in text and "校务助手 · 青禾实验小学" in text


def test_two_apps_in_one_process_keep_their_own_settings_and_database(tmp_path):
    """The blueprints are shared module-level objects; what they serve comes from each app's extension."""
    clients = []
    for name in ("甲校", "乙校"):
        db = Database(f"sqlite:///{tmp_path / name}.db")
        db.upgrade()
        settings = settings_with()
        settings = Settings(school=type(settings.school)(name=name, terms=settings.school.terms), admin_web=settings.admin_web)
        clients.append((name, create_app(settings, db).test_client(), db))
    for name, client, db in clients:
        assert f"校务助手 · {name}" in client.get("/admin/login").get_data(as_text=True)
        assert plans.school_name(db, plans.pinned_school(db)[0]) == name
    for _, _, db in clients:
        db.dispose()
