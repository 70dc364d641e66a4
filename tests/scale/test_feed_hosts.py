"""The open data feed on two hosts (gunicorn, two workers each) behaves as one: revocation, rate limits, figures."""

import http.client
import json
from datetime import date

import redis

from tests import factories
from tests.api.conftest import issue
from tests.scale.conftest import FEED_RATE_LIMIT_PER_MINUTE, REDIS_URL


def _get(host, path: str, secret: str) -> tuple[int, dict]:
    connection = http.client.HTTPConnection(*host.address, timeout=60)
    try:
        connection.request("GET", path, headers={"Authorization": f"Bearer {secret}"})
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


def test_a_token_revoked_on_one_host_is_refused_at_once_by_every_worker_of_the_other(hosts):
    from inclusion.api import tokens

    first, second = hosts
    issued = issue("Council Power BI")
    assert [_get(host, "/api/v1/months", issued.secret)[0] for host in (first, second, first, second)] == [200] * 4

    tokens.revoke_token(issued.token.id, acting_user_id=None)

    for host in (second, first, second, first):  # both workers of each host, whichever answers
        status, body = _get(host, "/api/v1/months", issued.secret)
        assert status == 401 and "revoked" in body["detail"]


def test_a_tokens_rate_limit_is_shared_by_every_host_through_redis(hosts):
    first, second = hosts
    secret = issue("Alliance data platform").secret
    statuses = [_get((first, second)[n % 2], "/api/v1/months", secret)[0] for n in range(FEED_RATE_LIMIT_PER_MINUTE)]
    assert statuses == [200] * FEED_RATE_LIMIT_PER_MINUTE
    assert _get(first, "/api/v1/months", secret)[0] == 429
    assert _get(second, "/api/v1/months", secret)[0] == 429
    assert _get(second, "/api/v1/months", issue("Another council").secret)[0] == 200


def _adults_helped(host, secret: str) -> int:
    status, body = _get(host, "/api/v1/figures?month=2026-10", secret)
    assert status == 200, body
    cells = {(c["measure"], c["dimension"], c["category"]): c["value"] for c in body["cells"]}
    return cells[("adults_helped", "total", "all")]


def test_figures_shared_by_the_hosts_through_redis_are_never_older_than_the_last_write(hosts):
    first, second = hosts
    before, after = issue("County dashboard").secret, issue("County dashboard, later").secret  # 4 calls each
    venue = factories.create_venue("Shared Library")
    factories.create_session(venue, date(2026, 10, 6), attendees=[factories.create_learner() for _ in range(6)])

    assert [_adults_helped(host, before) for host in (first, second, first, second)] == [6] * 4
    assert redis.Redis.from_url(REDIS_URL).keys("inclusion:figure:*")  # kept where every worker looks

    factories.create_session(venue, date(2026, 10, 13), attendees=[factories.create_learner() for _ in range(2)])

    assert [_adults_helped(host, after) for host in (second, first, second, first)] == [8] * 4
