"""Paging done in SQL: a count and one LIMIT/OFFSET query, whatever the table's size."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import Select, func, select

from .extensions import db


@dataclass(frozen=True)
class Page:
    items: list
    page: int
    pages: int
    total: int
    per_page: int

    @property
    def number(self) -> int:
        """The page's number, under the name the other page objects use (the one pager reads it)."""
        return self.page

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_number(self) -> int:
        """The 1-based position of the first item on this page (0 when there is none)."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0


def paginate(query: Select, page: int, per_page: int) -> Page:
    """`query`'s rows on page `page` (clamped to 1..pages), counted and cut in SQL."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, math.ceil((total or 0) / per_page))
    page = min(max(page, 1), pages)
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, page=page, pages=pages, total=total or 0, per_page=per_page)
