"""Generated API access and audit tests of the subjects part (core.testing.ApiModelTests): subjects, contacts,
矫正小组 members, transfers and archive items stay inside the executing jurisdiction, each write audited."""

from smartjustice.core.testing import ApiModelTests
from smartjustice.correction.choices import CorrectionAuditEvent
from smartjustice.correction.models import (
    ArchiveItem,
    CorrectionGroupMember,
    CorrectionSubject,
    SubjectContact,
    SubjectTransfer,
)
from tests.correction import makers
from tests.correction import subject_makers as places


class TestCorrectionSubjectApi(ApiModelTests):
    model = CorrectionSubject
    list_url = "correction/subjects"
    detail_url = "correction/subjects/{pk}"
    roles = ("correction_officer",)
    factory = makers.subject
    create_payload = places.intake_api_payload
    create_event = CorrectionAuditEvent.SUBJECT_INTAKE
    update_payload = {"level": "strict", "employment": "unemployed"}
    update_event = CorrectionAuditEvent.SUBJECT_UPDATED


class TestSubjectContactApi(ApiModelTests):
    model = SubjectContact
    list_url = "correction/subject-contacts"
    detail_url = "correction/subject-contacts/{pk}"
    roles = ("correction_officer",)
    factory = places.contact
    create_payload = places.contact_payload
    create_event = CorrectionAuditEvent.CONTACT_SAVED
    update_payload = {"relation": "parent", "name": "张母", "phone": "13800001111", "is_guardian": True}
    update_method = "put"
    update_event = CorrectionAuditEvent.CONTACT_SAVED


class TestCorrectionGroupMemberApi(ApiModelTests):
    model = CorrectionGroupMember
    list_url = "correction/group-members"
    detail_url = "correction/group-members/{pk}"
    roles = ("correction_officer",)
    factory = places.group_member
    create_payload = places.group_member_payload
    create_event = CorrectionAuditEvent.GROUP_MEMBER_SAVED
    update_payload = {"role": "committee", "name": "居委会刘主任", "gender": "female"}
    update_method = "put"
    update_event = CorrectionAuditEvent.GROUP_MEMBER_SAVED


class TestSubjectTransferApi(ApiModelTests):
    model = SubjectTransfer
    list_url = "correction/transfers"
    detail_url = "correction/transfers/{pk}"
    roles = ("correction_officer",)
    factory = places.transfer
    create_payload = places.transfer_payload
    create_event = CorrectionAuditEvent.TRANSFER_REQUESTED


class TestArchiveItemApi(ApiModelTests):
    model = ArchiveItem
    list_url = "correction/archive-items"
    detail_url = "correction/archive-items/{pk}"
    roles = ("correction_officer",)
    factory = (
        places.archive_item
    )  # filed through the multipart upload (tests/correction/test_subjects_api.py)
