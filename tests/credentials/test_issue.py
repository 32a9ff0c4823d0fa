"""Issuing e-certificates: the W3C VC 2.0 document, the issuer's signature, the ledger, access and audit."""

import pytest

from smartjustice.core.testing import (
    COUNTY_A,
    COUNTY_B,
    ApiClient,
    assert_api_error,
    assert_audited,
    assert_jurisdiction_isolation,
    make_staff,
)
from smartjustice.credentials import proofs, queries, verification
from smartjustice.credentials.choices import CredentialAuditEvent
from smartjustice.credentials.models import Credential

from .conftest import TYPE, issue

pytestmark = pytest.mark.django_db


def test_issued_credential_is_a_signed_w3c_vc_with_digests_only(credential, holder):
    doc = credential.document
    assert doc["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert doc["type"] == ["VerifiableCredential", "AdministrativeEnforcementCertificate"]
    assert doc["id"] == credential.credential_id and doc["id"].startswith("urn:uuid:")
    assert doc["issuer"]["name"] == credential.issuer.name
    assert doc["validFrom"].endswith("Z") and doc["validUntil"].endswith("Z")
    subject = doc["credentialSubject"]
    assert set(subject) == {"_sd", "_sd_alg"} and subject["_sd_alg"] == "sm3"
    assert len(subject["_sd"]) == len(credential.claims) == 6
    # No claim value appears in the signed document: only their salted digests. (The issuer's own name is public
    # and may equal the holder's employer, so the issuer block is left out of this check.)
    without_issuer = str({key: part for key, part in doc.items() if key != "issuer"})
    for value in credential.claims.values():
        assert value not in without_issuer
    assert credential.claims["name"] == "张执法"
    assert credential.claims["employer"] == holder.organisation.name
    assert credential.claims["certificateNumber"] == credential.number
    purposes = {e["statusPurpose"] for e in doc["credentialStatus"]}
    assert purposes == {"revocation", "suspension"}
    proof = doc["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "sm2-jcs-2025"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["verificationMethod"].endswith(f"#{credential.key_id}")
    assert proofs.verify_proof(doc, queries.issuer_public_key(credential))


def test_issuing_is_recorded_in_the_ledger_and_audited(credential, officer):
    from smartjustice.ledger.models import LedgerEntry

    assert credential.ledger_entry_id and credential.ledger_proof
    assert LedgerEntry.objects.filter(pk=credential.ledger_entry_id).exists()
    assert_audited(CredentialAuditEvent.ISSUED, obj=credential, actor=officer, count=1)


def test_a_tampered_claim_is_detected(credential):
    """Change a stored claim: its disclosure no longer matches the digest the issuer signed."""
    credential.claims["enforcementArea"] = "广东省全省"
    result = queries.verify_online(credential, ["name", "enforcementArea"])
    assert result.state == "invalid"
    assert any(c.name == "disclosures" and c.ok is False for c in result.checks)


def test_a_tampered_document_breaks_the_signature(credential):
    doc = dict(credential.document)
    doc["validUntil"] = "2099-12-31T00:00:00Z"
    assert not proofs.verify_proof(doc, queries.issuer_public_key(credential))
    credential.document = doc
    assert queries.verify_online(credential, ["name"]).state == "invalid"


def test_api_issue_and_detail(officer, holder):
    response = ApiClient(officer, bearer=True).post(
        "/credentials/credentials",
        {"type_code": TYPE, "holder_id": holder.pk, "claims": {"enforcementArea": "广州市天河区"}},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "active" and body["verification_state"] == "valid"
    assert body["claims"]["enforcementArea"] == "广州市天河区"
    # The holder sees their own credential; a colleague without the role does not.
    assert ApiClient(holder).get(f"/credentials/credentials/{body['id']}").status_code == 200
    colleague = make_staff(COUNTY_A, "enforcement_officer")
    assert_api_error(ApiClient(colleague).get(f"/credentials/credentials/{body['id']}"), 404, "not_found")


def test_required_claims_are_explained_in_chinese(officer, holder):
    response = ApiClient(officer).post(
        "/credentials/credentials", {"type_code": TYPE, "holder_id": holder.pk}
    )
    assert_api_error(response, 422, "validation_failed", fields=["enforcementArea"])


def test_unknown_claims_are_refused(officer, holder):
    response = ApiClient(officer).post(
        "/credentials/credentials",
        {"type_code": TYPE, "holder_id": holder.pk, "claims": {"enforcementArea": "天河区", "salary": "1"}},
    )
    assert_api_error(response, 422, "validation_failed", fields=["claims"])


def test_staff_without_the_role_cannot_issue(holder):
    clerk = make_staff(COUNTY_A, "enforcement_officer")
    response = ApiClient(clerk).post(
        "/credentials/credentials",
        {"type_code": TYPE, "holder_id": holder.pk, "claims": {"enforcementArea": "x"}},
    )
    assert_api_error(response, 403, "permission_denied")
    assert not Credential.objects.exists()


def test_holder_outside_the_jurisdiction_is_refused(officer):
    elsewhere = make_staff(COUNTY_B, "enforcement_officer")
    response = ApiClient(officer).post(
        "/credentials/credentials",
        {"type_code": TYPE, "holder_id": elsewhere.pk, "claims": {"enforcementArea": "越秀区"}},
    )
    assert_api_error(response, 422, "validation_failed", fields=["holder"])


def test_portal_users_cannot_hold_an_enforcement_certificate(officer):
    from smartjustice.core.choices import AccountKind
    from smartjustice.core.models import User

    citizen = User.objects.create(username="citizen-1", kind=AccountKind.CITIZEN, jurisdiction_id=COUNTY_A)
    response = ApiClient(officer).post(
        "/credentials/credentials",
        {"type_code": TYPE, "holder_id": citizen.pk, "claims": {"enforcementArea": "x"}},
    )
    assert_api_error(response, 422, "validation_failed", fields=["holder"])


def test_anonymous_cannot_issue():
    assert_api_error(
        ApiClient(None).post("/credentials/credentials", {"holder_id": 1}), 401, "not_authenticated"
    )


def test_jurisdiction_isolation():
    def make_record(code):
        issuer = make_staff(code, "credential_officer")
        return issue(issuer, make_staff(code, "enforcement_officer"))

    assert_jurisdiction_isolation(
        make_record=make_record,
        list_url="/credentials/credentials",
        detail_url=lambda c: f"/credentials/credentials/{c.pk}",
        roles=["credential_officer"],
    )


def test_types_are_data():
    body = ApiClient(None).get("/credentials/types").json()
    kind = next(t for t in body if t["code"] == TYPE)
    assert kind["name"] == "行政执法证"
    assert {c["key"] for c in kind["claims"]} >= {
        "name",
        "certificateNumber",
        "enforcementArea",
        "issuingOrganisation",
    }
    assert "《中华人民共和国行政处罚法》第五十五条" in kind["legal_basis"]


def test_status_precedence_is_worst_first():
    assert verification.PRECEDENCE[0] == "invalid" and verification.PRECEDENCE[-1] == "valid"
