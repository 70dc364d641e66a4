"""A fixed "today" for the follow-up pages and services (the real date must not decide a test)."""

from datetime import date

import pytest

from inclusion.followups import home, services, views
from inclusion.followups.models import ANSWER_COLUMNS

TODAY = date(2026, 12, 15)  # FOLLOW_UP_DAYS (90) after 16 September 2026
ALL_YES = dict.fromkeys(ANSWER_COLUMNS, "yes")


@pytest.fixture(autouse=True)
def today(monkeypatch):
    for module in (home, services, views):
        monkeypatch.setattr(module, "today_in_london", lambda: TODAY)
    return TODAY
