"""Bulk ingest and the outbox it writes: one entry per batch, fanned out over several cycles, each record once.

These run on SQLite (bulk_create path) and on PostgreSQL (the COPY path, with its optimistic and look-up modes).
"""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from smartjustice.core.errors import ValidationFailed
from smartjustice.core.models import Jurisdiction
from smartjustice.hub import queries, services
from smartjustice.hub.choices import ConsumerKind, DeliveryMode
from smartjustice.hub.models import Dataset, Delivery, HubRecord, OutboxEntry, RecordCount
from smartjustice.hub.services import records as records_module
from tests.core.factories import PROVINCE, TIANHE, YUEXIU

from . import factories
from .conftest import register
from .helpers import publish_cases


def _pull_subscriber(dataset, hub_admin, **kwargs):
    consumer, _ = register("ministry", kind=ConsumerKind.MINISTRY, place=PROVINCE)
    return services.subscribe(
        actor=hub_admin,
        consumer=consumer,
        dataset=dataset,
        purpose="司法行政统计",
        legal_basis="《广东省政务数据资源共享管理办法》",
        mode=DeliveryMode.PULL,
        **kwargs,
    )


def _items(numbers, code="440106000000"):
    return [factories.ingest_item(n, code=code) for n in numbers]


def _fan_out_everything(limit: int) -> list[int]:
    cycles = []
    while handled := services.fan_out(limit=limit):
        cycles.append(handled)
    return cycles


def test_one_batch_is_one_outbox_entry_fanned_out_over_several_cycles_each_record_once(catalogue, hub_admin):
    dataset = catalogue["enforcement.case"]
    subscription = _pull_subscriber(dataset, hub_admin)
    result = services.ingest(dataset, source="court-system", records=_items(range(1, 26)))
    assert result == {"received": 25, "stored": 25, "duplicates": 0}
    ids = sorted(HubRecord.objects.values_list("id", flat=True))
    (entry,) = OutboxEntry.objects.all()
    assert entry.first_record_id <= ids[0] and entry.last_record_id >= ids[-1]

    assert _fan_out_everything(limit=10) == [10, 10, 5]
    delivered = sorted(Delivery.objects.filter(subscription=subscription).values_list("record_id", flat=True))
    assert delivered == ids
    entry.refresh_from_db()
    assert entry.dispatched_at is not None and entry.next_record_id == entry.last_record_id + 1
    assert services.fan_out(limit=10) == 0
    assert sum(RecordCount.objects.values_list("records", flat=True)) == 25


def test_a_batch_partly_stored_already_stores_and_delivers_only_the_new_records(catalogue, hub_admin):
    dataset = catalogue["enforcement.case"]
    subscription = _pull_subscriber(dataset, hub_admin)
    services.ingest(dataset, source="court-system", records=_items(range(1, 11)))
    again = services.ingest(dataset, source="court-system", records=_items(range(6, 16)))
    assert again == {"received": 10, "stored": 5, "duplicates": 5}
    assert HubRecord.objects.count() == 15
    _fan_out_everything(limit=4)
    keys = Delivery.objects.filter(subscription=subscription).values_list("record__record_key", flat=True)
    assert sorted(keys) == [f"TH-{n:06d}" for n in range(1, 16)]  # each once: the repeats made no delivery


def test_a_stored_record_the_sample_missed_still_stores_nothing_twice(catalogue, hub_admin, monkeypatch):
    """The optimistic COPY hits the unique index on a stored record: it is rolled back and redone with look-ups."""
    monkeypatch.setattr(records_module, "_PROBE", 2)  # the sample sees only records 20 and 21, both new
    dataset = catalogue["enforcement.case"]
    subscription = _pull_subscriber(dataset, hub_admin)
    services.ingest(dataset, source="court-system", records=_items([25, 30]))
    again = services.ingest(dataset, source="court-system", records=_items(range(20, 31)))
    assert again == {"received": 11, "stored": 9, "duplicates": 2}
    assert HubRecord.objects.count() == 11
    _fan_out_everything(limit=5)
    assert Delivery.objects.filter(subscription=subscription).count() == 11


def test_repeats_inside_one_batch_are_stored_once(catalogue):
    dataset = catalogue["enforcement.case"]
    batch = _items([1, 2, 3]) + _items([2, 3])
    assert services.ingest(dataset, source="court-system", records=batch)["stored"] == 3


def test_a_bad_record_in_the_last_chunk_stores_nothing_and_names_it(catalogue, monkeypatch):
    monkeypatch.setattr(records_module, "_CHUNK", 7)  # several COPY chunks with 30 records
    monkeypatch.setattr(records_module, "_FIRST_CHUNK", 3)
    dataset = catalogue["enforcement.case"]
    batch = _items(range(1, 31))
    batch[27]["data"]["filed_on"] = "2026-02-30"
    with pytest.raises(ValidationFailed) as caught:
        services.ingest(dataset, source="court-system", records=batch)
    assert caught.value.fields == {"records[27].data.filed_on": ["“立案日期”应为日期（YYYY-MM-DD）"]}
    assert not HubRecord.objects.exists() and not OutboxEntry.objects.exists()
    batch[27]["data"]["filed_on"] = "2026-02-28"
    assert services.ingest(dataset, source="court-system", records=batch)["stored"] == 30


def test_ingest_needs_a_named_source(catalogue):
    with pytest.raises(ValidationFailed, match="来源"):
        services.ingest(catalogue["enforcement.case"], source="", records=_items([1]))


