"""获取方式“电子邮件” needs an e-mail address (《政府信息公开条例》第二十九条第二款: how the information is obtained)."""

import pytest
from django.test import Client

from smartjustice.core.testing import ApiClient, assert_api_error
from smartjustice.govinfo.models import GovInfoRequest
from tests.core.factories import TIANHE

from . import factories

pytestmark = pytest.mark.django_db


def test_the_api_refuses_email_delivery_without_an_address_naming_the_field():
    applicant = factories.citizen()
    tianhe = factories.bureau(TIANHE)
    payload = {
        "organisation_id": tianhe.pk,
        "description": "2025年行政执法统计年报",
        "delivery_method": "email",
    }
    body = assert_api_error(
        ApiClient(applicant).post("govinfo/requests", payload), 422, "validation_failed", fields=["email"]
    )
    assert "电子邮箱" in body["message"]
    bad = ApiClient(applicant).post("govinfo/requests", {**payload, "email": "not-an-address"})
    assert_api_error(bad, 422, "validation_failed", fields=["email"])
    assert not GovInfoRequest.objects.exists()
    done = ApiClient(applicant).post("govinfo/requests", {**payload, "email": "li.ming@example.com"})
    assert done.status_code == 201, done.content
    assert done.json()["applicant_email"] == "li.ming@example.com"


def test_the_form_asks_for_the_email_address_when_email_is_chosen():
    applicant = factories.citizen()
    tianhe = factories.bureau(TIANHE)
    client = Client()
    client.force_login(applicant)
    form = {"organisation": tianhe.pk, "description": "2025年行政执法统计年报", "delivery_method": "email"}
    page = client.post("/govinfo/apply/", form)
    assert page.status_code == 200
    assert "请填写接收信息的电子邮箱" in page.content.decode()
    assert not GovInfoRequest.objects.exists()
    assert client.post("/govinfo/apply/", {**form, "email": "li.ming@example.com"}).status_code == 302
    assert GovInfoRequest.objects.get().applicant_email == "li.ming@example.com"
