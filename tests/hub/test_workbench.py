"""The hub's workbench tile: dead letters wait for the data-sharing administrator."""

import pytest
from django.test import Client

from smartjustice.hub.choices import DeliveryStatus
from smartjustice.hub.models import Delivery
from tests.core.factories import TIANHE, staff_in

from .helpers import publish_cases, run_worker

pytestmark = pytest.mark.django_db


def workbench(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/workbench/").content.decode()


def test_a_dead_letter_is_on_the_data_sharing_administrator_s_to_do_list(pushed_consumer, hub_admin):
    assert "死信待处理" not in workbench(hub_admin)
    publish_cases(1)
    run_worker()
    Delivery.objects.update(status=DeliveryStatus.DEAD, last_error="接收方返回 HTTP 500")
    body = workbench(hub_admin)
    assert "死信待处理" in body and "接收方返回 HTTP 500" in body
    assert "/hub/deliveries/?status=dead" in body
    assert "死信待处理" not in workbench(staff_in(TIANHE, "mediator"))
