"""Sign-in under attack on a real server: simultaneous guesses cannot pass the limit, and logging out
or changing the password ends every session, cookies copied before included."""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import func, select

from bot.app import create_app
from storage.models import LoginAttempt
from tests.servers import serving
from tests.test_admin_web import PASSWORD, settings_with

GUESSES = 100


def _session_with_token(url: str) -> tuple[requests.Session, str]:
    browser = requests.Session()
    page = browser.get(f"{url}/admin/login", timeout=10).text
    return browser, re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_simultaneous_guesses_are_checked_no_more_than_the_limit(sqlite_database):
    with serving(create_app(settings_with(), sqlite_database)) as url:
        browsers = [_session_with_token(url) for _ in range(GUESSES)]

        def guess(pair):
            browser, token = pair
            return browser.post(f"{url}/admin/login", data={"password": "wrong", "csrf_token": token},
                                allow_redirects=False, timeout=30).status_code

        with ThreadPoolExecutor(32) as pool:
            codes = list(pool.map(guess, browsers))
    assert codes.count(401) <= 5 and codes.count(429) >= GUESSES - 5
    with sqlite_database.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(LoginAttempt)).scalar() <= 5   # checked at most 5 times


def test_logout_and_a_new_password_end_every_session(sqlite_database):
    app = create_app(settings_with(), sqlite_database)
    app.config["TESTING"] = True
    with serving(app) as url:
        browser, token = _session_with_token(url)
        assert browser.post(f"{url}/admin/login", data={"password": PASSWORD, "csrf_token": token},
                            allow_redirects=False, timeout=10).status_code == 302
        copied = requests.Session()
        copied.cookies.update(browser.cookies)           # a cookie taken before the logout
        assert copied.get(f"{url}/admin/", allow_redirects=False, timeout=10).status_code == 200
        page = browser.get(f"{url}/admin/", timeout=10).text
        logout_token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        browser.post(f"{url}/admin/logout", data={"csrf_token": logout_token}, timeout=10)
        assert copied.get(f"{url}/admin/", allow_redirects=False, timeout=10).status_code == 302

    first = create_app(settings_with(), sqlite_database)
    with serving(first) as url:
        browser, token = _session_with_token(url)
        browser.post(f"{url}/admin/login", data={"password": PASSWORD, "csrf_token": token}, timeout=10)
        cookies = browser.cookies
    from werkzeug.security import generate_password_hash
    changed = create_app(settings_with(password_hash=generate_password_hash("a new password", method="pbkdf2:sha256:1000")),
                         sqlite_database)
    with serving(changed) as url:
        later = requests.Session()
        later.cookies.update(cookies)
        assert later.get(f"{url}/admin/", allow_redirects=False, timeout=10).status_code == 302
