"""Recent sign-ins name the browser in plain words, never the raw User-Agent string (issue 14)."""

import pytest

from inclusion.auth.browsers import UNKNOWN, describe_browser
from tests.factories import DEFAULT_PASSWORD

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


@pytest.mark.parametrize(
    ("user_agent", "plain"),
    [
        (ANDROID_CHROME, "Chrome on Android"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari on iOS",
        ),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Windows"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on macOS",
        ),
        ("", UNKNOWN),
        (None, UNKNOWN),
        ("\x00garbage", UNKNOWN),
    ],
)
def test_a_user_agent_reads_as_a_browser_on_a_system(user_agent, plain):
    assert describe_browser(user_agent) == plain


def test_the_account_page_shows_the_plain_name_not_the_raw_string(client, login_as):
    user = login_as("champion")
    client.post("/logout")
    client.post(
        "/login", data={"email": user.email, "password": DEFAULT_PASSWORD}, headers={"User-Agent": ANDROID_CHROME}
    )
    html = client.get("/account").get_data(as_text=True)
    assert "Chrome on Android" in html
    assert "AppleWebKit" not in html and "Mozilla/5.0" not in html
