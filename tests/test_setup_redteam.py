"""Red-team review of first-run set-up and the school's settings: taking the install over before and
after set-up, secrets in logs and pages, hostile input on the new pages, kills between the steps of
set-up, several workers on one database.

The first part holds the defects the review found (each failed before its fix); the second, the
defences that held already.
"""
from __future__ import annotations

import logging
import random
import threading
from datetime import date, datetime

import pytest
from flask import got_request_exception
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from bot import holiday_years, office_setup, schools
from bot.admin import setup_views
from bot.app import create_app
from bot.config import AdminWebSettings, RobotGroup, SchoolSettings, Settings, Term
from storage import chats, office_settings, plans, school_calendar
from storage.db import Database
from storage.models import Task
from tests import commands
from tests.conftest import ROOT
from tests.test_admin_web import PASSWORD, import_plan, settings_with, sign_in, token, upload
from tests.test_office_setup import NEW_PASSWORD, _Frozen, setup_form, unconfigured

HOSTILE = ["<script>alert(1)</script>", "\"'><img src=x onerror=alert(2)>", "');alert(3);//", "x" * 5000, "令牌", "",
           " ", "\u202e\ufeff", "0001-01-01", "9999-12-31", "2026-02-30", "1999-12-31", "2100-01-01", "٣", "²", "-1",
           "9" * 40, "'; DROP TABLE term; --", "2027-01-01 至 2026-01-01", "2027-01-01 至 2027-12-31",
           "2027-02-30 春节", "2027-01-01 元旦\n\n2027-02-10 至 2027-02-17 春节", "null", "[]", "0x10", "１２３４-５６７８"]
PAYLOAD = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>');alert(3);//"
RAW_MARKERS = ("<script>alert", "<img src=x", "');alert(3)")
TWO_TERMS = (Term("秋季学期", date(2026, 9, 1), date(2027, 1, 22)), Term("春季学期", date(2027, 2, 22), date(2027, 7, 2)))


def with_config_terms() -> Settings:
    """A school whose config.yaml names its two terms but has no password: set-up shows those terms."""
    return Settings(school=SchoolSettings(name="示例学校", terms=TWO_TERMS))


def db_password_settings() -> Settings:
    return Settings(school=SchoolSettings(name="青禾小学", terms=(Term("第一学期", date(2026, 9, 1), date(2027, 1, 22)),)))


def set_up(client, **changes):
    response = client.post("/admin/setup", data=setup_form(client, **changes))
    assert response.status_code == 302, response.get_data(as_text=True)[-500:]
    return response


def stored_hash(db: Database) -> str:
    return office_settings.get(db, office_settings.PASSWORD_HASH)


def change_password(client, current: str, new: str, ip: str = "127.0.0.1"):
    return client.post("/admin/school", data={"csrf_token": token(client, "/admin/school"), "current_password": current,
                                              "password": new, "password_again": new}, environ_base={"REMOTE_ADDR": ip})


# ---------------------------------------------------------------------------------------------------
# Defects the review found, fixed
# ---------------------------------------------------------------------------------------------------

def test_setup_with_a_term_renamed_onto_another_term_s_name_is_a_400_not_a_500(sqlite_database):
    app = create_app(with_config_terms(), sqlite_database)
    client = app.test_client()
    form = setup_form(client)
    assert (form["term0_original"], form["term1_original"]) == ("秋季学期", "春季学期")
    response = client.post("/admin/setup", data=form | {"term0_name": "春季学期", "school_name": "东湖路小学"})
    assert response.status_code == 400 and "春季学期" in response.get_data(as_text=True)
    school = schools.home_school(sqlite_database, with_config_terms().school)
    assert plans.school_name(sqlite_database, school) == "示例学校"      # nothing half-saved


def test_renaming_a_configured_term_on_setup_does_not_bring_the_old_term_back(sqlite_database):
    app = create_app(with_config_terms(), sqlite_database)
    client = app.test_client()
    set_up(client, term0_name="2026-2027学年第一学期")
    assert client.get("/admin/").status_code == 200                       # any request runs home_school()
    school = schools.home_school(sqlite_database, with_config_terms().school)
    names = [t.name for t in school_calendar.school_terms(sqlite_database, school)]
    assert names == ["2026-2027学年第一学期", "春季学期"], names


