"""`smartjustice credentials verify FILE`: offline verification of a downloaded credential file."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from smartjustice.credentials import bundles, disclosure, offline, services, trust
from smartjustice.credentials.verification import EXIT_CODES

from .conftest import issue

pytestmark = pytest.mark.django_db


def verify_file(tmp_path, bundle, status=None, *, anchored: bool = True) -> dict:
    """`credentials verify FILE [STATUS] --trust trust.json` (the platform's trust file, as a verifier pins it)."""
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    args = ["credentials", "verify", str(path), "--json"]
    if status is not None:
        status_path = tmp_path / "status.json"
        status_path.write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
        args.insert(3, str(status_path))
    if anchored:
        trust_path = tmp_path / "trust.json"
        trust_path.write_bytes(Client().get("/credentials/trust.json").content)
        args += ["--trust", str(trust_path)]
    out = StringIO()
    code = 0
    try:
        call_command(*args, stdout=out)
    except CommandError as exc:
        code = exc.returncode
    result = json.loads(out.getvalue())
    assert code == EXIT_CODES[result["state"]], "each state exits with its own code, 0 only when valid"
    return result


def checks(result) -> dict:
    return {c["name"]: c["ok"] for c in result["checks"]}


def test_downloaded_file_verifies_offline(credential, holder, tmp_path):
    client = Client()
    client.force_login(holder)
    response = client.get(f"/credentials/{credential.pk}/bundle.json?claim=name&claim=enforcementArea")
    assert response.status_code == 200
    result = verify_file(tmp_path, json.loads(response.content))
    assert result["state"] == "valid"
    assert result["claims"] == {"name": "张执法", "enforcementArea": "广州市天河区"}
    assert checks(result) == {
        "signature": True, "disclosures": True, "validity": True,
        "status.revocation": True, "status.suspension": True, "ledger": True,
    }  # fmt: skip


def test_offline_verification_needs_no_database(credential, django_assert_num_queries):
    bundle = bundles.build_bundle(credential, keys=["name"])
    anchors = trust.parse(bundles.trust_document())
    with django_assert_num_queries(0):
        result = offline.verify_bundle(bundle, trust=anchors)
    assert result.state == "valid"


def test_tampered_claim_fails_offline(credential, tmp_path):
    bundle = bundles.build_bundle(credential, keys=["name"])
    salt, name, _ = disclosure.parse_disclosure(bundle["disclosures"][0])
    bundle["disclosures"][0] = disclosure.make_disclosure(salt, name, "李四")
    result = verify_file(tmp_path, bundle)
    assert result["state"] == "invalid"
    assert checks(result)["disclosures"] is False
    assert result["claims"] == {}


def test_tampered_document_fails_offline(credential, tmp_path):
    bundle = bundles.build_bundle(credential, keys=["name"])
    bundle["credential"]["validUntil"] = "2099-01-01T00:00:00Z"
    result = verify_file(tmp_path, bundle)
    assert result["state"] == "invalid"
    assert checks(result)["signature"] is False


def test_revocation_seen_through_a_newer_status_snapshot(credential, officer, tmp_path):
    old_bundle = bundles.build_bundle(credential, keys=["name"])
    services.revoke_credential(credential, actor=officer, reason="调离执法岗位")
    # The snapshot inside predates the revocation but is younger than the maximum age (24 h): the answer says when
    # the list was issued (an older one is "status_not_current": test_trust_anchors).
    result = verify_file(tmp_path, old_bundle)
    assert result["state"] == "valid"
    assert (
        "状态列表签发于" in next(c for c in result["checks"] if c["name"] == "status.revocation")["message"]
    )
    newer = bundles.status_snapshot(credential)
    result = verify_file(tmp_path, old_bundle, status=newer)
    assert result["state"] == "revoked"
    # A single status list credential works as the second file too.
    revocation_url = next(u for u in newer if "/revocation/" in u)
    assert verify_file(tmp_path, old_bundle, status=newer[revocation_url])["state"] == "revoked"


def test_forged_status_snapshot_is_refused(credential, tmp_path):
    bundle = bundles.build_bundle(credential, keys=["name"])
    url = next(iter(bundle["statusLists"]))
    bundle["statusLists"][url]["credentialSubject"]["encodedList"] = "uH4sIAAAAAAAAA"
    result = verify_file(tmp_path, bundle)
    assert result["state"] == "invalid"


def test_without_a_status_snapshot_the_status_is_unknown(credential, tmp_path):
    bundle = bundles.build_bundle(credential, keys=["name"], with_status=False)
    result = verify_file(tmp_path, bundle)
    assert (result["state"], result["label"]) == ("status_not_current", "状态不是最新")
    assert checks(result)["status.revocation"] is None


def test_expired_offline(officer, holder, tmp_path):
    past = timezone.now() - datetime.timedelta(days=800)
    credential = issue(officer, holder, valid_from=past, valid_until=past + datetime.timedelta(days=365))
    assert verify_file(tmp_path, bundles.build_bundle(credential))["state"] == "expired"


def test_not_a_bundle(tmp_path):
    result = verify_file(tmp_path, {"hello": "world"})
    assert result["state"] == "invalid"
