"""Paging for every list: limit/offset with a ceiling, so a client cannot ask the database for
more rows than a page should hold (or for a number the database cannot even represent)."""

from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination

# the largest value a 64-bit integer column (and SQLite's LIMIT/OFFSET) accepts
MAX_DB_INT = 2**63 - 1


class Pagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 500

    def get_offset(self, request) -> int:  # type: ignore[no-untyped-def]
        return min(super().get_offset(request), MAX_DB_INT)


def db_int(value: str | None) -> int | None:
    """A query parameter as an id: None when it is no non-negative integer a database column can hold."""
    if not value or not value.isdigit():
        return None
    number = int(value)
    return number if number <= MAX_DB_INT else None
