"""Fault tests (run in CI): the worker killed with SIGKILL mid-batch, the same ingest batch sent twice.

Afterwards every record is delivered, none is applied twice, none is lost. (The consumer-down fault is in
test_delivery.py.)
"""

import os
import signal
import subprocess
import sys
import threading
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

from smartjustice.core.models import Jurisdiction
from smartjustice.core.testing import ApiClient
from smartjustice.hub import services
from smartjustice.hub.choices import ConsumerKind, DeliveryStatus
from smartjustice.hub.models import Dataset, Delivery, HubRecord, OutboxEntry
from tests.core.factories import PROVINCE, TIANHE

from . import factories
from .conftest import issue_token, register
from .consumer import LocalConsumer
from .helpers import later, publish_cases, run_worker


@pytest.fixture(scope="module")
def divisions(django_db_setup, django_db_blocker):
    """Divisions present during the test and restored after the transactional flush that follows it."""
    with django_db_blocker.unblock():
        if not Jurisdiction.objects.filter(code=TIANHE).exists():
            call_command("load_jurisdictions", max_level=4, verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("load_jurisdictions", max_level=4, verbosity=0)


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_worker_killed_with_sigkill_mid_batch_loses_and_duplicates_nothing(divisions):
    if connection.vendor != "postgresql":
        pytest.skip(
            "需要 PostgreSQL：SQLite 测试库在内存中，另一个进程（被杀的工作进程）看不到它；CI 的 PostgreSQL 轮次运行本测试"
        )
    local = LocalConsumer()
    try:
        services.load_catalogue()
        consumer, credentials = register(push_url=local.url)
        local.secret = credentials["push_secret"]
        services.subscribe(
            actor=None,
            consumer=consumer,
            dataset=Dataset.objects.get(code="enforcement.case"),
            purpose="行政执法监督",
            legal_basis="共享协议",
        )
        publish_cases(10)
        local.hold = threading.Event()  # requests are received but not answered until the worker is dead
        worker = subprocess.Popen(
            [sys.executable, "-m", "smartjustice", "worker", "--no-queue", "--interval", "0.1"],
            env={**os.environ, "DATABASE_URL": _database_url()},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            assert local.wait_for_receipts(3, timeout=120), worker.stdout.read1().decode()
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        local.hold.set()
        local.hold = None
        # Killed before it could acknowledge anything: the deliveries are still pending, leased to a dead worker.
        assert Delivery.objects.count() == 10
        assert Delivery.objects.filter(status=DeliveryStatus.PENDING).exclude(leased_by="").count() == 10

        run_worker(
            at=later(services.policy()["lease_seconds"] - 5)
        )  # lease still held: nothing is sent twice yet
        assert Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 0
        # Requests the killed worker was still sending arrive cut short: their signature cannot match. There are
        # at most as many as it sends at once, and all from before the kill.
        truncated = local.bad_signatures
        assert truncated <= services.policy().get("concurrency", 8)
        run_worker(
            at=later(services.policy()["lease_seconds"] + 1)
        )  # lease expired: another worker takes over
        assert Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 10
        assert len(local.applied) == 10  # every record applied …
        assert local.repeats_ignored >= 3  # … once: the repeats were recognised by their Idempotency-Key
        # Every request was applied once, recognised as a repeat, or one the kill cut short; the new worker's all
        # verified.
        assert local.bad_signatures == truncated
        assert local.receipts == 10 + local.repeats_ignored + truncated
    finally:
        local.stop()


@pytest.mark.django_db
def test_same_ingest_batch_sent_twice_is_stored_and_delivered_once(pushed_consumer, local_consumer):
    source, credentials = register("court-system", kind=ConsumerKind.EXTERNAL_SOURCE, place=PROVINCE)
    token = issue_token(credentials, "hub.ingest")
    client = ApiClient(token=token)
    batch = {"records": [factories.ingest_item(n) for n in range(1, 21)]}
    first = client.post("hub/datasets/enforcement.case/records", batch)
    assert first.status_code == 200, first.content
    assert first.json() == {"received": 20, "stored": 20, "duplicates": 0}
    second = client.post("hub/datasets/enforcement.case/records", batch)
    assert second.json() == {"received": 20, "stored": 0, "duplicates": 20}
    assert HubRecord.objects.filter(source="court-system").count() == 20
    ids = sorted(HubRecord.objects.filter(source="court-system").values_list("id", flat=True))
    # The batch is one outbox entry over its records' ids; the repeat added none.
    assert list(OutboxEntry.objects.values_list("first_record_id", "last_record_id")) == [(ids[0], ids[-1])]
    run_worker()
    run_worker()
    assert len(local_consumer.applied) == 20 and local_consumer.receipts == 20
