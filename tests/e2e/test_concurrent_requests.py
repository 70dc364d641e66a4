"""Twenty people signing in at the same moment through gunicorn (two worker processes, SQLite file)."""

import http.cookiejar
import re
import sqlite3
import threading
import urllib.parse
import urllib.request

import pytest

pytestmark = pytest.mark.e2e
WORKERS = 20


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _sign_in(base_url: str, email: str, password: str) -> int:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect())
    page = opener.open(f"{base_url}/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    try:
        return opener.open(f"{base_url}/login", data=body, timeout=30).status
    except urllib.error.HTTPError as error:  # a 302 arrives as an "error" once redirects are refused
        return error.code


def _open_sign_ins(database) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT count(*) FROM login_sessions WHERE ended_at IS NULL").fetchone()[0]


def test_twenty_sign_ins_at_once_through_two_workers_all_succeed_and_are_each_recorded_once(live_server):
    account = live_server.account("champion")
    before = _open_sign_ins(live_server.database)
    barrier = threading.Barrier(WORKERS)
    statuses: list[int | str] = []

    def worker():
        barrier.wait(timeout=30)
        try:
            statuses.append(_sign_in(live_server.url, account.email, account.password))
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            statuses.append(repr(error))

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert statuses == [302] * WORKERS
    assert _open_sign_ins(live_server.database) - before == WORKERS
