"""Very long lists (a province's million cases) count at most COUNT_CAP rows: the pager says “N+”."""

import pytest
from django.test import RequestFactory

from smartjustice.core import pagination
from smartjustice.core.models import Jurisdiction

pytestmark = pytest.mark.django_db


def test_the_count_stops_at_the_cap_and_says_there_are_more():
    total = Jurisdiction.objects.count()
    assert total > 3
    assert pagination.capped_count(Jurisdiction.objects.all(), cap=3) == (3, True)
    assert pagination.capped_count(Jurisdiction.objects.all(), cap=total) == (total, False)


def test_a_capped_page_counts_to_the_cap(monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    monkeypatch.setattr(pagination.capped_count, "__defaults__", (5,))
    request = RequestFactory().get("/", {"page": "99"})
    page = pagination.page_of(Jurisdiction.objects.order_by("code"), request, per_page=2, capped=True)
    assert page.paginator.count == 5 and page.paginator.more
    assert page.number == 3  # clamped to the last page of the capped count
    assert len(page.object_list) == 1
