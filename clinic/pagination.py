"""Numbered pages of a query's results."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int
    size: int
    total: int
    # More matched than were counted (``total`` is the limit): narrow the search.
    more: bool = False

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.page_count

    @property
    def first_index(self) -> int:
        return 0 if self.total == 0 else (self.number - 1) * self.size + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.number * self.size)

    def map(self, convert: Callable[[T], U]) -> Page[U]:
        return Page([convert(item) for item in self.items], self.number, self.size, self.total)


def _page_rows(session: Session, query: Select[Any], number: int, size: int) -> Page[Any]:
    """One statement: the page's rows, each with the total number of rows (a window
    count). A page past the end (an old link) shows the last page instead: two more."""
    total_column = func.count().over().label("page_total")
    number = max(1, number)
    rows = session.execute(
        query.add_columns(total_column).limit(size).offset((number - 1) * size)
    ).all()
    if rows:
        return Page([tuple(row)[:-1] for row in rows], number, size, rows[0][-1])
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    if total == 0 or number == 1:
        return Page([], 1, size, total)
    return _page_rows(session, query, -(-total // size), size)


def paginate(
    session: Session, query: Select[Any], number: int, size: int, *, whole_rows: bool = False
) -> Page[Any]:
    """A page of the query's first column's values (or, ``whole_rows``, of its rows), in
    one statement."""
    page = _page_rows(session, query, number, size)
    return page if whole_rows else page.map(lambda row: row[0])
