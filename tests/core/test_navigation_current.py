"""The side navigation marks one item as the current page: the most specific match, not every prefix of the path."""

import re

import pytest
from django.test import Client

from tests.core.factories import PROVINCE, staff_in

pytestmark = pytest.mark.django_db


def current_items(user, path: str) -> list[str]:
    client = Client()
    client.force_login(user)
    html = client.get(path).content.decode()
    nav = html[html.index('id="sj-sidebar"') : html.index("</nav>", html.index('id="sj-sidebar"'))]
    return re.findall(r'aria-current="page">\s*<i[^>]*></i><span>([^<]+)</span>', nav)


@pytest.mark.parametrize(
    ("path", "label"),
    [("/laws/rules/alerts/", "法条变更提醒"), ("/laws/rules/", "规则与法条"), ("/laws/", "法律法规库")],
)
def test_one_current_item_the_most_specific(path, label):
    admin = staff_in(PROVINCE, "system_admin")
    assert current_items(admin, path) == [label]