def test_fan_out_skips_other_datasets_records_inside_a_batch_range(catalogue, hub_admin):
    """A concurrent publisher of another dataset may take ids inside an ingest's range: they are not its records."""
    subscription = _pull_subscriber(catalogue["enforcement.case"], hub_admin)
    services.ingest(catalogue["enforcement.case"], source="court-system", records=_items([1, 2]))
    with transaction.atomic():
        other = services.publish(
            "mediation.case",
            record_key="M1",
            data={"case_number": "粤天河调〔2026〕1号", "dispute_type": "邻里", "parties_count": 2,
                  "accepted_on": "2026-03-01", "result": "调解中", "committee": "天河区人民调解委员会"},
            jurisdiction_code="440106000000",
        )  # fmt: skip
    services.ingest(catalogue["enforcement.case"], source="court-system", records=_items([3]))
    # As if the two ingests had been one batch whose range the mediation record fell into:
    first = OutboxEntry.objects.filter(source="court-system").order_by("id").first()
    OutboxEntry.objects.filter(source="court-system").exclude(pk=first.pk).delete()
    OutboxEntry.objects.filter(pk=first.pk).update(last_record_id=HubRecord.objects.order_by("-id")[0].pk)
    assert first.first_record_id < other.pk < OutboxEntry.objects.get(pk=first.pk).last_record_id
    _fan_out_everything(limit=100)
    delivered = Delivery.objects.filter(subscription=subscription).values_list(
        "record__record_key", flat=True
    )
    assert sorted(delivered) == ["TH-000001", "TH-000002", "TH-000003"]
    counts = dict(RecordCount.objects.values_list("dataset__code", "records"))
    assert counts == {"enforcement.case": 3, "mediation.case": 1}


def test_statistics_count_each_fanned_out_record_once_within_the_viewers_jurisdiction(catalogue, hub_admin):
    from smartjustice.core.testing import make_staff

    dataset = catalogue["enforcement.case"]
    services.ingest(dataset, source="court-system", records=_items(range(1, 8)))
    services.ingest(dataset, source="court-system", records=_items(range(100, 103), code="440104000000"))
    publish_cases(2, start=200)
    assert queries.statistics(hub_admin)["gathered"] == []  # counted when fanned out, not before
    _fan_out_everything(limit=3)
    _fan_out_everything(limit=3)  # nothing left: counts do not grow
    (row,) = queries.statistics(hub_admin)["gathered"]
    assert row["dataset"] == "行政执法案件" and row["count"] == 12
    tianhe = make_staff(TIANHE, "data_sharing_admin")
    assert [r["count"] for r in queries.statistics(tianhe)["gathered"]] == [9]
    yuexiu = make_staff(YUEXIU, "data_sharing_admin")
    assert [r["count"] for r in queries.statistics(yuexiu)["gathered"]] == [3]


@pytest.fixture(scope="module")
def divisions(django_db_setup, django_db_blocker):
    """Divisions present during the test and restored after the transactional flush that follows it."""
    with django_db_blocker.unblock():
        if not Jurisdiction.objects.filter(code=PROVINCE).exists():
            call_command("load_jurisdictions", max_level=4, verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("load_jurisdictions", max_level=4, verbosity=0)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="在 SQLite 上写入者本就串行；并发批量报送在 PostgreSQL 轮次中测试",
)
@pytest.mark.django_db(transaction=True)
def test_the_same_batch_sent_twice_at_once_is_stored_once(divisions):
    services.load_catalogue()
    dataset = Dataset.objects.get(code="enforcement.case")
    batch = _items(range(1, 301))
    start = threading.Barrier(2, timeout=30)
    results: list[dict] = []

    def send():
        try:
            start.wait()
            results.append(services.ingest(dataset, source="court-system", records=batch))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(r["stored"] for r in results) == [0, 300]
    assert HubRecord.objects.count() == 300
    assert OutboxEntry.objects.count() == 1


def test_the_version_consumers_see_is_the_documented_digest_of_the_record(catalogue, hub_admin):
    dataset = catalogue["enforcement.case"]
    _pull_subscriber(dataset, hub_admin)
    item = factories.ingest_item(7)
    services.ingest(dataset, source="court-system", records=[item])
    record = HubRecord.objects.get()
    expected = services.dedup_key(
        dataset.pk, "court-system", item["record_key"], records_module.canonical_bytes(item["data"])
    )
    assert record.dedup_key == expected
    _fan_out_everything(limit=10)
    assert services.payload(Delivery.objects.get())["version"] == expected.hex


def test_an_entry_whose_records_are_gone_does_not_stop_the_fan_out_loop(catalogue, hub_admin, settings):
    settings.HUB_DELIVERY = {"fan_out_batch_size": 1}
    dataset = catalogue["enforcement.case"]
    subscription = _pull_subscriber(dataset, hub_admin)
    OutboxEntry.objects.create(  # as if its records had been removed since
        dataset=dataset,
        source="court-system",
        first_record_id=10**9,
        last_record_id=10**9,
        next_record_id=10**9,
    )
    services.ingest(dataset, source="court-system", records=_items([1]))
    services.run_delivery_cycle(worker_id="test")
    assert Delivery.objects.filter(subscription=subscription).count() == 1
    assert not OutboxEntry.objects.filter(dispatched_at__isnull=True).exists()
