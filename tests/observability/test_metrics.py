"""/metrics: who may scrape it, and the counters moving as the app works."""

import time
from datetime import date

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import DBAPIError

from config import TestConfig
from inclusion import create_app
from inclusion.extensions import db
from inclusion.imports.services import run_import
from inclusion.reports import cache, metrics
from inclusion.reports.models import DataVersion
from inclusion.reports.periods import Period
from tests import factories
from tests.observability.support import sample, scrape

TOKEN = "a-long-random-scrape-token-for-tests"


@pytest.fixture
def metrics_app(app):
    """An app on the test database that allows scraping from 10.1.0.0/16 only, or with TOKEN."""
    made = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        METRICS_ALLOWED_IPS=["10.1.0.0/16"],
        METRICS_TOKEN=TOKEN,
    )
    yield made
    with made.app_context():
        db.engine.dispose()


def test_a_scrape_from_the_loopback_address_is_answered_by_default(client):
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert "# TYPE inclusion_http_requests_total counter" in response.get_data(as_text=True)


def test_a_scrape_from_another_address_is_not_found(client):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.5"}).status_code == 404


def test_a_scrape_from_an_allowed_network_is_answered(metrics_app):
    client = metrics_app.test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.4.2"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 404


def test_the_token_opens_the_scrape_from_anywhere_and_a_wrong_one_does_not(metrics_app):
    client = metrics_app.test_client()
    elsewhere = {"REMOTE_ADDR": "203.0.113.5"}
    ok = client.get("/metrics", environ_base=elsewhere, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200
    for wrong in (f"Bearer {TOKEN}x", "Bearer ", TOKEN, f"Basic {TOKEN}"):
        assert client.get("/metrics", environ_base=elsewhere, headers={"Authorization": wrong}).status_code == 404


def test_an_address_forwarded_by_a_proxy_nobody_trusts_is_not_allowed(client):
    # Without TRUSTED_PROXY_COUNT the loopback address may be a proxy's on this host, passing on the internet.
    response = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.5"})
    assert response.status_code == 404


def test_behind_a_trusted_proxy_the_forwarded_client_address_decides(app):
    behind_proxy = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], TRUSTED_PROXY_COUNT=1
    )
    client = behind_proxy.test_client()
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 404
    assert client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 200
    assert client.get("/metrics").status_code == 200  # Prometheus on this host, straight to the app
    with behind_proxy.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    "setting",
    [{"METRICS_ALLOWED_IPS": ["localhost"]}, {"METRICS_ALLOWED_IPS": ["10.0.0.0/33"]}, {"METRICS_TOKEN": "short"}],
)
def test_a_bad_metrics_setting_stops_the_app(setting):
    with pytest.raises(RuntimeError, match="METRICS_"):
        create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://", **setting)


def test_requests_are_counted_and_timed_by_endpoint(client, login_as):
    login_as("coordinator")
    before = scrape(client)
    client.get("/learners/")
    client.get("/learners/")
    client.get("/no/such/page")
    after = scrape(client)
    labels = {"endpoint": "learners.index", "method": "GET", "status": "200"}
    assert (
        sample(after, "inclusion_http_requests_total", **labels)
        == sample(before, "inclusion_http_requests_total", **labels) + 2
    )
    timed = {"endpoint": "learners.index", "method": "GET"}
    assert (
        sample(after, "inclusion_http_request_duration_seconds_count", **timed)
        == sample(before, "inclusion_http_request_duration_seconds_count", **timed) + 2
    )
    unmatched = {"endpoint": "none", "method": "GET", "status": "404"}
    assert sample(after, "inclusion_http_requests_total", **unmatched) >= 1


def test_a_made_up_method_does_not_make_a_new_series(client):
    client.open("/login", method="BREW")
    assert sample(scrape(client), "inclusion_http_requests_total", endpoint="none", method="OTHER", status="405") >= 1


def test_figure_cache_hits_and_misses_are_counted(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_FIGURE_CACHE", True)
    cache.clear()
    with db.engine.begin() as connection:  # the emptied test database has no data version: nothing is cached
        connection.execute(DataVersion.__table__.delete())
        connection.execute(insert(DataVersion).values(id=1, version=time.time_ns()))
    venue = factories.create_venue("Counting Library")
    factories.create_session(venue, date(2026, 9, 4), attendees=[factories.create_learner()])
    before = scrape(client)
    september = Period.month(date(2026, 9, 1))
    metrics.adults_helped(september)
    metrics.adults_helped(september)
    after = scrape(client)
    for result in ("hit", "miss"):
        assert (
            sample(after, "inclusion_figure_cache_total", result=result)
            >= sample(before, "inclusion_figure_cache_total", result=result) + 1
        ), result


def test_imports_are_counted_by_outcome(client):
    factories.create_partner("Import Partner")
    before = scrape(client)
    good = b"first_name,last_name,partner,consent\nAda,Lovelace,Import Partner,yes\n"
    bad = b"first_name,last_name,partner,consent\n,Lovelace,Nowhere,yes\n"
    assert run_import("learners", good, "good.csv").written
    assert not run_import("learners", bad, "bad.csv").ok
    run_import("learners", good, "good.csv", dry_run=True)
    after = scrape(client)
    for outcome in ("succeeded", "refused", "checked"):
        metric = "inclusion_import_jobs_total"
        assert (
            sample(after, metric, kind="learners", outcome=outcome)
            == sample(before, metric, kind="learners", outcome=outcome) + 1
        ), outcome


def test_a_csv_download_counts_a_generated_report(client, login_as):
    login_as("coordinator")
    before = sample(scrape(client), "inclusion_report_jobs_total", job="monthly_csv", outcome="generated")
    client.get("/reports/monthly/2026-09.csv")
    after = sample(scrape(client), "inclusion_report_jobs_total", job="monthly_csv", outcome="generated")
    assert after == before + 1


def test_sending_the_monthly_report_counts_sent_then_skipped(runner, client, mail_server):
    metric = "inclusion_report_jobs_total"
    before = scrape(client)
    assert runner.invoke(args=["reports", "send-monthly", "--month", "2026-09"]).exit_code == 0
    again = runner.invoke(args=["reports", "send-monthly", "--month", "2026-09"])
    assert "nothing to do" in again.output  # within two minutes: taken for another host's send
    after = scrape(client)
    for outcome in ("sent", "skipped"):
        assert (
            sample(after, metric, job="send_monthly", outcome=outcome)
            == sample(before, metric, job="send_monthly", outcome=outcome) + 1
        ), outcome


def _database_errors(samples: dict) -> float:
    return sum(value for (name, _labels), value in samples.items() if name == "inclusion_database_errors_total")


def test_database_errors_are_counted_by_class(client):
    before = _database_errors(scrape(client))
    with pytest.raises(DBAPIError):
        db.session.execute(text("SELECT * FROM no_such_table"))
    db.session.rollback()
    assert _database_errors(scrape(client)) == before + 1
