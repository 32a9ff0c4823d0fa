"""Suspension, reinstatement and revocation: audited, jurisdiction-bound, and visible in the status lists."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from smartjustice.core.choices import AuditEvent
from smartjustice.core.testing import COUNTY_B, ApiClient, assert_api_error, assert_audited, make_staff
from smartjustice.credentials import proofs, queries, services
from smartjustice.credentials.statuslist import MIN_ENTRIES, Bitstring

from .conftest import issue

pytestmark = pytest.mark.django_db


def list_bit(credential, purpose: str) -> bool:
    entry = next(e for e in credential.document["credentialStatus"] if e["statusPurpose"] == purpose)
    response = Client().get(entry["statusListCredential"].removeprefix("http://testserver"))
    assert response.status_code == 200
    status_list = response.json()
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["credentialSubject"]["statusPurpose"] == purpose
    assert proofs.verify_proof(status_list, queries.issuer_public_key(credential)), "the list is signed"
    bits = Bitstring.decode(status_list["credentialSubject"]["encodedList"])
    assert bits.size >= MIN_ENTRIES
    return bits.get(int(entry["statusListIndex"]))


def test_revocation_sets_the_bit_and_is_audited(credential, officer):
    assert list_bit(credential, "revocation") is False
    response = ApiClient(officer).post(
        f"/credentials/credentials/{credential.pk}/transitions/revoke", {"reason": "调离执法岗位"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "revoked"
    credential.refresh_from_db()
    assert list_bit(credential, "revocation") is True
    entry = assert_audited(AuditEvent.WORKFLOW_TRANSITION, obj=credential, actor=officer)
    assert "调离执法岗位" in entry.detail
    # Final: no reinstatement after revocation.
    again = ApiClient(officer).post(
        f"/credentials/credentials/{credential.pk}/transitions/reinstate", {"reason": "误操作"}
    )
    assert_api_error(again, 409, "transition_not_allowed")


def test_suspension_and_reinstatement(credential, officer):
    api = ApiClient(officer)
    assert (
        api.post(
            f"/credentials/credentials/{credential.pk}/transitions/suspend", {"reason": "涉嫌违纪，停职调查"}
        ).status_code
        == 200
    )
    credential.refresh_from_db()
    assert credential.verification_state == "suspended"
    assert list_bit(credential, "suspension") is True
    assert (
        api.post(
            f"/credentials/credentials/{credential.pk}/transitions/reinstate", {"reason": "调查结束"}
        ).status_code
        == 200
    )
    credential.refresh_from_db()
    assert credential.verification_state == "valid"
    assert list_bit(credential, "suspension") is False


def test_a_reason_is_required(credential, officer):
    response = ApiClient(officer).post(
        f"/credentials/credentials/{credential.pk}/transitions/revoke", {"reason": ""}
    )
    assert_api_error(response, 422, "validation_failed", fields=["reason"])


def test_other_jurisdictions_cannot_change_status(credential):
    stranger = make_staff(COUNTY_B, "credential_officer")
    response = ApiClient(stranger).post(
        f"/credentials/credentials/{credential.pk}/transitions/revoke", {"reason": "x"}
    )
    assert_api_error(response, 404, "not_found")


def test_the_holder_cannot_revoke_their_own(credential, holder):
    response = ApiClient(holder).post(
        f"/credentials/credentials/{credential.pk}/transitions/revoke", {"reason": "x"}
    )
    assert_api_error(response, 403, "permission_denied")


def test_entries_are_distinct_and_random(officer, holder):
    credentials = [issue(officer, holder) for _ in range(3)]
    indexes = {c.status_index for c in credentials}
    assert len(indexes) == 3
    assert indexes != {0, 1, 2}, "indexes are drawn at random, not in issue order (herd privacy)"


def test_expired_listing_filter(officer, holder):
    past = timezone.now() - datetime.timedelta(days=400)
    old = issue(officer, holder, valid_from=past, valid_until=past + datetime.timedelta(days=30))
    current = issue(officer, holder)
    rows = ApiClient(officer).get("/credentials/credentials", {"status": "expired"}).json()["items"]
    assert [r["id"] for r in rows] == [old.pk]
    assert rows[0]["verification_state"] == "expired"
    assert current.verification_state == "valid"
    assert services.status_bits(old) == {"revocation": False, "suspension": False}


def test_the_detail_page_buttons_suspend_through_the_transition_view(credential, officer):
    client = Client()
    client.force_login(officer)
    page = client.get(f"/credentials/{credential.pk}/").content.decode()
    assert "暂停" in page and "吊销" in page
    response = client.post(f"/credentials/{credential.pk}/suspend/", {"reason": ""}, follow=True)
    assert "提交的内容有误：理由：" in response.content.decode()
    credential.refresh_from_db()
    assert credential.verification_state != "suspended"
    response = client.post(f"/credentials/{credential.pk}/suspend/", {"reason": "停职调查"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/credentials/{credential.pk}/"
    assert "已暂停" in response.content.decode()
    credential.refresh_from_db()
    assert credential.verification_state == "suspended"
    assert client.post(f"/credentials/{credential.pk}/approve/", {"reason": "x"}).status_code == 404
