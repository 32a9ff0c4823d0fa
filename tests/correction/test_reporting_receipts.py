"""Check-in receipts: the subject's file verifies offline (platform signature + ledger inclusion proof) and fails
once anything in it is changed (社区矫正法第五条: information technology in supervision; issue item 11)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from smartjustice.core.testing import COUNTY_A, ApiClient, Place, assert_audited, make_staff, organisation_in
from smartjustice.correction import receipts, reporting
from smartjustice.correction.choices import CorrectionAuditEvent
from tests.correction import makers, reporting_makers

pytestmark = pytest.mark.django_db


@pytest.fixture
def check_in():
    reporting_makers.hub_catalogue()
    place = Place(COUNTY_A, organisation_in(COUNTY_A))
    officer = make_staff(COUNTY_A, "correction_officer", organisation=place.organisation)
    subject = makers.subject(place)
    return reporting.check_in(
        subject,
        actor=officer,
        channel="in_person",
        report="到司法所当面报告本月情况",
        latitude=23.12,
        longitude=113.35,
    )


def _keys() -> dict:
    from smartjustice.ledger import keys
    from smartjustice.ledger.models import Log

    return {
        "platform_key": bytes(keys.active_key(None).public_key),
        "ledger_key": bytes(keys.log_key(Log.objects.get(name=receipts.LEDGER_LOG)).public_key),
    }


def _tampered(text: str, change) -> str:
    document = json.loads(text)
    change(document)
    return json.dumps(document, ensure_ascii=False)


def test_receipt_verifies_with_the_pinned_keys(check_in):
    result = receipts.verify(check_in.receipt, **_keys())
    assert result.status == receipts.EXIT_VALID, result.message
    assert result.receipt["check_in"] == check_in.pk
    assert result.details["report"] == "到司法所当面报告本月情况"
    # The ledger holds no name, location or text: only their salted digest.
    assert "report" not in result.receipt and "latitude" not in result.receipt
    assert check_in.subject.name not in json.dumps(result.receipt, ensure_ascii=False)


def test_receipt_without_pinned_keys_is_consistent_but_unverified(check_in):
    result = receipts.verify(check_in.receipt)
    assert result.status == receipts.EXIT_UNVERIFIED


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["receipt"].update(checked_at="2026-01-01T08:00:00+08:00"),
        lambda d: d["receipt"].update(late=not d["receipt"]["late"]),
        lambda d: d["details"].update(report="从未报到"),
        lambda d: d["details"].update(latitude=22.5),
        lambda d: d["signature"].update(value=base64.b64encode(b"\x01" * 64).decode()),
    ],
    ids=["time", "late", "report", "location", "signature"],
)
def test_a_changed_receipt_fails(check_in, change):
    result = receipts.verify(_tampered(check_in.receipt, change), **_keys())
    assert result.status == receipts.EXIT_INVALID, result.message


def test_a_receipt_signed_with_another_key_fails_against_the_pinned_key(check_in):
    from smartjustice import crypto

    private, public = crypto.generate_keypair("sm2")
    document = json.loads(check_in.receipt)
    signature = crypto.sign("sm2", private, receipts.signing_input(document["receipt"]))
    document["signature"] = {
        "algorithm": "sm2",
        "key_id": receipts.key_fingerprint("sm2", public),
        "public_key": base64.b64encode(public).decode(),
        "value": base64.b64encode(signature).decode(),
    }
    forged = json.dumps(document, ensure_ascii=False)
    assert receipts.verify(forged).status == receipts.EXIT_UNVERIFIED  # consistent in itself …
    assert receipts.verify(forged, **_keys()).status == receipts.EXIT_INVALID  # … but not the platform's


def test_not_a_receipt_is_an_input_error():
    assert receipts.verify("{}").status == receipts.EXIT_INPUT_ERROR
    assert receipts.verify("not json").status == receipts.EXIT_INPUT_ERROR


def test_verify_receipt_command(check_in, tmp_path):
    path = tmp_path / "receipt.json"
    path.write_text(check_in.receipt, encoding="utf-8")
    keys = {name: base64.b64encode(value).decode() for name, value in _keys().items()}
    call_command("correction", "verify-receipt", str(path), *_flags(keys))  # exit 0: no exception
    with pytest.raises(CommandError) as error:
        call_command("correction", "verify-receipt", str(path))
    assert error.value.returncode == receipts.EXIT_UNVERIFIED
    path.write_text(
        _tampered(check_in.receipt, lambda d: d["details"].update(report="改动")), encoding="utf-8"
    )
    with pytest.raises(CommandError) as error:
        call_command("correction", "verify-receipt", str(path), *_flags(keys))
    assert error.value.returncode == receipts.EXIT_INVALID


def _flags(keys: dict) -> list[str]:
    return ["--platform-key", keys["platform_key"], "--ledger-key", keys["ledger_key"]]


def test_receipt_verifies_without_django_or_a_database(check_in, tmp_path):
    """Offline: a fresh interpreter with no settings module imports only the receipt verifier."""
    path = tmp_path / "receipt.json"
    path.write_text(check_in.receipt, encoding="utf-8")
    keys = _keys()
    script = (
        "import base64, sys\n"
        "from smartjustice.correction import receipts\n"
        "r = receipts.verify(open(sys.argv[1], encoding='utf-8').read(),"
        " platform_key=base64.b64decode(sys.argv[2]), ledger_key=base64.b64decode(sys.argv[3]))\n"
        "assert 'django.db' not in sys.modules, 'the verifier imported the ORM'\n"
        "print(r.message); sys.exit(r.status)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            str(path),
            base64.b64encode(keys["platform_key"]).decode(),
            base64.b64encode(keys["ledger_key"]).decode(),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=60,
    )
    assert done.returncode == receipts.EXIT_VALID, done.stdout + done.stderr


def test_subject_downloads_the_receipt_and_the_download_is_audited(check_in):
    subject = check_in.subject
    makers.subject_account(subject)
    response = ApiClient(subject.account).get(f"correction/check-ins/{check_in.pk}/receipt")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert receipts.verify(response.content.decode(), **_keys()).status == receipts.EXIT_VALID
    assert_audited(CorrectionAuditEvent.RECEIPT_DOWNLOADED, obj=check_in, actor=subject.account, count=1)


def test_anyone_reads_how_to_verify_and_the_keys_to_pin(check_in, client):
    page = client.get("/correction/receipts/verify/")
    assert page.status_code == 200
    text = page.content.decode()
    keys = _keys()
    assert base64.b64encode(keys["platform_key"]).decode() in text
    assert base64.b64encode(keys["ledger_key"]).decode() in text
    assert "verify-receipt" in text
