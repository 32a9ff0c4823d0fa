"""Hub pages ask core.access like the API does: the same empty list, the same 403, and delivery figures only for
staff who may view deliveries (hub.view_delivery)."""

from __future__ import annotations

import pytest
from django.test import Client

from smartjustice.core import access
from smartjustice.core.models import Role
from smartjustice.core.testing import ApiClient, make_staff
from smartjustice.hub import services
from tests.core.factories import PROVINCE, TIANHE

from .conftest import register
from .helpers import publish_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def consumer_viewer(monkeypatch):
    """A role that may see consumers and their subscriptions but not the deliveries to them."""
    definitions = dict(access.role_definitions())
    definitions["consumer_viewer"] = {
        "code": "consumer_viewer",
        "name": "使用方查看",
        "permissions": ["hub.view_consumer", "hub.view_subscription", "hub.view_dataset"],
    }
    Role.objects.get_or_create(code="consumer_viewer", defaults={"name": "使用方查看"})
    monkeypatch.setattr(access, "role_definitions", lambda: definitions)
    return make_staff(PROVINCE, "consumer_viewer")


def _page(user, url: str):
    client = Client()
    client.force_login(user)
    return client.get(url)


def test_delivery_counts_per_subscription_are_shown_only_with_view_delivery(
    catalogue, hub_admin, consumer_viewer
):
    consumer, _ = register("gd-bigdata")
    services.subscribe(
        actor=hub_admin,
        consumer=consumer,
        dataset=catalogue["enforcement.case"],
        purpose="行政执法监督",
        legal_basis="《中华人民共和国行政处罚法》第四十八条",
        mode="pull",
    )
    publish_cases(2)
    url = f"/hub/consumers/{consumer.pk}/"
    admin_html = _page(hub_admin, url).content.decode()
    assert "待投递" in admin_html and 'data-testid="delivery-counts"' in admin_html
    viewer = _page(consumer_viewer, url)
    assert viewer.status_code == 200
    html = viewer.content.decode()
    assert "enforcement.case" in html or "执法" in html  # the subscription is listed …
    assert "待投递" not in html and 'data-testid="delivery-counts"' not in html  # … without delivery figures


def test_pages_answer_like_the_api_for_staff_without_the_permission(catalogue):
    register("gd-bigdata")
    mediator = make_staff(TIANHE, "mediator")
    assert ApiClient(mediator).get("hub/deliveries").json()["items"] == []
    assert _page(mediator, "/hub/deliveries/").status_code == 200
    assert ApiClient(mediator).get("hub/statistics").status_code == 403
    assert _page(mediator, "/hub/statistics/").status_code == 403
    assert ApiClient(mediator).get("hub/datasets").status_code == 403
    assert _page(mediator, "/hub/").status_code == 403
