"""One page of a long list: which rows to fetch, and what the page links need to know."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Page:
    """Rows `(page - 1) * per_page` onwards of `total`; `query` is the search that found them, if any."""

    rows: list[Any]
    total: int
    page: int
    per_page: int
    query: str = field(default="")

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def page_count(total: int, per_page: int) -> int:
    """Pages needed for `total` rows; an empty list still has its one (empty) page."""
    return max(1, -(-total // per_page))


def page_within(page: int, total: int, per_page: int) -> int:
    """The page asked for, moved onto the list: before the first is the first, past the last the last."""
    return min(max(1, page), page_count(total, per_page))
