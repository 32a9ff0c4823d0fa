"""Publishing is an outbox: in the business write's transaction, nothing rolled back leaves, nothing committed is lost."""

import pytest
from django.db import transaction

from smartjustice.core.errors import ValidationFailed
from smartjustice.hub import services
from smartjustice.hub.models import Dataset, HubRecord, OutboxEntry

from . import factories

pytestmark = pytest.mark.django_db


def test_catalogue_loads_real_datasets_with_owner_resolved_by_kind_and_jurisdiction(catalogue):
    assert {
        "enforcement.case",
        "correction.subject",
        "notary.certificate",
        "legalaid.case",
        "mediation.case",
    } <= set(catalogue)
    case = catalogue["enforcement.case"]
    assert case.name == "行政执法案件"
    assert case.owner.kind == "justice_department" and case.owner.jurisdiction_id == "440000000000"
    assert case.get_sharing_class_display() == "有条件共享"
    assert "party_id_number" in case.personal_fields
    assert catalogue["mediation.case"].get_sharing_class_display() == "无条件共享"


def test_reloading_the_catalogue_changes_nothing_and_keeps_versions(catalogue):
    assert services.load_catalogue() == (0, 0)
    assert Dataset.objects.get(code="enforcement.case").version == 1


def test_publish_outside_a_transaction_is_refused(catalogue):
    with pytest.raises(RuntimeError, match="transaction"):
        services.publish(
            "enforcement.case", record_key="C1", data=factories.case(1), jurisdiction_code="440106000000"
        )


def test_published_record_and_outbox_entry_commit_with_the_business_write(catalogue):
    with transaction.atomic():
        record = services.publish(
            "enforcement.case", record_key="C1", data=factories.case(1), jurisdiction_code="440106000000"
        )
    assert HubRecord.objects.filter(pk=record.pk).exists()
    assert OutboxEntry.objects.filter(
        first_record_id=record.pk, last_record_id=record.pk, dispatched_at__isnull=True
    ).exists()
    assert record.subject_digest  # a person's record: deliveries will be disclosed to them


def test_rolled_back_business_write_publishes_nothing(catalogue):
    with pytest.raises(RuntimeError, match="业务写入失败"), transaction.atomic():
        services.publish(
            "enforcement.case", record_key="C1", data=factories.case(1), jurisdiction_code="440106000000"
        )
        raise RuntimeError("业务写入失败")  # the business write fails after publishing
    assert not HubRecord.objects.exists()
    assert not OutboxEntry.objects.exists()


def test_publishing_the_same_version_twice_stores_it_once(catalogue):
    with transaction.atomic():
        first = services.publish(
            "enforcement.case", record_key="C1", data=factories.case(1), jurisdiction_code="440106000000"
        )
        again = services.publish(
            "enforcement.case", record_key="C1", data=factories.case(1), jurisdiction_code="440106000000"
        )
        changed = services.publish(
            "enforcement.case",
            record_key="C1",
            data=factories.case(1, status="已结案"),
            jurisdiction_code="440106000000",
        )
    assert first is not None and again is None and changed is not None
    assert OutboxEntry.objects.count() == 2


def test_record_not_matching_the_schema_is_refused_in_chinese(catalogue):
    with pytest.raises(ValidationFailed) as caught, transaction.atomic():
        services.publish(
            "enforcement.case",
            record_key="C1",
            data=factories.case(1, status="不存在的状态", filed_on="2026-13-01"),
            jurisdiction_code="440106000000",
        )
    fields = caught.value.fields
    assert any("办理状态" in m for m in fields["data.status"])
    assert any("日期" in m for m in fields["data.filed_on"])
