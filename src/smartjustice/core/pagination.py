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


def page_of(queryset, request, *, per_page: int = DEFAULT_PAGE_SIZE):
    """Pages use the same convention: a Django Page for ?page=, clamped to the last page."""
    paginator = Paginator(queryset, per_page)
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    try:
        return paginator.page(number)
    except EmptyPage:
        return paginator.page(paginator.num_pages)
