"""变更执行地 (第二十七条第二款): both counties see the handover; on acceptance the subject's agency, 司法所 and
jurisdiction move and access follows the jurisdiction; a refusal leaves the subject where it was."""

import pytest

from smartjustice.core import access
from smartjustice.core.errors import PermissionDenied, TransitionNotAllowed, ValidationFailed
from smartjustice.core.testing import ApiClient, Place, assert_audited
from smartjustice.correction import subject_queries, subjects
from smartjustice.correction.choices import CorrectionAuditEvent, SubjectStatus
from smartjustice.correction.models import TransferStatus
from tests.correction import makers
from tests.correction import subject_makers as places

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NOTIFICATION_CHANNELS = []


@pytest.fixture
def subject():
    return makers.subject(
        Place(places.WUSHAN, places.agency()), station=places.station(), jurisdiction_id=places.WUSHAN
    )


@pytest.fixture
def th_officer():
    return places.officer()


def _request(subject, actor, to=None):
    return subjects.request_transfer(
        subject,
        actor=actor,
        to_agency=(to or places.agency(places.YUEXIU)).pk,
        reason="迁居至越秀区与子女共同生活",
        new_address="广州市越秀区北京路100号",
    )


def test_the_handover_is_seen_by_both_counties_and_decided_by_the_receiving_head(subject, th_officer):
    transfer = _request(subject, th_officer)
    subject.refresh_from_db()
    assert subject.status == SubjectStatus.TRANSFERRING
    assert_audited(CorrectionAuditEvent.TRANSFER_REQUESTED, obj=transfer, actor=th_officer)
    yx_officer = places.officer(places.YUEXIU)
    yx_head = places.head(places.YUEXIU)
    lc_officer = places.officer(places.LECHANG)
    assert transfer in subject_queries.list_transfers(th_officer)
    assert transfer in subject_queries.list_transfers(yx_officer)
    assert transfer in subject_queries.pending_transfers_for(yx_head)
    assert transfer not in subject_queries.list_transfers(lc_officer)
    # The receiving side does not yet see the subject's record itself.
    assert not access.can(yx_officer, "view", subject)
    # The sending side cannot decide, nor can the receiving officer without the head's permission.
    with pytest.raises(PermissionDenied):
        subjects.accept_transfer(transfer, actor=th_officer)
    with pytest.raises(PermissionDenied):
        subjects.accept_transfer(transfer, actor=yx_officer)

    subjects.accept_transfer(transfer, actor=yx_head, station_id=places.station(places.BEIJING_STREET).pk)
    transfer.refresh_from_db()
    subject.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED
    assert subject.status == SubjectStatus.ACTIVE
    assert subject.agency == places.agency(places.YUEXIU)
    assert subject.station == places.station(places.BEIJING_STREET)
    assert subject.jurisdiction_id == places.BEIJING_STREET
    assert subject.address == "广州市越秀区北京路100号"
    assert_audited(CorrectionAuditEvent.TRANSFER_ACCEPTED, obj=transfer, actor=yx_head)
    # Access follows the jurisdiction; the handover stays visible to both sides.
    bj_officer = places.officer(places.BEIJING_STREET)
    ws_officer = places.officer(places.WUSHAN)
    assert access.can(yx_officer, "view", subject) and access.can(bj_officer, "view", subject)
    assert not access.can(th_officer, "view", subject) and not access.can(ws_officer, "view", subject)
    assert transfer in subject_queries.list_transfers(th_officer)
    assert transfer in subject_queries.list_transfers(yx_officer)


def test_a_refusal_keeps_the_subject_with_the_sending_county(subject, th_officer):
    transfer = _request(subject, th_officer)
    yx_head = places.head(places.YUEXIU)
    with pytest.raises(ValidationFailed):
        subjects.refuse_transfer(transfer, actor=yx_head, note=" ")
    subjects.refuse_transfer(transfer, actor=yx_head, note="新居住地核实不符")
    subject.refresh_from_db()
    assert subject.status == SubjectStatus.ACTIVE and subject.jurisdiction_id == places.WUSHAN
    assert transfer.status == TransferStatus.REFUSED
    assert_audited(CorrectionAuditEvent.TRANSFER_REFUSED, obj=transfer, actor=yx_head)


def test_the_new_place_must_be_another_county(subject, th_officer):
    with pytest.raises(ValidationFailed) as same:
        _request(subject, th_officer, to=places.agency(places.TIANHE))
    assert "另一县" in same.value.message
    _request(subject, th_officer)
    with pytest.raises(
        TransitionNotAllowed
    ) as second:  # a second open transfer: the subject is no longer 在矫
        _request(subject, th_officer, to=places.agency(places.LECHANG))
    assert "执行地变更中" in second.value.message


def test_the_receiving_station_must_lie_in_the_receiving_county(subject, th_officer):
    transfer = _request(subject, th_officer)
    with pytest.raises(ValidationFailed):
        subjects.accept_transfer(transfer, actor=places.head(places.YUEXIU), station_id=places.station().pk)


def test_transfer_api_and_its_steps(subject, th_officer):
    response = ApiClient(th_officer).post(
        "correction/transfers",
        {
            "subject_id": subject.pk,
            "to_agency_id": places.agency(places.YUEXIU).pk,
            "reason": "迁居",
            "new_address": "广州市越秀区北京路1号",
        },
    )
    assert response.status_code == 201, response.content
    transfer_id = response.json()["id"]
    yx_head = ApiClient(places.head(places.YUEXIU))
    steps = yx_head.get(f"correction/transfers/{transfer_id}/transitions").json()
    assert {s["name"] for s in steps} == {"accept", "refuse"}
    assert ApiClient(th_officer).get(f"correction/transfers/{transfer_id}/transitions").json() == []
    accepted = yx_head.post(f"correction/transfers/{transfer_id}/transitions/accept", {"note": "同意接收"})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    assert ApiClient(th_officer).get(f"correction/subjects/{subject.pk}").status_code == 404


def test_intake_and_accepted_transfer_are_shared_through_the_hub(th_officer):
    from smartjustice.hub import services as hub
    from smartjustice.hub.models import HubRecord

    hub.load_catalogue()
    created = subjects.intake_subject(actor=th_officer, **places.intake_payload(name="共享对象"))
    first = HubRecord.objects.filter(dataset__code="correction.subject", record_key=created.number)
    assert first.count() == 1
    transfer = _request(created, th_officer)
    subjects.accept_transfer(transfer, actor=places.head(places.YUEXIU))
    versions = HubRecord.objects.filter(dataset__code="correction.subject", record_key=created.number)
    assert versions.count() == 2
