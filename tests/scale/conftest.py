"""Two app hosts on loopback sharing one PostgreSQL and one Redis, as an alliance's servers would.

Without PostgreSQL (TEST_DATABASE_URL) or Redis (TEST_REDIS_URL) the tests skip and say why, unless
INCLUSION_MULTI_HOST_REQUIRED=1, as CI sets for its PostgreSQL run, when they fail.
"""

import os

import pytest

from tests.scale.hosts import Host, host_environment

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
REQUIRED = os.environ.get("INCLUSION_MULTI_HOST_REQUIRED") == "1"
LOCKOUT_ATTEMPTS = 3
LOGIN_RATE_LIMIT_PER_MINUTE = 6
FEED_RATE_LIMIT_PER_MINUTE = 5


def _skip_reason() -> str | None:
    if not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
        return (
            "multi-host tests need a database two servers can share: set TEST_DATABASE_URL to PostgreSQL "
            "(SQLite is one file on one machine)"
        )
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as error:  # any failure to reach Redis means these tests cannot run here
        return f"multi-host tests need Redis at {REDIS_URL} (TEST_REDIS_URL): {error}"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _skip_reason()
    if reason and not REQUIRED:  # when required, the autouse fixture below fails each test instead
        for item in items:
            if "tests/scale" in str(item.fspath):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def host_env():
    return host_environment(
        os.environ.get("TEST_DATABASE_URL", ""),
        RATELIMIT_STORAGE_URI=REDIS_URL,
        FIGURE_STORE_URI=REDIS_URL,
        LOGIN_LOCKOUT_ATTEMPTS=str(LOCKOUT_ATTEMPTS),
        LOGIN_RATE_LIMIT=f"{LOGIN_RATE_LIMIT_PER_MINUTE} per minute",
        API_RATE_LIMIT=f"{FEED_RATE_LIMIT_PER_MINUTE} per minute",
    )


@pytest.fixture(scope="session")
def hosts(app, host_env):
    """Two hosts, each with two gunicorn workers; started once (the schema is already migrated)."""
    first, second = Host(host_env), Host(host_env)
    try:
        first.start()
        second.start()
        yield first, second
    finally:
        first.stop()
        second.stop()


@pytest.fixture(scope="session", autouse=True)
def multi_host_services():
    """Reached only when the tests were not skipped: fail at once, before any host starts, if they cannot run."""
    reason = _skip_reason()
    if reason:
        pytest.fail(f"{reason}, and INCLUSION_MULTI_HOST_REQUIRED=1 says the multi-host tests must run", pytrace=False)


@pytest.fixture(autouse=True)
def empty_redis(multi_host_services):
    """Each test starts with no rate-limit counts and no shared figures left by the one before."""
    if _skip_reason() is None:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
    yield
