"""The one pagination convention for every list endpoint: ?page=&page_size= → {items, count, page, page_size, pages}.

Also the bounds of list queries: a page number or an id filter beyond what the database can hold is refused with a
422 naming the field, instead of overflowing in the database (a 500).
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from django.core.paginator import EmptyPage, Paginator
from ninja import Field, Schema
from ninja.pagination import PaginationBase

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
#: The offset (page × size) must fit the database's 64-bit integers; no list has anywhere near this many pages.
MAX_PAGE = 1_000_000
MAX_ID = 2**63 - 1

#: Lists that can hold millions of rows (enforcement cases) count at most this many: an exact count(*) over a
#: province's million cases costs more than the page itself, and nobody pages past 500 pages.
COUNT_CAP = 10_000

#: A record id in a filter or a request body (`organisation: Id | None = None`): 1 … 2**63 − 1, a database BIGINT.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class PageNumberPagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
        page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="每页条数（最多 100）")

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int
        pages: int

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, **params):
        count = (
            queryset.count()
            if hasattr(queryset, "count") and not isinstance(queryset, list)
            else len(queryset)
        )
        offset = (pagination.page - 1) * pagination.page_size
        items = queryset[offset : offset + pagination.page_size]
        # A model may load what its output schema needs for a whole page in one query (no N+1 in resolvers).
        prepare = getattr(getattr(queryset, "model", None), "prepare_page", None)
        if prepare is not None:
            items = prepare(list(items))
        return {
            "items": items,
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
            "pages": max(1, math.ceil(count / pagination.page_size)),
        }


def capped_count(queryset, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, more): the rows of `queryset` up to `cap`, and whether there are more than that."""
    # Ids only, in primary-key order: without an ORDER BY PostgreSQL may answer the LIMIT with a sequential scan,
    # and synchronized scans start it wherever the last one stopped (a city's count took 10 ms or 900 ms at random).
    found = queryset.order_by("pk").values("pk")[: cap + 1].count()
    return min(found, cap), found > cap


class CappedPageNumberPagination(PageNumberPagination):
    """The same convention for very long lists: `count` stops at COUNT_CAP and `more` says there are more."""

    class Output(PageNumberPagination.Output):
        more: bool = Field(False, description="记录数超过统计上限时为 true（count 为上限）")

    def paginate_queryset(self, queryset, pagination, **params):
        count, more = capped_count(queryset)
        page = super().paginate_queryset(_Counted(queryset, count), pagination, **params)
        return {**page, "more": more}


class _Counted:
    """A queryset whose count() is already known (the capped one), sliced and prepared as the queryset itself."""

    def __init__(self, queryset, count: int):
        self.queryset, self._count, self.model = queryset, count, queryset.model

    def count(self) -> int:
        return self._count

    def __getitem__(self, index):
        return self.queryset[index]


class _CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows; `more` says whether the list goes on (pages show “10000+”)."""

    more = False

    @property
    def count(self) -> int:
        if not hasattr(self, "_capped"):
            self._capped, self.more = capped_count(self.object_list)
        return self._capped


def page_of(queryset, request, *, per_page: int = DEFAULT_PAGE_SIZE, capped: bool = False):
    """Pages use the same convention: a Django Page for ?page=, clamped to the last page. `capped` counts at most
    COUNT_CAP rows (very long lists; templates show “10000+” when `page.paginator.more`)."""
    paginator = (_CappedPaginator if capped else Paginator)(queryset, per_page)
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    try:
        return paginator.page(number)
    except EmptyPage:
        return paginator.page(paginator.num_pages)
