"""Clock helpers: timestamps are stored as naive UTC; session dates are Europe/London days."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def today_in_london() -> date:
    return datetime.now(LONDON).date()


def to_london(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC).astimezone(LONDON)
