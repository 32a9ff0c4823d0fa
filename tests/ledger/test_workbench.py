"""The ledger's workbench tile: a log that grew past its newest checkpoint waits for the ledger administrator."""

import pytest
from django.test import Client

from smartjustice.core.testing import CITY, PROVINCE, make_staff
from smartjustice.ledger import services

pytestmark = pytest.mark.django_db


def workbench(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/workbench/").content.decode()


def test_an_unsigned_log_is_on_the_ledger_administrator_s_to_do_list_until_signed():
    admin = make_staff(PROVINCE, "ledger_admin")
    services.append_batch("decisions", [b"a", b"b"], kind="t")
    body = workbench(admin)
    assert "待签发检查点" in body and "decisions：2 条新条目尚未签入检查点" in body
    assert "decisions" not in workbench(make_staff(CITY, "ledger_admin"))  # not the city's log
    client = Client()
    client.force_login(admin)
    client.post("/ledger/manage/logs/decisions/checkpoint")
    body = workbench(admin)
    assert "decisions：" not in body and "暂无待办事项" in body
