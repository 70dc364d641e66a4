"""In development, e-mail goes to a local outbox shown at /dev/mail; the page exists nowhere else (issue 14)."""

import pytest

from inclusion import create_app
from inclusion.config import DevelopmentConfig, ProductionConfig, TestConfig
from inclusion.mail import read_outbox, send_email


@pytest.fixture
def dev_app(app, tmp_path):
    return create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        MAIL_BACKEND="outbox",
        MAIL_OUTBOX_DIR=str(tmp_path / "outbox"),
        DEV_MAIL_PAGE=True,
        MAIL_SERVER="192.0.2.1",  # nothing answers there: a message sent over SMTP would fail the test
    )


def test_development_settings_keep_mail_local_and_show_the_page():
    assert DevelopmentConfig.MAIL_BACKEND == "outbox" and DevelopmentConfig.DEV_MAIL_PAGE is True
    assert ProductionConfig.MAIL_BACKEND == "smtp" and ProductionConfig.DEV_MAIL_PAGE is False


def test_a_message_goes_to_the_outbox_and_the_console_not_to_a_server(dev_app, capsys):
    with dev_app.app_context():
        send_email("new.champion@example.org", "You are invited", "Choose a password: http://localhost/set/abc123\n")
        [message] = read_outbox()
    assert (message.to, message.subject) == ("new.champion@example.org", "You are invited")
    assert "http://localhost/set/abc123" in message.body
    printed = capsys.readouterr().err
    assert "[outbox] e-mail to new.champion@example.org" in printed and "http://localhost/set/abc123" in printed


def test_the_outbox_page_shows_each_message_with_its_links(dev_app):
    with dev_app.app_context():
        send_email("a@example.org", "First", "one")
        send_email("b@example.org", "Reset your password", "Open http://localhost/reset/xyz<script> to reset")
    html = dev_app.test_client().get("/dev/mail").get_data(as_text=True)
    assert html.index("Reset your password") < html.index("First")  # newest first
    assert '<a class="govuk-link" href="http://localhost/reset/xyz">http://localhost/reset/xyz</a>' in html
    assert "<script> to reset" not in html and "&lt;script&gt;" in html


def test_the_page_is_not_there_in_tests(client):
    assert client.get("/dev/mail").status_code == 404


def test_the_page_is_never_registered_with_the_production_settings(app):
    production = create_app(
        ProductionConfig,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        SECRET_KEY="x" * 40,
        DEV_MAIL_PAGE=True,
    )
    assert "core.dev_mail" not in production.view_functions
    assert production.test_client().get("/dev/mail").status_code == 404
