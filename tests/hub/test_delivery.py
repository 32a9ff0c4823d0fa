"""Push delivery: signed, masked, at least once with retries and backoff, dead letters that staff can replay."""

from datetime import timedelta

import pytest
from django.utils import timezone

from smartjustice.core.testing import ApiClient, assert_api_error, assert_audited, items_of, make_staff
from smartjustice.hub import services
from smartjustice.hub.choices import DeliveryStatus, HubAuditEvent
from smartjustice.hub.models import Delivery, Disclosure
from tests.core.factories import SHENZHEN_FUTIAN, TIANHE, YUEXIU

from .conftest import register
from .helpers import publish_cases, run_worker

pytestmark = pytest.mark.django_db


def test_worker_pushes_a_signed_masked_record_with_an_idempotency_key(pushed_consumer, local_consumer):
    (record,) = publish_cases(1)
    run_worker()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
    assert local_consumer.bad_signatures == 0
    body = local_consumer.applied[str(delivery.idempotency_key)]
    assert body["dataset"] == "enforcement.case" and body["record_key"] == "C1"
    assert body["purpose"] == "行政执法监督和信用监管"
    # Personal information leaves masked by default.
    assert body["data"]["party_name"] == "张**"
    assert body["data"]["party_id_number"].startswith("4401") and "*" in body["data"]["party_id_number"]
    assert body["data"]["cause"] == record.data["cause"]


def test_subscription_fields_and_masking_rules_shape_what_leaves(catalogue, local_consumer, hub_admin):
    consumer, credentials = register("city-gz", push_url=local_consumer.url)
    local_consumer.secret = credentials["push_secret"]
    services.subscribe(
        actor=hub_admin,
        consumer=consumer,
        dataset=catalogue["enforcement.case"],
        purpose="信用评价",
        legal_basis="《广东省社会信用条例》第十六条",
        fields=["case_number", "party_name", "party_id_number", "status"],
        masking={"party_name": "clear", "party_id_number": "drop"},
        jurisdiction_codes=[TIANHE],
    )
    publish_cases(1, code=TIANHE)
    publish_cases(1, start=2, code=YUEXIU)  # outside the subscribed district
    run_worker()
    (body,) = local_consumer.applied.values()
    assert body["data"] == {
        "case_number": "粤天河执罚〔2026〕1号",
        "party_name": "张三丰",
        "status": "已立案",
    }


def test_not_shared_datasets_cannot_be_subscribed_and_purpose_is_required(catalogue, hub_admin):
    consumer, _ = register("ministry", push_url="http://127.0.0.1:9/")
    from smartjustice.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        services.subscribe(
            actor=hub_admin, consumer=consumer, dataset=catalogue["correction.daily_report"], purpose=" "
        )
    assert {"purpose", "dataset"} <= set(caught.value.fields)


def test_consumer_down_then_back_every_record_delivered_once(pushed_consumer, local_consumer):
    """Fault: the consumer is down; the worker retries by the backoff schedule; it comes back; all arrive once."""
    publish_cases(5)
    local_consumer.stop()
    started = timezone.now()
    run_worker(at=started)
    assert set(Delivery.objects.values_list("status", "attempts")) == {(DeliveryStatus.PENDING, 1)}
    first_retry = services.backoff(1)
    assert all(d.next_attempt_at == started + first_retry for d in Delivery.objects.all())
    assert "无法连接" in Delivery.objects.first().last_error

    run_worker(at=started + first_retry / 2)  # not due yet: nothing is tried
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}

    local_consumer.start()  # back, same address
    run_worker(at=started + first_retry + timedelta(seconds=1))
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}
    assert len(local_consumer.applied) == 5 and local_consumer.receipts == 5


def test_dead_letter_after_the_last_attempt_then_replayed_by_staff(
    pushed_consumer, local_consumer, hub_admin
):
    publish_cases(1)
    local_consumer.stop()
    moment = timezone.now()
    for attempt in range(1, services.policy()["max_attempts"] + 1):
        run_worker(at=moment)
        moment += services.backoff(attempt) + timedelta(seconds=1)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.DEAD and delivery.attempts == services.policy()["max_attempts"]

    client = ApiClient(hub_admin)
    dead = items_of(client.get("hub/deliveries", {"status": "dead"}))
    assert [row["id"] for row in dead] == [delivery.pk] and dead[0]["status_label"] == "死信"
    # Staff outside the consumer's jurisdiction cannot see or replay it.
    outsider = ApiClient(make_staff(SHENZHEN_FUTIAN, "data_sharing_admin"))
    assert items_of(outsider.get("hub/deliveries", {"status": "dead"})) == []
    assert_api_error(outsider.post(f"hub/deliveries/{delivery.pk}/replay"), 404, "not_found")

    local_consumer.start()
    response = client.post(f"hub/deliveries/{delivery.pk}/replay")
    assert response.status_code == 200 and response.json()["status"] == "pending"
    assert_audited(HubAuditEvent.DEAD_LETTER_REPLAYED, obj=delivery, actor=hub_admin, count=1)
    assert_api_error(client.post(f"hub/deliveries/{delivery.pk}/replay"), 409, "conflict")
    run_worker(at=moment)
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED
    assert len(local_consumer.applied) == 1


def test_each_delivery_of_a_persons_record_is_logged_for_them(pushed_consumer, local_consumer):
    publish_cases(2)
    run_worker()
    disclosures = list(Disclosure.objects.select_related("consumer", "dataset"))
    assert len(disclosures) == 2
    assert {d.purpose for d in disclosures} == {"行政执法监督和信用监管"}
    assert "当事人证件号码（脱敏显示）" in disclosures[0].fields


def test_a_deactivated_consumer_gets_nothing_more_not_even_queued_retries(
    pushed_consumer, local_consumer, hub_admin
):
    consumer, _ = pushed_consumer
    publish_cases(3)
    local_consumer.stop()
    started = timezone.now()
    run_worker(at=started)  # fanned out, first attempt failed: three retries queued
    services.deactivate_consumer(consumer, actor=hub_admin)
    local_consumer.start()
    run_worker(at=started + timedelta(hours=1))
    assert local_consumer.receipts == 0 and not Disclosure.objects.exists()
    assert set(Delivery.objects.values_list("status", "attempts")) == {(DeliveryStatus.PENDING, 1)}

    consumer.refresh_from_db()
    services.reactivate_consumer(consumer, actor=hub_admin)
    run_worker(at=started + timedelta(hours=1))
    assert len(local_consumer.applied) == 3
