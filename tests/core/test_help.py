"""The help page for volunteers."""


def test_the_help_page_is_open_without_signing_in_and_names_the_support_contact(app, client):
    response = client.get("/help")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Register a learner" in page
    assert "Log a session" in page
    assert "Fix a mistake" in page
    assert app.config["SUPPORT_EMAIL"] in page


def test_a_signed_in_champion_sees_help_in_the_menu_and_a_link_to_their_account(client, login_as):
    login_as("champion")

    page = client.get("/help").get_data(as_text=True)

    assert 'href="/help"' in page
    assert 'href="/account"' in page
