"""Every form of the app, found on the pages each actor can open, answers random input with a page.

No form is named here: they are discovered (tests/security/support.py forms_on), so a form merged
later is fuzzed without editing this file.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.support import forms_on, readable_pages
from tests.security.test_injection import NOT_SUBMITTED

RANDOM_TEXT = st.one_of(
    st.text(max_size=120),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999",
            "2026-02-30",
            "31/12/1899",
            "1e309",
            "NaN",
            "\x00",
            "<b>",
            "' OR 1=1 --",
            "%",
            "🙂",
            "\u202e",
            "a" * 2000,
        ]
    ),
)


def _forms(client, pages):
    found = {}
    for url in pages:
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            for form in forms_on(url, response.get_data(as_text=True)):
                found.setdefault((form.method, form.action), form)
    return [form for form in found.values() if form.action not in NOT_SUBMITTED]


@pytest.mark.parametrize("actor", ["anonymous", "champion", "coordinator", "admin"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_form_answers_random_input_without_a_server_error(
    app, world, client_as, monkeypatch, actor, data
):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "100000 per minute")  # reach the form, not the limit
    client = client_as(actor)
    forms = _forms(client, readable_pages(app, world, actor))
    assert forms, f"no form found for {actor}"
    for form in forms:
        values = dict(form.fields)
        for name in list(values) + form.text_fields:
            # Choices are sometimes kept, sometimes replaced by anything at all.
            keep = name in form.fields and data.draw(st.booleans(), label=f"keep {name}")
            values[name] = values[name] if keep else data.draw(RANDOM_TEXT, label=name)
        if form.method == "post":
            response = client.post(form.action, data=values)
        else:
            response = client.get(form.action, query_string=values)
        assert response.status_code < 500, f"{actor} {form} {values!r}"
