"""The report archive speaks to staff in plain words: no setting or command names (issue 14)."""

from datetime import date

from inclusion.reports import views as reports_views


def test_an_empty_archive_names_no_command(client, login_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "FUNDER_REPORT_RECIPIENTS", [])
    login_as("coordinator")
    html = client.get("/reports/archive").get_data(as_text=True)
    assert "flask" not in html and "send-monthly" not in html and "FUNDER_REPORT_RECIPIENTS" not in html
    assert "sent to the funders automatically early in the next month, or you can send one below" in html
    assert "ask your administrator to add the funders&#39; email addresses" in html


def test_sending_with_no_recipients_says_what_to_do_in_plain_words(client, login_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "FUNDER_REPORT_RECIPIENTS", [])
    monkeypatch.setattr(reports_views, "today_in_london", lambda: date(2026, 12, 2))
    login_as("coordinator")
    html = client.post("/reports/archive", data={"month": "2026-11"}).get_data(as_text=True)
    assert "There is nobody to send it to yet: ask your administrator" in html
    assert "FUNDER_REPORT_RECIPIENTS" not in html
