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
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def page_within(page: int, total: int, per_page: int) -> int:
    """The page asked for, moved onto the list: before the first is the first, past the last the last."""
    last = max(1, -(-total // per_page))
    return min(max(1, page), last)
