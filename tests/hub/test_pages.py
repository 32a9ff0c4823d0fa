"""Pages: catalogue, dead letters with replay, statistics with charts, and the citizen's 我的数据共享记录."""

import pytest
from django.test import Client
from django.utils import timezone

from smartjustice.core import verification
from smartjustice.core.choices import AccountKind
from smartjustice.core.models import User
from smartjustice.core.testing import ApiClient, items_of, make_staff
from smartjustice.hub import queries
from smartjustice.hub.choices import DeliveryStatus
from smartjustice.hub.models import Delivery
from tests.core.factories import TIANHE

from . import factories
from .helpers import publish_cases, run_worker

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_catalogue_page_lists_datasets_with_sharing_class(catalogue, hub_admin):
    html = _client(hub_admin).get("/hub/").content.decode()
    assert "行政执法案件" in html and "有条件共享" in html and "不予共享" in html
    empty = _client(hub_admin).get("/hub/", {"q": "不存在的数据集"}).content.decode()
    assert "没有符合条件的数据集" in empty


def test_dead_letter_page_replays_with_one_button(pushed_consumer, local_consumer, hub_admin):
    publish_cases(1)
    run_worker()
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.DEAD, last_error="接收方返回 HTTP 500"
    )
    client = _client(hub_admin)
    html = client.get("/hub/deliveries/", {"status": "dead"}).content.decode()
    assert "接收方返回 HTTP 500" in html and "重新投递" in html
    response = client.post(f"/hub/deliveries/{delivery.pk}/replay/")
    assert response.status_code == 302
    assert Delivery.objects.get().status == DeliveryStatus.PENDING
    assert "暂无记录" in client.get("/hub/deliveries/", {"status": "dead"}).content.decode()


def test_statistics_page_shows_charts_per_dataset_and_consumer(pushed_consumer, local_consumer, hub_admin):
    empty = _client(hub_admin).get("/hub/statistics/").content.decode()
    assert "暂无汇聚或共享的数据" in empty
    publish_cases(3)
    run_worker()
    html = _client(hub_admin).get("/hub/statistics/").content.decode()
    assert "echarts.min.js" in html and "hub-monthly-data" in html
    assert timezone.localdate().strftime("%Y-%m") in html and "bigdata 系统" in html
    stats = queries.statistics(hub_admin)
    assert stats["shared"][0]["count"] == 3 and stats["gathered"][0]["dataset"] == "行政执法案件"
    assert _client(make_staff(TIANHE, "mediator")).get("/hub/statistics/").status_code == 403


def test_citizen_sees_which_agency_received_their_data_and_why(pushed_consumer, local_consumer):
    id_number = factories.citizen_id(77)
    citizen = User.objects.create(
        username="citizen77", kind=AccountKind.CITIZEN, real_name="张三丰", id_number=id_number
    )
    stranger = User.objects.create(
        username="citizen78", kind=AccountKind.CITIZEN, real_name="李四", id_number=factories.citizen_id(78)
    )
    for person in (citizen, stranger):  # records by ID number only for verified accounts (core.verification)
        verification.record_verification(person, method="in_person", actor=None, id_number=person.id_number)
    publish_cases(1, id_number=id_number)
    publish_cases(1, start=2, id_number=factories.citizen_id(79))
    run_worker()
    html = _client(citizen).get("/hub/my-disclosures/").content.decode()
    assert "bigdata 系统" in html and "行政执法案件" in html and "行政执法监督和信用监管" in html
    assert "当事人证件号码（脱敏显示）" in html
    assert "暂无共享记录" in _client(stranger).get("/hub/my-disclosures/").content.decode()
    rows = items_of(ApiClient(citizen).get("hub/my-disclosures"))
    assert len(rows) == 1 and rows[0]["consumer_name"] == "bigdata 系统"
