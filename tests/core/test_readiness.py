"""/readyz: 200 when the schema is at the latest migration and a configured Redis answers; 503 and why, if not."""

import os
import socket

import pytest
from flask_migrate import downgrade, upgrade

from inclusion.core import readiness
from tests.scratch_databases import app_on


@pytest.fixture(autouse=True)
def _forget_remembered_answers():
    readiness._remembered.clear()
    yield
    readiness._remembered.clear()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the socket closes


def test_a_migrated_database_without_redis_is_ready(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ready"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_needs_no_sign_in_and_healthz_is_unchanged(client):
    assert client.get("/readyz").status_code == 200
    healthz = client.get("/healthz")
    assert (healthz.status_code, healthz.get_data(as_text=True)) == (200, "ok")


def test_a_database_one_migration_behind_is_not_ready(scratch_database):
    with app_on(scratch_database("behind")) as behind:
        upgrade()
        downgrade(revision="-1")
        response = behind.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.get_json() == {
        "status": "not ready",
        "reasons": ["the database schema is behind this release: run `flask db upgrade`"],
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_a_database_never_migrated_is_not_ready(scratch_database):
    with app_on(scratch_database("empty")) as empty:
        response = empty.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["reasons"] == ["the database has no schema yet: run `flask db upgrade`"]


@pytest.fixture
def rate_limit_storage(app):
    """Point the RATELIMIT_STORAGE_URI setting (all /readyz reads) elsewhere for one test.

    Only the setting: a second app would re-initialise the one shared limiter for every app.
    """
    original = app.config["RATELIMIT_STORAGE_URI"]

    def _point_at(uri: str) -> None:
        app.config["RATELIMIT_STORAGE_URI"] = uri

    yield _point_at
    app.config["RATELIMIT_STORAGE_URI"] = original


def test_a_redis_that_does_not_answer_makes_the_app_not_ready(client, rate_limit_storage):
    rate_limit_storage(f"redis://127.0.0.1:{_closed_port()}/0")
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.get_json() == {
        "status": "not ready",
        "reasons": ["Redis (the rate-limit storage) does not answer"],
    }
    assert "127.0.0.1" not in response.get_data(as_text=True)


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL names no Redis to reach")
def test_a_redis_that_answers_keeps_the_app_ready(client, rate_limit_storage):
    rate_limit_storage(os.environ["TEST_REDIS_URL"])
    response = client.get("/readyz")

    assert (response.status_code, response.get_json()) == (200, {"status": "ready"})


def test_the_answer_is_remembered_for_a_few_seconds_then_checked_again(app, client):
    assert client.get("/readyz").status_code == 200
    key = next(iter(readiness._remembered))
    readiness._remembered[key] = (readiness._remembered[key][0], ["remembered"])
    assert client.get("/readyz").get_json()["reasons"] == ["remembered"]

    app.config["READINESS_CACHE_SECONDS"] = 0
    try:
        assert client.get("/readyz").get_json() == {"status": "ready"}
    finally:
        app.config["READINESS_CACHE_SECONDS"] = 5
