"""Pages link the built styles and scripts by fingerprinted names, which browsers may keep for a year."""

import re

from flask import url_for


def test_pages_link_the_stylesheet_and_script_by_their_fingerprinted_names(client):
    page = client.get("/login").get_data(as_text=True)

    assert re.search(r'href="/static/build/app\.[0-9a-f]{12}\.css"', page)
    assert re.search(r'src="/static/build/app\.[0-9a-f]{12}\.js"', page)


def test_a_fingerprinted_file_may_be_kept_for_a_year_without_asking_again(app, client):
    with app.test_request_context():
        stylesheet = url_for("static", filename="build/app.css")

    response = client.get(stylesheet)

    assert response.status_code == 200
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert response.cache_control.immutable and response.cache_control.public
    assert "no-store" not in response.headers["Cache-Control"]


def test_a_file_without_a_fingerprint_is_checked_again_before_each_use(client):
    response = client.get("/static/build/images/favicon.ico")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"


def test_the_fingerprinted_script_imports_the_fingerprinted_govuk_frontend(app, client):
    with app.test_request_context():
        script, govuk = (
            url_for("static", filename="build/app.js"),
            url_for("static", filename="build/govuk-frontend.min.js"),
        )

    assert f'"./{govuk.rsplit("/", 1)[1]}"' in client.get(script).get_data(as_text=True)
