"""Month arithmetic: reporting periods are calendar months (or runs of them) of Europe/London days."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from inclusion.timeutil import today_in_london

_MONTH = re.compile(r"(\d{4})-(\d{2})")


class PeriodError(ValueError):
    """A month that is malformed or in the future; the message is for the user."""


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after (or before, if negative) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return add_months(day, 1) - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """Calendar days from `start` to `end`, both included."""

    start: date
    end: date

    @classmethod
    def month(cls, day: date) -> "Period":
        first = day.replace(day=1)
        return cls(first, month_end(first))

    @classmethod
    def months(cls, first: date, last: date) -> "Period":
        """From the start of the month of `first` to the end of the month of `last`."""
        return cls(first.replace(day=1), month_end(last))

    @property
    def month_count(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def is_single_month(self) -> bool:
        return self.start.day == 1 and self.end == month_end(self.start) and self.month_count == 1

    @property
    def key(self) -> str:
        """`YYYY-MM` for a month, `YYYY-MM..YYYY-MM` for a run of months."""
        first, last = self.start.strftime("%Y-%m"), self.end.strftime("%Y-%m")
        return first if first == last else f"{first}..{last}"

    @property
    def label(self) -> str:
        first, last = self.start.strftime("%B %Y"), self.end.strftime("%B %Y")
        return first if first == last else f"{first} to {last}"

    def shifted(self, months: int) -> "Period":
        """The same run of calendar months, `months` later (earlier if negative)."""
        return Period.months(add_months(self.start, months), add_months(self.end.replace(day=1), months))

    def previous(self) -> "Period":
        return self.shifted(-self.month_count)

    def year_earlier(self) -> "Period":
        return self.shifted(-12)

    def each_month(self) -> list["Period"]:
        return [Period.month(add_months(self.start, offset)) for offset in range(self.month_count)]


def parse_month(text: str | None, *, today: date | None = None) -> Period:
    """`YYYY-MM` as a Period; a malformed month or one after the current month is a PeriodError."""
    text = (text or "").strip()
    match = _MONTH.fullmatch(text)
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
        raise PeriodError(f"'{text}' is not a month: write it as YYYY-MM, for example 2026-10")
    first = date(int(match.group(1)), int(match.group(2)), 1)
    current = (today or today_in_london()).replace(day=1)
    if first > current:
        raise PeriodError(f"{text} is in the future: there are no figures for it yet")
    return Period.month(first)


def parse_period(text: str | None, *, today: date | None = None) -> Period:
    """`YYYY-MM` or `YYYY-MM..YYYY-MM` (a run of months, oldest first) as a Period."""
    text = (text or "").strip()
    if ".." not in text:
        return parse_month(text, today=today)
    first_text, _, last_text = text.partition("..")
    first, last = parse_month(first_text, today=today), parse_month(last_text, today=today)
    if last.start < first.start:
        raise PeriodError("The first month of the period must not be after its last month")
    return Period(first.start, last.end)


def this_month(today: date | None = None) -> Period:
    return Period.month(today or today_in_london())


def last_month(today: date | None = None) -> Period:
    return this_month(today).shifted(-1)
