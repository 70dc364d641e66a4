"""Hostile text typed into every form of the app comes back escaped and harms no query.

The forms are discovered: every page each actor may open is fetched, every <form> on it found,
and every free-text field filled with each payload. A form merged later is covered without
editing this file; one that must not be submitted blindly (it sends e-mail, say) goes in
NOT_SUBMITTED with the reason.
"""

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from inclusion.auth.models import User
from inclusion.extensions import db
from inclusion.learners.models import Learner
from tests.security.support import forms_on, inline_code_problems, readable_pages

MARK = "xss-probe"
PAYLOADS = [
    f'<script>alert("{MARK}")</script>',
    f'"><img src=x onerror=alert("{MARK}")>',
    f"'><svg onload=alert('{MARK}')>",
    f"javascript:alert('{MARK}')",
    f"' OR '1'='1' -- {MARK}",
    f"Robert'); DROP TABLE learners;-- {MARK}",
    f"%_\\ {MARK} ' \" ;",
    f"{{{{7*7}}}} {{% raw %}} {MARK}",  # template injection: must come back as typed, never as 49
]
# pattern of an action's path -> why it is not submitted with hostile text. Only forms whose
# submission destroys what later cases need belong here; every other form, side effects and all
# (anonymise with a hostile confirmation, undo a merge, close a venue, deactivate a user, send the
# report, cancel an import ...), is submitted.
NOT_SUBMITTED = {
    r"/logout": "ends the sign-in the sweep is using",
    r"/sessions/\d+/delete": "deletes the world's only session, whose page the later cases fetch",
}


def is_submitted(form) -> bool:
    path = urlsplit(form.action).path
    return not any(re.fullmatch(pattern, path) for pattern in NOT_SUBMITTED)


ACTORS = ("anonymous", "champion", "coordinator", "admin", "funder")


def _echo_problems(response, payload: str, where: str) -> list[str]:
    problems = []
    if response.status_code >= 500:
        problems.append(f"{where}: status {response.status_code}")
    if response.mimetype != "text/html":
        return problems
    body = response.get_data(as_text=True)
    if any(char in payload for char in '<>"') and payload in body:
        problems.append(f"{where}: the payload came back unescaped")
    if "{{7*7}}" in payload and "49 {" in body:
        problems.append(f"{where}: the payload was evaluated as a template")
    problems += [f"{where}: {problem}" for problem in inline_code_problems(body)]
    return problems


def _discover_forms(client, pages):
    forms = {}
    for url in pages:
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            for form in forms_on(url, response.get_data(as_text=True)):
                forms.setdefault((form.method, form.action), form)
    return [form for form in forms.values() if is_submitted(form)]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("actor", ACTORS)
def test_hostile_text_in_every_form_comes_back_escaped_and_stored_text_stays_escaped(
    app, world, client_as, actor, payload
):
    client = client_as(actor)
    pages = readable_pages(app, world, actor)
    forms = _discover_forms(client, pages)
    problems = []
    for form in forms:
        data = {**form.fields, **dict.fromkeys(form.text_fields, payload)}
        if form.method == "post":
            response = client.post(form.action, data=data)
        else:
            response = client.get(form.action, query_string=data)
        problems += _echo_problems(response, payload, str(form))
    for url in pages:  # anything stored is shown escaped wherever it appears
        problems += _echo_problems(client.get(url), payload, f"GET {url} afterwards")
    assert not problems, "\n".join(problems)
    if actor != "funder":
        assert forms, f"no form found for {actor}: the sweep is not reaching the pages"


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if "DROP" in p or "OR '1'" in p])
def test_sql_metacharacters_in_every_form_leave_the_data_intact(app, world, client_as, payload):
    users_before = db.session.scalar(select(func.count(User.id)))
    for actor in ("anonymous", "champion", "coordinator", "admin"):
        client = client_as(actor)
        for form in _discover_forms(client, readable_pages(app, world, actor)):
            data = {**form.fields, **dict.fromkeys(form.text_fields, payload)}
            sender = client.post if form.method == "post" else client.get
            response = (
                sender(form.action, data=data) if form.method == "post" else sender(form.action, query_string=data)
            )
            assert response.status_code < 500, f"{actor} {form}"
    db.session.expire_all()
    assert db.session.scalar(select(func.count(User.id))) == users_before
    assert db.session.get(Learner, world.learner.id).last_name == "Quixotewell"


def test_searching_with_sql_wildcards_finds_nobody_by_accident(app, world, client_as):
    """A search form must treat % and _ as the characters themselves, not match every record."""
    client = client_as("coordinator")
    pages = readable_pages(app, world, "coordinator")
    assert pages
    for form in _discover_forms(client, pages):
        if form.method != "get" or not form.text_fields:
            continue
        for wildcard in ("%", "_", "%%", "' OR '1'='1"):
            response = client.get(
                form.action, query_string={**form.fields, **dict.fromkeys(form.text_fields, wildcard)}
            )
            assert response.status_code < 500, form
            assert "Quixotewell" not in response.get_data(as_text=True), f"{form} matched {wildcard!r}"


def test_the_sign_in_form_echoes_a_hostile_email_address_escaped(client):
    payload = '"><script>alert(1)</script>'
    response = client.post("/login", data={"email": payload, "password": "whatever you like"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert payload not in body and "&#34;&gt;&lt;script&gt;" in body
