"""个人设置 → 显示完整信息: one's own personal information, unmasked on request, for every kind of account.

The view passes `request.user` (a lazy proxy) to the reveal service; the policy reads the record's class, so the
proxy once made it answer 500 for administrators (core.view_pii) and silently keep citizens' own data masked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from smartjustice.core import services
from smartjustice.core.choices import AccountKind, AuditEvent
from smartjustice.core.testing import assert_not_audited, make_staff
from tests.core.factories import PROVINCE, TIANHE

pytestmark = pytest.mark.django_db

ID_NUMBER = "440106198805171379"


def test_a_citizen_reveals_their_own_details_on_the_profile(client):
    user = services.register_portal_account(
        username="citizen-li",
        password="Li-2026-portal",
        kind=AccountKind.CITIZEN,
        real_name="李小明",
        id_number=ID_NUMBER,
        phone="13812345678",
    )
    client.force_login(user)
    assert ID_NUMBER not in client.get(reverse("account")).content.decode()
    response = client.post(reverse("account"))
    assert response.status_code == 200
    page = response.content.decode()
    assert ID_NUMBER in page and "13812345678" in page
    assert_not_audited(AuditEvent.PII_VIEWED, obj=user)  # one's own data: not an audited view


@pytest.mark.parametrize("code", [PROVINCE, TIANHE])
def test_an_administrator_reveals_their_own_details_without_an_error(client, code):
    admin = make_staff(code, "system_admin", id_number=ID_NUMBER, phone="13812345678")
    client.force_login(admin)
    response = client.post(reverse("account"))
    assert response.status_code == 200
    assert ID_NUMBER in response.content.decode()
    assert_not_audited(AuditEvent.PII_VIEWED, obj=admin)