def test_two_simultaneous_setups_with_the_code_only_one_succeeds(database, monkeypatch):
    app = create_app(unconfigured(), database)
    first, second = app.test_client(), app.test_client()
    forms = [setup_form(first, password="password-of-first", password_again="password-of-first", school_name="第一校"),
             setup_form(second, password="password-of-second", password_again="password-of-second", school_name="第二校")]
    both_checked = threading.Barrier(2, timeout=5)
    real_check = office_setup.check_new_password

    def check_after_the_other(password, again):
        try:
            both_checked.wait()           # both requests are past the code before either finishes
        except threading.BrokenBarrierError:
            pass                          # a fixed set-up stops the other one earlier
        return real_check(password, again)

    monkeypatch.setattr(office_setup, "check_new_password", check_after_the_other)
    answers: dict[int, int] = {}

    def post(index, client):
        answers[index] = client.post("/admin/setup", data=forms[index], environ_base={"REMOTE_ADDR": f"10.9.0.{index + 1}"}).status_code

    threads = [threading.Thread(target=post, args=(i, c)) for i, c in enumerate((first, second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(answers.values())[0] == 302 and 400 <= sorted(answers.values())[1] < 500, answers


def test_a_worker_between_the_rename_and_its_mark_does_not_undo_the_office_s_name(sqlite_database, monkeypatch):
    settings = settings_with()
    school = schools.home_school(sqlite_database, settings.school)
    real_put = office_settings.put
    raced = []

    def put(db, key, value):
        if key == plans.NAMED_BY_OFFICE and not raced:
            raced.append(True)
            schools.home_school(db, settings.school)     # another gunicorn worker answers a request now
        return real_put(db, key, value)

    monkeypatch.setattr(office_settings, "put", put)
    schools.rename_school(sqlite_database, school, "青禾实验小学")
    monkeypatch.setattr(office_settings, "put", real_put)
    assert plans.school_name(sqlite_database, schools.home_school(sqlite_database, settings.school)) == "青禾实验小学"


def test_guessing_the_current_password_on_the_school_page_is_rate_limited(sqlite_database):
    client = create_app(unconfigured(), sqlite_database).test_client()
    set_up(client)
    for n in range(8):
        change_password(client, f"guess-{n}", "attacker-password-1")
    before = stored_hash(sqlite_database)
    change_password(client, NEW_PASSWORD, "attacker-password-1")      # the guess that would have been right
    assert stored_hash(sqlite_database) == before                     # refused: too many attempts, like sign-in


def test_a_cookie_from_before_a_config_password_reset_stays_dead_after_the_config_line_is_removed(sqlite_database):
    client = create_app(unconfigured(), sqlite_database).test_client()
    set_up(client)
    stolen = client.get_cookie("schoolbot_admin").value
    reset = Settings(school=unconfigured().school,
                     admin_web=AdminWebSettings(password_hash=generate_password_hash("it-reset-password", method="pbkdf2:sha256:1000")))
    during = create_app(reset, sqlite_database).test_client()
    during.set_cookie("schoolbot_admin", stolen)
    assert during.get("/admin/").status_code == 302                   # the reset ends the stolen session
    after = create_app(unconfigured(), sqlite_database).test_client()   # config line removed later
    after.set_cookie("schoolbot_admin", stolen)
    assert after.get("/admin/").status_code == 302


def run_bot(*args):
    return commands.run_bot(*args)


def test_a_removed_sample_plan_is_not_imported_again_by_the_next_dev_run(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(f"database: {{url: 'sqlite:///{tmp_path / 'bot.db'}'}}\n", encoding="utf-8")
    sample = ["plan", "import", "--only-into-empty", "--name", "示例计划", ROOT / "examples" / "sample_plan.docx", "--config", config]
    assert run_bot(*sample).returncode == 0
    db = Database(f"sqlite:///{tmp_path / 'bot.db'}")
    school = schools.home_school(db, SchoolSettings())
    [sample_plan] = plans.list_plans(db, school)
    assert plans.remove_plan(db, school, sample_plan.id) == "示例计划"   # what /admin/plans/<id>/remove does
    assert run_bot(*sample).returncode == 0                              # dev.py run after a restart
    assert plans.list_plans(db, school) == [] and plans.list_tasks(db, school) == []
    db.dispose()


def test_workers_starting_together_prefill_holidays_without_errors(postgres_database):
    unknown = holiday_years.KNOWN_YEARS[-1] + 1
    school = schools.home_school(postgres_database, SchoolSettings(name="青禾小学", terms=(Term("第一学期", date(unknown - 1, 9, 1),
                                                                                           date(unknown, 7, 10)),)))
    terms = school_calendar.school_terms(postgres_database, school)
    workers = [Database(postgres_database.url) for _ in range(6)]
    start, errors = threading.Barrier(len(workers), timeout=10), []

    def start_worker(worker):
        start.wait()
        try:
            holiday_years.prefill(worker, school, terms)
        except Exception as exc:   # noqa: BLE001 - what a worker's start-up would meet
            errors.append(type(exc).__name__)

    try:
        threads = [threading.Thread(target=start_worker, args=(w,)) for w in workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    finally:
        for w in workers:
            w.dispose()
    assert errors == []


# ---------------------------------------------------------------------------------------------------
# Defences that hold
# ---------------------------------------------------------------------------------------------------

def test_before_setup_nothing_but_setup_answers_and_login_cannot_pass(sqlite_database):
    client = create_app(unconfigured(), sqlite_database).test_client()
    for path in ["/admin/", "/admin/school", "/admin/tasks", "/admin/plans/upload", "/admin/terms", "/admin/feed", "/admin/people"]:
        assert client.get(path).location.endswith("/admin/setup"), path
    page = client.get("/admin/setup").get_data(as_text=True)
    for path in ["/admin/login", "/admin/school", "/admin/holidays/confirm", "/admin/plans/1/remove"]:
        answer = client.post(path, data={"password": "", "csrf_token": token(client, "/admin/setup"), "year": "2027"})
        assert answer.status_code == 302 and answer.location.endswith("/admin/setup"), path
    code = office_settings.get(sqlite_database, office_settings.SETUP_CODE)
    assert code and code not in page and code.replace("-", "") not in page   # the code is on the console only
    assert stored_hash(sqlite_database) == ""


def test_setup_needs_this_session_s_csrf_token(sqlite_database):
    app = create_app(unconfigured(), sqlite_database)
    victim, attacker = app.test_client(), app.test_client()
    form = setup_form(victim)
    without = {k: v for k, v in form.items() if k != "csrf_token"}
    assert victim.post("/admin/setup", data=without).status_code == 400
    foreign = form | {"csrf_token": token(attacker, "/admin/setup")}
    assert victim.post("/admin/setup", data=foreign).status_code == 400
    assert stored_hash(sqlite_database) == ""


@pytest.mark.parametrize("code", ["", "-", "0", "00000000", "1234-5678-9", "%", "令牌", "\u202e", "x" * 5000, "１２３４-５６７８"])
def test_odd_setup_codes_are_refused_without_a_5xx(sqlite_database, code):
    client = create_app(unconfigured(), sqlite_database).test_client()
    office_settings.put(sqlite_database, office_settings.SETUP_CODE, "1234-5678")
    answer = client.post("/admin/setup", data=setup_form(client, code=code))
    assert answer.status_code == 401 and stored_hash(sqlite_database) == ""


def test_a_forwarded_for_header_does_not_reset_the_code_guess_limit(sqlite_database):
    client = create_app(unconfigured(), sqlite_database).test_client()
    answers = [client.post("/admin/setup", data=setup_form(client, code=f"2222-{n:04d}"),
                           headers={"X-Forwarded-For": f"10.77.0.{n + 1}", "X-Real-IP": f"10.78.0.{n + 1}"}).status_code
               for n in range(7)]
    assert answers[:5] == [401] * 5 and answers[5:] == [429, 429]


def test_after_setup_the_code_is_gone_and_neither_it_nor_a_replay_changes_the_password(sqlite_database):
    app = create_app(unconfigured(), sqlite_database)
    client = app.test_client()
    form = setup_form(client)
    set_up(client)
    assert office_settings.get(sqlite_database, office_settings.SETUP_CODE) == ""
    intruder = app.test_client()
    assert intruder.get("/admin/setup").status_code == 302
    replay = form | {"password": "intruder-password", "password_again": "intruder-password",
                     "csrf_token": token(intruder, "/admin/login")}
    intruder.post("/admin/setup", data=replay)
    assert check_password_hash(stored_hash(sqlite_database), NEW_PASSWORD)
    assert "已设置完成" in run_bot("admin", "setup-code", "--config", _config_for(sqlite_database)).stdout


def _config_for(db: Database):
    from pathlib import Path
    path = Path(db.url.removeprefix("sqlite:///")).with_name("config.yaml")
    path.write_text(f"database: {{url: '{db.url}'}}\n", encoding="utf-8")
    return path


def test_signing_in_gives_a_fresh_session_and_a_pre_login_cookie_stays_signed_out(sqlite_database):
    app = create_app(settings_with(), sqlite_database)
    client = app.test_client()
    before_token = token(client)
    planted = client.get_cookie("schoolbot_admin").value      # what an attacker could have planted
    sign_in(client)
    assert token(client, "/admin/") != before_token
    fixed = app.test_client()
    fixed.set_cookie("schoolbot_admin", planted)
    assert fixed.get("/admin/").status_code == 302


def test_a_password_change_ends_every_other_session_and_needs_the_current_password(sqlite_database):
    app = create_app(unconfigured(), sqlite_database)
    office = app.test_client()
    set_up(office)
    other = app.test_client()
    other.post("/admin/login", data={"password": NEW_PASSWORD, "csrf_token": token(other)})
    copied = app.test_client()
    copied.set_cookie("schoolbot_admin", other.get_cookie("schoolbot_admin").value)
    assert other.get("/admin/").status_code == 200 and copied.get("/admin/").status_code == 200
    assert change_password(other, "not-the-password", "hijacked-password").status_code == 400
    assert check_password_hash(stored_hash(sqlite_database), NEW_PASSWORD)
    assert change_password(office, NEW_PASSWORD, "a-second-password").status_code == 302
    assert office.get("/admin/").status_code == 200
    assert other.get("/admin/").status_code == 302 and copied.get("/admin/").status_code == 302


def test_a_config_password_wins_over_the_database_one(sqlite_database):
    client = create_app(unconfigured(), sqlite_database).test_client()
    set_up(client)
    configured = create_app(settings_with(), sqlite_database).test_client()
    assert configured.post("/admin/login", data={"password": NEW_PASSWORD, "csrf_token": token(configured)}).status_code == 401
    assert configured.post("/admin/login", data={"password": PASSWORD, "csrf_token": token(configured)}).status_code == 302
    page = configured.get("/admin/school").get_data(as_text=True)
    assert "admin_web.password_hash" in page and 'name="current_password"' not in page
    change = configured.post("/admin/school", data={"csrf_token": token(configured, "/admin/school"), "current_password": PASSWORD,
                                                    "password": "db-password-now", "password_again": "db-password-now"})
    assert change.status_code == 302 and stored_hash(sqlite_database) == ""   # the office's password was forgotten at start


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/admin", "/\\evil.example", "\\\\evil.example",
                                    "/admin@evil.example", "/admin/..//evil.example",
                                    "/admin%0d%0aLocation:%20https://evil.example", "/admin/%2F%2Fevil.example", "javascript:alert(1)", " /admin"])
def test_sign_in_never_redirects_off_the_site(web_app, target):
    client = web_app.test_client()
    answer = client.post("/admin/login", query_string={"next": target}, data={"password": PASSWORD, "csrf_token": token(client)})
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and not location.startswith("/\\")
    assert "\r" not in location and "\n" not in location and "x=1" not in answer.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("target", ["/admin\r\nSet-Cookie: x=1", "/admin/\n", "/admin\t\r"])
def test_a_next_with_a_line_break_is_not_a_500(web_app, target):
    client = web_app.test_client()
    answer = client.post("/admin/login", query_string={"next": target}, data={"password": PASSWORD, "csrf_token": token(client)})
    assert answer.status_code == 302 and "\n" not in answer.headers["Location"]


@pytest.fixture
def web_app(sqlite_database):
    return create_app(settings_with(), sqlite_database)


def test_no_log_record_carries_the_code_the_password_hash_or_the_cookie_key(sqlite_database, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    app = create_app(unconfigured(), sqlite_database)
    code = office_settings.get(sqlite_database, office_settings.SETUP_CODE)
    assert code in capfd.readouterr().err                     # shown on the console, as documented
    client = app.test_client()
    client.post("/admin/setup", data=setup_form(client, code="9999-9999"))
    set_up(client)
    client.post("/admin/logout", data={"csrf_token": token(client, "/admin/")})
    client.post("/admin/login", data={"password": "wrong-password", "csrf_token": token(client)})
    secrets_ = [code, code.replace("-", ""), stored_hash(sqlite_database), office_settings.get(sqlite_database, office_settings.SECRET_KEY),
                NEW_PASSWORD]
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert all(s and s not in logged for s in secrets_)


def test_no_page_or_cookie_shows_the_password_hash_or_the_cookie_key(sqlite_database, tmp_path):
    app = create_app(unconfigured(), sqlite_database)
    client = app.test_client()
    set_up(client)
    import_plan(client, tmp_path)
    secret_hash, key = stored_hash(sqlite_database), office_settings.get(sqlite_database, office_settings.SECRET_KEY)
    for path in ["/admin/", "/admin/school", "/admin/tasks", "/admin/terms", "/admin/feed", "/admin/board", "/admin/calendar",
                 "/admin/setup", "/admin/nonexistent"]:
        text = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert secret_hash not in text and key not in text and secret_hash.split("$")[-1] not in text, path
    payload = app.session_interface.get_signing_serializer(app).loads(client.get_cookie("schoolbot_admin").value)
    assert secret_hash not in str(payload) and key not in str(payload) and secret_hash.split("$")[-1] not in str(payload)


def test_names_typed_by_hostile_users_are_escaped_on_every_new_page(sqlite_database, tmp_path, monkeypatch):
    app = create_app(unconfigured(), sqlite_database)
    client = app.test_client()
    refused = client.post("/admin/setup", data=setup_form(client, school_name=PAYLOAD, term0_name=PAYLOAD, term0_end="bad"))
    assert refused.status_code == 400 and not any(m in refused.get_data(as_text=True) for m in RAW_MARKERS)
    set_up(client, school_name=PAYLOAD, term0_name=PAYLOAD, days_off="2026-10-30 " + PAYLOAD)
    (tmp_path / "p.txt").write_text(f"2026-2027学年第一学期工作计划\n一、活动\n1. 10月22日，{PAYLOAD}（负责：{PAYLOAD}）\n"
                                    f"2. 每周一{PAYLOAD}检查。\n", encoding="utf-8")
    draft = upload(client, tmp_path / "p.txt").location
    assert not any(m in client.get(draft).get_data(as_text=True) for m in RAW_MARKERS)
    assert not any(m in client.get(draft + "?year=2027").get_data(as_text=True) for m in RAW_MARKERS)
    client.post(draft + "/accept", data={"csrf_token": token(client, draft), "name": PAYLOAD})
    client.post("/admin/tasks/new", data={"title": PAYLOAD, "start": "2026-10-22", "end": "2026-10-22", "owner": PAYLOAD,
                                          "csrf_token": token(client, "/admin/tasks/new")})
    school = schools.home_school(sqlite_database, unconfigured().school)
    assert plans.school_name(sqlite_database, school).startswith("<script>")
    assert any(p.name.startswith("<script>") for p in plans.list_plans(sqlite_database, school))
    monkeypatch.setattr("bot.admin.extension.datetime", _Frozen(datetime(2026, 10, 22, 7, 0, tzinfo=unconfigured().tz)))
    seen = ""
    for path in ["/admin/", "/admin/tasks", f"/admin/tasks?q={PAYLOAD}", f"/admin/tasks?owner={PAYLOAD}", "/admin/school",
                 "/admin/terms", "/admin/calendar", "/admin/board"]:
        page = client.get(path)
        text = page.get_data(as_text=True)
        assert page.status_code == 200 and not any(m in text for m in RAW_MARKERS), path
        seen += text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in seen and "&#39;);alert(3);//" in seen   # shown, as text


def test_removing_another_school_s_plan_is_refused(sqlite_database, tmp_path):
    app = create_app(settings_with(), sqlite_database)
    client = app.test_client()
    sign_in(client)
    import_plan(client, tmp_path)
    other = plans.ensure_school(sqlite_database, "别的学校")
    foreign = plans.replace_plan(sqlite_database, other, plans.PlanImport("别校计划", "x.txt", "c", None, "t",
                                                                         (plans.TaskDraft("别校任务", "q", 1),)))
    answer = client.post(f"/admin/plans/{foreign.plan_id}/remove", data={"csrf_token": token(client, "/admin/")}, follow_redirects=True)
    assert "这份计划已不存在" in answer.get_data(as_text=True)
    assert [p.name for p in plans.list_plans(sqlite_database, other)] == ["别校计划"]
    assert [t.title for t in plans.list_tasks(sqlite_database, other)] == ["别校任务"]


YEARS = ["", "0", "1999", "2000", "2001", "2025", "2098", "2099", "2100", "-1", "٣", "²", "１２", "9" * 40, "2025.5", "2e3",
         " 2026 ", "2026\t", "nan", "<script>", "2026&year=2027"]


def test_odd_school_years_on_review_and_import_never_crash(sqlite_database, tmp_path):
    app = create_app(settings_with(), sqlite_database)
    client = app.test_client()
    sign_in(client)
    failures = []
    got_request_exception.connect(lambda sender, exception, **_: failures.append(repr(exception)), app, weak=False)
    (tmp_path / "p.txt").write_text("2098-2099学年第二学期工作计划\n1. 2月29日提交材料。\n2. 第20周期末考试。\n"
                                    "3. 6月30日至7月2日期末。\n4. 每月最后一天交报表。\n", encoding="utf-8")
    draft = upload(client, tmp_path / "p.txt").location
    for year in YEARS:
        assert client.get(draft, query_string={"year": year}).status_code == 200, year
    for year in ["2098", "2000", "9" * 40]:
        client.post(draft + "/accept", data={"csrf_token": token(client, draft), "year": year, "name": f"计划{len(year)}"})
        draft = upload(client, tmp_path / "p.txt").location
    for year in ["1999", "2100", "-1", "٣", "", "9" * 40, "2027"]:
        answer = client.post("/admin/holidays/confirm", data={"csrf_token": token(client, "/admin/"), "year": year})
        assert answer.status_code in (302, 400), year
    for path in ["/admin/", "/admin/tasks", "/admin/tasks?month=2099-12", "/admin/board", "/admin/calendar"]:
        assert client.get(path).status_code == 200, path
    assert failures == []


def test_the_dashboard_survives_odd_stored_data(sqlite_database, tmp_path, monkeypatch):
    base = settings_with()
    settings = Settings(school=SchoolSettings(name="青禾小学", terms=base.school.terms + (Term("空学期", date(2027, 2, 22), date(2027, 7, 2)),)),
                        admin_web=base.admin_web, groups=(RobotGroup("", "dingtalk", "http://127.0.0.1:9/robot/send?access_token=t"),))
    app = create_app(settings, sqlite_database)
    client = app.test_client()
    sign_in(client)
    import_plan(client, tmp_path)
    school = schools.home_school(sqlite_database, settings.school)
    chats.sync_robot_groups(sqlite_database, school, settings.groups)
    odd = [("monthly:by²", None, None, None, None), ("weekly:zz", None, None, None, None), ("daily:", None, None, None, None),
           (None, date(2026, 10, 22), date(2026, 10, 20), None, None), (None, None, date(2026, 10, 22), "midterm", 0),
           ("biweekly:MON", None, None, "nonsense", 99), (None, date(2099, 12, 31), date(2099, 12, 31), None, None)]
    with sqlite_database.transaction() as s:
        tasks = list(s.scalars(select(Task).order_by(Task.number)))
        for task, (rule, start, end, anchor, week) in zip(tasks, odd, strict=False):
            task.recurrence, task.start_date, task.end_date, task.term_anchor, task.week = rule, start, end, anchor, week
    failures = []
    got_request_exception.connect(lambda sender, exception, **_: failures.append(repr(exception)), app, weak=False)
    for moment in [datetime(2026, 10, 22, 7, 0), datetime(2026, 10, 19, 0, 0), datetime(2027, 1, 25, 12, 0),
                   datetime(2027, 3, 1, 23, 59), datetime(2030, 1, 1, 8, 0)]:
        monkeypatch.setattr("bot.admin.extension.datetime", _Frozen(moment.replace(tzinfo=settings.tz)))
        assert client.get("/admin/").status_code == 200, moment
        assert client.get("/admin/tasks?kind=routine").status_code == 200
    assert failures == []


@pytest.mark.parametrize("crash_at", ["claim", "mark_name", "second_term", "holiday", "password"])
def test_a_kill_at_any_step_of_setup_leaves_an_install_that_can_still_be_set_up_or_signed_in(sqlite_database, monkeypatch, crash_at):
    class Killed(BaseException):
        """Like kill -9: nothing after this point runs (open transactions roll back)."""

    app = create_app(unconfigured(), sqlite_database)
    client = app.test_client()
    code = office_settings.get(sqlite_database, office_settings.SETUP_CODE)
    form = setup_form(client, days_off="2026-10-30 至 2026-10-31 校运会")
    calls: dict[str, int] = {}

    def after(name, real, when):
        def wrapped(*args, **kwargs):
            calls[name] = calls.get(name, 0) + 1
            if when(calls[name], *args):
                raise Killed
            return real(*args, **kwargs)
        return wrapped

    if crash_at == "claim":
        monkeypatch.setattr(office_settings, "take", after("take", office_settings.take, lambda n, *a: True))
    elif crash_at == "mark_name":
        monkeypatch.setattr(office_settings, "put_in", after("put_in", office_settings.put_in, lambda n, s, key, value: key == plans.NAMED_BY_OFFICE))
    elif crash_at == "second_term":
        monkeypatch.setattr(school_calendar, "save_term", after("term", school_calendar.save_term, lambda n, *a: n == 2))
    elif crash_at == "holiday":
        # the days off are written in one transaction: killed as they are about to be
        monkeypatch.setattr(school_calendar, "add_holidays", after("days", school_calendar.add_holidays, lambda n, *a: n == 1))
    elif crash_at == "password":
        monkeypatch.setattr(setup_views, "generate_password_hash", after("hash", generate_password_hash, lambda n, *a: True))
    with pytest.raises(Killed):
        client.post("/admin/setup", data=form)
    monkeypatch.undo()

    restarted = create_app(unconfigured(), sqlite_database).test_client()
    restarted.set_cookie("schoolbot_admin", client.get_cookie("schoolbot_admin").value)   # the same browser
    assert stored_hash(sqlite_database) == ""                # the password is the last thing written
    now_shown = office_settings.get(sqlite_database, office_settings.SETUP_CODE)
    assert now_shown == code if crash_at == "claim" else now_shown not in ("", code)   # a used code is gone; the restart shows a new one
    form["code"] = now_shown
    resent = restarted.post("/admin/setup", data=form)          # the office presses the button again
    assert resent.status_code == 302, resent.get_data(as_text=True)[-400:]
    assert restarted.get("/admin/").status_code == 200
    school = schools.home_school(sqlite_database, unconfigured().school)
    assert plans.school_name(sqlite_database, school) == "东湖路小学"
    assert len(school_calendar.school_terms(sqlite_database, school)) == 2
    days = {d for d, _ in school_calendar.school_holidays(sqlite_database, school)}
    assert {date(2026, 10, 30), date(2026, 10, 31)} <= days


def test_workers_sharing_a_database_agree_on_one_cookie_key(database):
    workers = [Database(database.url) for _ in range(6)]
    start, keys = threading.Barrier(len(workers), timeout=10), []

    def first_request(worker):
        start.wait()
        keys.append(office_setup.cookie_key(Settings(), worker))

    try:
        threads = [threading.Thread(target=first_request, args=(w,)) for w in workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert len(keys) == len(workers) and len(set(keys)) == 1 and len(keys[0]) >= 32
        shared = settings_with(secret_key="")         # one config file (one password hash) for both workers
        one, two = (create_app(shared, w) for w in workers[:2])
        first = one.test_client()
        sign_in(first)
        second = two.test_client()
        second.set_cookie("schoolbot_admin", first.get_cookie("schoolbot_admin").value)
        assert second.get("/admin/").status_code == 200               # a cookie from one worker is good at the other
        for app in (one, two):
            app.extensions["schoolbot.executor"].shutdown(wait=True)
    finally:
        for w in workers:
            w.dispose()


def test_setup_form_fuzz_never_answers_5xx(sqlite_database):
    """Hostile values in every set-up field, the hidden original term names included."""
    app = create_app(unconfigured(), sqlite_database)
    failures = []
    got_request_exception.connect(lambda sender, exception, **_: failures.append(repr(exception)), app, weak=False)
    client, rng = app.test_client(), random.Random(4321)
    code = office_settings.get(sqlite_database, office_settings.SETUP_CODE)
    fields = ["code", "school_name", "term0_name", "term0_start", "term0_end", "term1_name", "term1_start", "term1_end",
              "term0_original", "term1_original", "days_off", "password", "password_again"]
    school = schools.home_school(sqlite_database, unconfigured().school)
    errors = []
    for n in range(300):
        form = {"csrf_token": token(client, "/admin/setup"), "code": code, "school_name": "东湖路小学", "term0_name": "第一学期",
                "term0_start": "2026-09-01", "term0_end": "2027-01-22", "password": "long-enough-1", "password_again": "long-enough-1"}
        for name in rng.sample(fields, rng.randint(1, 4)):
            form[name] = rng.choice(HOSTILE)
        if rng.random() < 0.7:
            form["password_again"] = form["password"]
        answer = client.post("/admin/setup", data=form, environ_base={"REMOTE_ADDR": f"10.3.{n // 200}.{n % 200 + 1}"})
        if answer.status_code >= 500:
            errors.append(form)
        if answer.status_code == 302 and stored_hash(sqlite_database):    # undo, to keep fuzzing set-up
            office_settings.drop(sqlite_database, office_settings.PASSWORD_HASH)
            office_settings.put(sqlite_database, office_settings.SETUP_CODE, code)
            for term in school_calendar.school_terms(sqlite_database, school):
                school_calendar.delete_term(sqlite_database, school, term.name)
            client = app.test_client()
    assert not errors, (errors[:3], failures[:3])


def test_school_page_fuzz_with_a_database_password_never_answers_5xx(sqlite_database, tmp_path, monkeypatch):
    monkeypatch.setattr(setup_views, "generate_password_hash", lambda p: generate_password_hash(p, method="pbkdf2:sha256:1000"))
    app = create_app(unconfigured(), sqlite_database)
    failures = []
    got_request_exception.connect(lambda sender, exception, **_: failures.append(repr(exception)), app, weak=False)
    client, rng = app.test_client(), random.Random(99)
    set_up(client)
    import_plan(client, tmp_path)
    plans.ensure_school(sqlite_database, "别的学校")
    password, errors = NEW_PASSWORD, []
    for n in range(200):
        form = {"csrf_token": token(client, "/admin/school"), "school_name": rng.choice(HOSTILE + ["别的学校", "东湖路小学"]),
                "current_password": rng.choice([password, rng.choice(HOSTILE)]), "password": rng.choice(HOSTILE + ["", "new-password-%d" % n])}
        form["password_again"] = form["password"] if rng.random() < 0.7 else rng.choice(HOSTILE)
        answer = client.post("/admin/school", data=form, environ_base={"REMOTE_ADDR": f"10.4.0.{n % 250 + 1}"})
        if answer.status_code >= 500:
            errors.append(form)
        if check_password_hash(stored_hash(sqlite_database), form["password"] or "\x00never"):
            password = form["password"]
        if client.get("/admin/school").status_code == 302:
            client.post("/admin/login", data={"password": password, "csrf_token": token(client)})
    for query in [{"q": "x" * 5000}, {"owner": "\u202e"}, {"month": "2099-13"}, {"month": "1900-01"}, {"kind": "<script>"},
                  {"month": "2026-1"}, {"q": "#1 #2 #"}, {"owner": "令牌", "month": "2099-12", "kind": "routine"}]:
        assert client.get("/admin/tasks", query_string=query).status_code == 200, query
    assert not errors and not failures, (errors[:3], failures[:3])
