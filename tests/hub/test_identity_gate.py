"""我的数据共享记录 by ID number only for an account whose identity was verified: an impostor sees how to verify."""

import pytest
from django.test import Client

from smartjustice.core import services as core_services
from smartjustice.core import verification
from smartjustice.core.choices import AccountKind
from smartjustice.core.testing import ApiClient, assert_api_error, has_chinese, items_of

from . import factories
from .helpers import publish_cases, run_worker

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def register(username: str, id_number: str, real_name: str):
    return core_services.register_portal_account(
        username=username,
        password="Pw-Secret-2026!",
        kind=AccountKind.CITIZEN,
        real_name=real_name,
        id_number=id_number,
    )


@pytest.fixture
def shared_about_zhang(pushed_consumer, local_consumer):
    """One case about 张三丰 (his ID number) went to the province's big-data centre."""
    id_number = factories.citizen_id(91)
    publish_cases(1, id_number=id_number)
    run_worker()
    return id_number


def test_an_account_registered_with_someone_elses_id_number_does_not_see_their_records(shared_about_zhang):
    impostor = register("impostor91", shared_about_zhang, "随便什么名字")
    html = _client(impostor).get("/hub/my-disclosures/").content.decode()
    assert "bigdata 系统" not in html and "行政执法案件" not in html
    assert "实名核验" in html and "身份证原件" in html, "the account is told how to get verified"
    body = assert_api_error(ApiClient(impostor).get("hub/my-disclosures"), 403, "identity_not_verified")
    assert "实名核验" in body["message"]


def test_the_verified_holder_sees_the_records(shared_about_zhang):
    zhang = register("zhang91", shared_about_zhang, "张三丰")
    verification.record_verification(zhang, method="in_person", actor=None, id_number=zhang.id_number)
    html = _client(zhang).get("/hub/my-disclosures/").content.decode()
    assert "bigdata 系统" in html and "行政执法案件" in html
    rows = items_of(ApiClient(zhang).get("hub/my-disclosures"))
    assert len(rows) == 1


def test_a_verified_account_that_changes_its_id_number_loses_the_records(shared_about_zhang):
    zhang = register("zhang92", shared_about_zhang, "张三丰")
    verification.record_verification(zhang, method="in_person", actor=None, id_number=zhang.id_number)
    zhang.id_number = factories.citizen_id(93)
    zhang.save()
    body = assert_api_error(ApiClient(zhang).get("hub/my-disclosures"), 403, "identity_not_verified")
    assert has_chinese(body["message"])
