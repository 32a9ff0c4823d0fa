"""法条变更提醒 on a phone: each alert is a card (the five-column table, squeezed to 390 px, showed the cited
article one character per line and cut off the acknowledge form); the table stays for wider screens."""

import re

import pytest
from django.test import Client

from smartjustice.core import rules
from smartjustice.core.citations import Citation
from smartjustice.statutes import services
from tests.core.factories import PROVINCE, staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged():
    with rules.scratch_registry():
        rules.Rule("amended", "规则 amended", Citation("中华人民共和国刑法", 76), module="govinfo")
        (alert,) = services.flag_cited_articles().flagged
        yield alert


def test_alerts_are_cards_on_phones_and_a_table_from_md_up(flagged):
    client = Client()
    client.force_login(staff_in(PROVINCE, "system_admin"))
    html = client.get("/laws/rules/alerts/").content.decode()
    cards = html[html.index('data-testid="alert-cards"') : html.index('data-testid="alerts"')]
    assert 'class="list-group d-md-none' in html and 'class="table-responsive d-none d-md-block"' in html
    assert "govinfo.amended" in cards and "《中华人民共和国刑法》第七十六条" in cards
    assert f'action="/laws/rules/alerts/{flagged.pk}/acknowledge/"' in cards  # acknowledged from the card too
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # the card's note field does not reuse the table's id
