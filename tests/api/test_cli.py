"""`flask api-tokens create|list|revoke`."""

from datetime import timedelta

from inclusion.api import tokens
from inclusion.timeutil import today_in_london


def test_a_token_created_on_the_command_line_works_and_is_listed_without_its_secret(runner, client):
    until = (today_in_london() + timedelta(days=60)).isoformat()
    result = runner.invoke(args=["api-tokens", "create", "Data platform", "--until", until])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    assert secret.startswith(tokens.PREFIX)
    assert client.get("/api/v1/months", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    listing = runner.invoke(args=["api-tokens", "list"]).output
    assert "active" in listing and "Data platform" in listing and secret not in listing


def test_revoking_on_the_command_line_stops_the_token(runner, client):
    secret = runner.invoke(args=["api-tokens", "create", "BI"]).stdout.strip().splitlines()[-1]
    token_id = tokens.list_tokens()[0].id
    assert runner.invoke(args=["api-tokens", "revoke", str(token_id)]).exit_code == 0
    assert client.get("/api/v1/months", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_mistakes_exit_1_with_a_message(runner):
    bad_date = runner.invoke(args=["api-tokens", "create", "BI", "--until", "30/06/2027"])
    assert bad_date.exit_code == 1 and "YYYY-MM-DD" in bad_date.output
    past = runner.invoke(args=["api-tokens", "create", "BI", "--until", "2020-01-01"])
    assert past.exit_code == 1 and "today or in the future" in past.output
    unknown = runner.invoke(args=["api-tokens", "revoke", "999"])
    assert unknown.exit_code == 1 and "no token with id 999" in unknown.output
