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


def _count_and_page(
    session: Session, query: Select[Any], number: int, size: int
) -> tuple[int, int, Select[Any]]:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    last_page = max(1, -(-total // size))
    number = min(max(1, number), last_page)
    return total, number, query.limit(size).offset((number - 1) * size)


def paginate(session: Session, query: Select[Any], number: int, size: int) -> Page[Any]:
    """A page of the query's first column's values: two statements, a count and the page."""
    total, number, page = _count_and_page(session, query, number, size)
    return Page(session.scalars(page).all(), number, size, total)


def paginate_rows(session: Session, query: Select[Any], number: int, size: int) -> Page[Any]:
    """A page of the query's rows (every column): two statements, a count and the page."""
    total, number, page = _count_and_page(session, query, number, size)
    return Page(session.execute(page).all(), number, size, total)
