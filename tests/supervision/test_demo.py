"""The demo step: a scan, one 督办 by th_supervisor on a flag of 天河区, idempotent."""

import pytest

from smartjustice.core.testing import COUNTY_A
from smartjustice.supervision import demo
from smartjustice.supervision.models import SupervisionOrder
from tests.supervision import makers

pytestmark = pytest.mark.django_db


def test_the_demo_scans_and_issues_one_order_once():
    agency = makers.agency(COUNTY_A)
    makers.case(agency, handlers=(makers.officer(agency, certified=False),))
    makers.supervisor(COUNTY_A, username="th_supervisor")
    first = demo.load()
    assert first.detail["监督预警"] >= 2 and SupervisionOrder.objects.count() == 1
    demo.load()
    assert SupervisionOrder.objects.count() == 1
