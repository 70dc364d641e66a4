"""`flask reminders send` started on two hosts at once (one PostgreSQL): each champion gets one e-mail."""

import re
import subprocess
import sys
from datetime import date

from sqlalchemy import func, select

from inclusion.extensions import db
from inclusion.regular.models import ReminderSend
from tests import factories
from tests.mail_server import MailServer
from tests.scale.hosts import ROOT

CHAMPIONS = 6


def test_reminders_started_on_two_hosts_at_once_send_each_champion_one_email(host_env):
    addresses = []
    for number in range(CHAMPIONS):
        champion = factories.create_user("champion", email=f"host-champion{number}@example.org")
        venue = factories.create_venue(partner=champion.partner)
        factories.create_regular_session(venue, weekday=0, starts_on=date(2026, 11, 23), champions=[champion])
        addresses.append(champion.email)
    server = MailServer().start()
    env = {
        **host_env,
        "FLASK_APP": "inclusion",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(server.port),
        "APP_BASE_URL": "https://inclusion.example.org",
    }
    command = [sys.executable, "-m", "flask", "reminders", "send", "--today", "2026-11-30"]
    try:
        # Both start together, as two hosts' timers would at 07:30 on a Monday.
        runs = [
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
            for _ in range(2)
        ]
        outcomes = [run.communicate(timeout=120) for run in runs]
        # And a third, later in the week (a host catching up after a reboot).
        later = subprocess.run(  # noqa: S603
            [*command[:-1], "2026-12-02"], cwd=ROOT, env=env, capture_output=True, timeout=120, check=False
        )
    finally:
        server.stop()

    assert [run.returncode for run in runs] == [0, 0], outcomes
    assert later.returncode == 0, later.stderr
    sent = [int(re.search(rb"(\d+) sent,", out).group(1)) for out, _ in outcomes]
    assert sorted(sent) == [0, CHAMPIONS], outcomes
    assert b"0 sent, 6 sent already" in later.stdout
    assert sorted(message["To"] for message in server.messages) == sorted(addresses)
    assert all("https://inclusion.example.org/regular/" in message.get_content() for message in server.messages)
    db.session.expire_all()
    recorded = select(func.count()).select_from(ReminderSend).where(ReminderSend.sent_at.is_not(None))
    assert db.session.scalar(recorded) == CHAMPIONS
