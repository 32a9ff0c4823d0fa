"""Offline verification pins its trust anchors (issue 10 items 1–3, ADR 0009): a certificate forged from scratch is
never 有效, every state has its own exit code, and a status list too old to be current says so."""

import datetime
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from smartjustice import crypto
from smartjustice.core.testing import COUNTY_B, ApiClient, make_staff
from smartjustice.credentials import bundles, disclosure, proofs, services, verification
from smartjustice.credentials.canonical import canonicalize
from smartjustice.credentials.disclosure import b64url
from smartjustice.credentials.statuslist import Bitstring
from smartjustice.ledger import bundles as proof_files
from smartjustice.ledger import keys, merkle, notes

from .conftest import issue

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
VALID, INVALID, USAGE, UNVERIFIED, REVOKED, SUSPENDED, EXPIRED, NOT_YET_VALID, STALE = (
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
)


def trust_path(tmp_path) -> Path:
    """The platform's trust file, downloaded as a verifier would (once, before verifying anything)."""
    response = Client().get("/credentials/trust.json")
    assert response.status_code == 200
    path = tmp_path / "trust.json"
    path.write_bytes(response.content)
    return path


def verify(tmp_path, bundle, *options, status=None) -> tuple[dict, int]:
    """`smartjustice credentials verify FILE [STATUS] OPTIONS --json`: (result, exit code)."""
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    args = ["credentials", "verify", str(path)]
    if status is not None:
        status_path = tmp_path / "status.json"
        status_path.write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
        args.append(str(status_path))
    out = StringIO()
    try:
        call_command(*args, *[str(o) for o in options], "--json", stdout=out)
        code = 0
    except CommandError as exc:
        code = exc.returncode
    result = json.loads(out.getvalue())
    assert result.get("exit_code", code) == code
    return result, code


def check(result, name) -> dict:
    return next(c for c in result["checks"] if c["name"] == name)


def download(credential, user) -> dict:
    client = Client()
    client.force_login(user)
    response = client.get(f"/credentials/{credential.pk}/bundle.json")
    assert response.status_code == 200
    return json.loads(response.content)


def _sign(document: dict, private_key: bytes, method: str) -> dict:
    options = proofs.proof_options(
        algorithm="sm2", verification_method=method, created="2026-12-01T00:00:00Z"
    )
    signature = crypto.sign("sm2", private_key, proofs.signing_input(document, options))
    return proofs.attach_proof(document, options, signature)


def forged_bundle(issuer_id: str = "https://attacker.example/credentials/issuers/1/") -> dict:
    """A certificate made from scratch: a new issuer key, a status list it signs, a new "log" key and a one-leaf
    checkpoint signed by that key — every part consistent with every other."""
    issuer_private, issuer_public = crypto.generate_keypair("sm2")
    method = f"{issuer_id}#{keys.fingerprint('sm2', issuer_public)}"
    claim = disclosure.make_disclosure(disclosure.new_salt(), "name", "李四")
    list_url = issuer_id.replace("/issuers/", "/status/") + "revocation/1/"
    now = timezone.now()
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    document = _sign(
        {
            "@context": [services.VC_CONTEXT],
            "id": "urn:uuid:00000000-0000-4000-8000-000000000000",
            "type": ["VerifiableCredential", "AdministrativeEnforcementCertificate"],
            "issuer": {"id": issuer_id, "name": "广州市司法局"},
            "validFrom": stamp,
            "validUntil": (now + datetime.timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "credentialSubject": {"_sd": [disclosure.digest(claim, "sm3")], "_sd_alg": "sm3"},
            "credentialStatus": [
                {"id": f"{list_url}#5", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                 "statusListIndex": "5", "statusListCredential": list_url},
            ],
        },
        issuer_private,
        method,
    )  # fmt: skip
    status_list = _sign(
        {
            "@context": [services.VC_CONTEXT],
            "id": list_url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": {"id": issuer_id},
            "validFrom": stamp,
            "validUntil": (now + datetime.timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "credentialSubject": {"statusPurpose": "revocation", "encodedList": Bitstring().encode()},
        },
        issuer_private,
        method,
    )
    log_private, log_public = crypto.generate_keypair("sm2")
    payload = canonicalize(document)
    origin = "ledger.sf.gd.gov.cn/credentials"
    body = notes.checkpoint_body(origin, 1, merkle.leaf_hash(crypto.hasher("sm3"), payload))
    checkpoint = (
        body
        + "\n"
        + notes.sign_note(body, name=origin, algorithm="sm2", private_key=log_private, public_key=log_public)
    )
    extra = proof_files.entry_description(
        log="credentials", hash_algorithm="sm3", signature_algorithm="sm2", public_key=log_public,
        kind="credential.issued", data=payload,
    )  # fmt: skip
    return {
        "format": bundles.FORMAT,
        "credential": document,
        "disclosures": [claim],
        "issuerKey": {"id": method, "algorithm": "sm2", "publicKeyMultibase": "u" + b64url(issuer_public)},
        "ledger": {
            "log": "credentials",
            "entry": 1,
            "proof": proof_files.format_proof(
                index=0, proof=[], checkpoint_text=checkpoint, extra=extra.encode()
            ),
        },
        "statusLists": {list_url: status_list},
    }


# --- 1. trust anchors ------------------------------------------------------------------------------------------------


def test_a_certificate_forged_from_scratch_is_never_valid(credential, tmp_path):
    forged = forged_bundle()
    result, code = verify(tmp_path, forged)
    assert (result["state"], result["label"], code) == ("unverified", "未核验", UNVERIFIED)
    assert check(result, "signature")["ok"] is None and check(result, "ledger")["ok"] is None
    # With the platform's trust file: an issuer it does not know, and a checkpoint not signed by the log's key.
    result, code = verify(tmp_path, forged, "--trust", trust_path(tmp_path))
    assert (result["state"], code) == ("invalid", INVALID)
    assert check(result, "ledger")["message"] == "存证证明无效：检查点不是由存证日志的公钥签名的"
    # Forged in the name of a real issuer: its published keys did not sign it.
    impostor = forged_bundle(issuer_id=credential.document["issuer"]["id"])
    result, code = verify(tmp_path, impostor, "--trust", trust_path(tmp_path))
    assert (result["state"], code) == ("invalid", INVALID)
    assert "签名密钥不是发证机关公示的公钥" in check(result, "key")["message"]


def test_a_genuine_certificate_verifies_with_the_platform_trust_file(credential, holder, tmp_path):
    bundle = download(credential, holder)
    result, code = verify(tmp_path, bundle, "--trust", trust_path(tmp_path))
    assert (result["state"], result["label"], code) == ("valid", "有效", VALID), result["checks"]
    assert "签名公钥为该机关公示的公钥" in check(result, "signature")["message"]
    assert "检查点由日志公钥签名" in check(result, "ledger")["message"]
    assert "状态列表签发于" in check(result, "status.revocation")["message"]
    # Without anchors the same file is only 未核验.
    assert verify(tmp_path, bundle)[1] == UNVERIFIED


def test_keys_given_explicitly_are_anchors_too(credential, holder, tmp_path):
    bundle = download(credential, holder)
    issuer_key = bundle["issuerKey"]["publicKeyMultibase"]
    trust = json.loads(trust_path(tmp_path).read_text(encoding="utf-8"))
    (log,) = [log for log in trust["logs"].values() if log["name"] == "credentials"]
    ledger_keys = [arg for key in log["keys"] for arg in ("--ledger-key", key["publicKey"])]
    assert verify(tmp_path, bundle, "--issuer-key", issuer_key, *ledger_keys)[1] == VALID
    assert verify(tmp_path, bundle, "--issuer-key", issuer_key)[1] == UNVERIFIED  # the log's key not pinned
    other = "u" + b64url(crypto.generate_keypair("sm2")[1])
    result, code = verify(tmp_path, bundle, "--issuer-key", other, *ledger_keys)
    assert code == INVALID
    # The pinned key is found by the fingerprint that verificationMethod names, even when the file leaves it out.
    del bundle["issuerKey"]
    assert verify(tmp_path, bundle, "--issuer-key", issuer_key, *ledger_keys)[1] == VALID


def test_the_log_key_may_be_pinned_as_its_published_verifier_key(credential, holder, tmp_path):
    """/ledger/keys/ and the trust file publish each log key as a signed-note verifier key (``origin+keyid+base64``);
    `--ledger-key` once refused that form as bad base64 (exit 2). It now pins the key and its log's origin."""
    bundle = download(credential, holder)
    issuer_key = bundle["issuerKey"]["publicKeyMultibase"]
    trust = json.loads(trust_path(tmp_path).read_text(encoding="utf-8"))
    (log,) = [log for log in trust["logs"].values() if log["name"] == "credentials"]
    published = [arg for key in log["keys"] for arg in ("--ledger-key", key["verifierKey"])]
    assert verify(tmp_path, bundle, "--issuer-key", issuer_key, *published)[1] == VALID
    # The same keys named for another log's origin: the receipt's checkpoint is not that log's.
    elsewhere = []
    for key in log["keys"]:
        _, signature_type, public_key = notes.parse_verifier_key(key["verifierKey"])
        elsewhere += [
            "--ledger-key",
            notes.verifier_key("ledger.example/decisions", signature_type, public_key),
        ]
    result, code = verify(tmp_path, bundle, "--issuer-key", issuer_key, *elsewhere)
    assert code == INVALID and "而不是存证日志 ledger.example/decisions" in check(result, "ledger")["message"]


def test_the_signing_key_must_belong_to_the_credentials_issuer(credential):
    """One issuer (a county) signing in another's name with its own genuine, published key."""
    other = make_staff(COUNTY_B, "credential_officer").organisation
    unsigned = {k: v for k, v in credential.document.items() if k != "proof"}
    signed, key = services._sign(other, unsigned, algorithm="sm2")
    result = verification.verify_credential(
        signed, public_key=bytes(key.public_key), now=timezone.now(), status={"revocation": False}
    )
    assert result.state == "invalid"
    assert "verificationMethod 不在 issuer.id 之下" in result.checks[0].message


def test_a_credential_without_status_entries_is_flagged(credential):
    unsigned = {k: v for k, v in credential.document.items() if k not in ("proof", "credentialStatus")}
    signed, key = services._sign(credential.issuer, unsigned, algorithm="sm2")
    result = verification.verify_credential(
        signed, public_key=bytes(key.public_key), now=timezone.now(), status={}
    )
    assert result.state == "status_not_current" and result.exit_code == STALE
    assert any(
        c.name == "status" and c.ok is False and "credentialStatus" in c.message for c in result.checks
    )


def test_a_trust_file_with_a_wrong_fingerprint_is_refused(credential, holder, tmp_path):
    path = trust_path(tmp_path)
    trust = json.loads(path.read_text(encoding="utf-8"))
    issuer = next(iter(trust["issuers"].values()))
    issuer["keys"][0]["fingerprint"] = "0" * 16
    path.write_text(json.dumps(trust), encoding="utf-8")
    with pytest.raises(CommandError, match="指纹不符") as raised:
        call_command("credentials", "verify", "x.json", "--trust", str(path), stdout=StringIO())
    assert raised.value.returncode == USAGE


def test_the_trust_file_is_the_same_from_page_api_and_command(credential):
    page = Client().get("/credentials/trust.json").json()
    api = ApiClient(None).get("/credentials/trust").json()
    out = StringIO()
    call_command("credentials", "trust-file", stdout=out)
    command = json.loads(out.getvalue())
    for document in (page, api, command):
        document.pop("generatedAt")
    assert page == api == command
    assert page["format"] == "smartjustice.trust.v1"
    issuer = page["issuers"][credential.document["issuer"]["id"]]
    assert [k["fingerprint"] for k in issuer["keys"]] == [credential.key_id]
    (log,) = page["logs"].values()
    assert log["name"] == "credentials" and log["keys"][0]["verifierKey"].startswith(
        next(iter(page["logs"])) + "+"
    )


# --- 2. exit codes ---------------------------------------------------------------------------------------------------


def test_every_state_but_valid_exits_non_zero(officer, holder, tmp_path, capsys):
    first = issue(officer, holder)  # the issuer's key exists from its first certificate on
    trust = ("--trust", trust_path(tmp_path))

    def code_of(credential, change=None, **kwargs) -> tuple[str, int]:
        if change:
            change(credential, actor=officer, reason="测试")
        result, code = verify(tmp_path, download(credential, holder), *trust, **kwargs)
        return result["label"], code

    assert code_of(first) == ("有效", VALID)
    assert code_of(issue(officer, holder), services.revoke_credential) == ("已吊销", REVOKED)
    assert code_of(issue(officer, holder), services.suspend_credential) == ("已暂停", SUSPENDED)
    past = timezone.now() - datetime.timedelta(days=800)
    expired = issue(officer, holder, valid_from=past, valid_until=past + datetime.timedelta(days=365))
    assert code_of(expired) == ("已过期", EXPIRED)
    future = issue(officer, holder, valid_from=timezone.now() + datetime.timedelta(days=3))
    assert code_of(future) == ("尚未生效", NOT_YET_VALID)
    tampered = download(issue(officer, holder), holder)
    tampered["credential"]["validUntil"] = "2099-01-01T00:00:00Z"
    assert verify(tmp_path, tampered, *trust)[1] == INVALID
    # The codes are in the command's help.
    with pytest.raises(SystemExit):
        call_command("credentials", "verify", "--help")
    assert "4 已吊销" in capsys.readouterr().out


def test_the_process_exit_status_is_the_states_code(officer, holder, tmp_path):
    """The real process (no database: a citizen's machine), not only call_command."""
    revoked = issue(officer, holder)
    services.revoke_credential(revoked, actor=officer, reason="调离执法岗位")
    trust = trust_path(tmp_path)
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/does_not_exist"}
    for credential, expected in ((issue(officer, holder), VALID), (revoked, REVOKED)):
        path = tmp_path / f"credential-{credential.pk}.json"
        path.write_text(json.dumps(download(credential, holder), ensure_ascii=False), encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "smartjustice",
            "credentials",
            "verify",
            str(path),
            "--trust",
            str(trust),
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert done.returncode == expected, done.stdout + done.stderr
    assert "核验结论：已吊销" in done.stdout


# --- 3. stale status -------------------------------------------------------------------------------------------------


def test_a_status_snapshot_older_than_the_maximum_age_is_not_current(officer, holder, tmp_path):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=3), tick=False):
        credential = issue(officer, holder)
        old_bundle = download(credential, holder)  # downloaded, then kept
    trust = ("--trust", trust_path(tmp_path))
    services.revoke_credential(credential, actor=officer, reason="调离执法岗位")
    result, code = verify(tmp_path, old_bundle, *trust)
    assert (result["state"], result["label"], code) == ("status_not_current", "状态不是最新", STALE)
    message = check(result, "status.revocation")["message"]
    assert check(result, "status.revocation")["ok"] is None
    assert "状态不是最新" in message and "过期" in message and "未被吊销" not in message
    # The list as the platform serves it now: current, and it says revoked.
    url = next(e["statusListCredential"] for e in credential.document["credentialStatus"]
               if e["statusPurpose"] == "revocation")  # fmt: skip
    fresh = Client().get(url.removeprefix("http://testserver")).json()
    assert verify(tmp_path, old_bundle, *trust, status=fresh)[1] == REVOKED


def test_newer_lists_replace_only_their_own_snapshot_and_several_can_be_given(officer, holder, tmp_path):
    """A stale bundle of a credential still in force: the verifier fetches the lists from the credential's
    `statusListCredential` addresses. Passing the fresh revocation list once threw the suspension snapshot away
    ("未提供状态列表快照", exit 8); now each list replaces its own snapshot, and both lists may be given."""
    with time_machine.travel(timezone.now() - datetime.timedelta(days=3), tick=False):
        credential = issue(officer, holder)
        old_bundle = download(credential, holder)
    trust = ("--trust", str(trust_path(tmp_path)))
    paths = {}
    for entry in credential.document["credentialStatus"]:
        fresh = Client().get(entry["statusListCredential"].removeprefix("http://testserver"))
        paths[entry["statusPurpose"]] = tmp_path / f"{entry['statusPurpose']}.json"
        paths[entry["statusPurpose"]].write_bytes(fresh.content)
    result, code = verify(tmp_path, old_bundle, *trust, status=json.loads(paths["revocation"].read_bytes()))
    assert code == STALE
    assert check(result, "status.revocation")["ok"] is True
    suspension = check(result, "status.suspension")["message"]
    assert "状态不是最新" in suspension and "过期" in suspension and "未提供" not in suspension
    bundle_path = tmp_path / "credential.json"
    bundle_path.write_text(json.dumps(old_bundle, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command(
        "credentials", "verify", str(bundle_path), str(paths["revocation"]), str(paths["suspension"]), *trust,
        "--json", stdout=out,
    )  # fmt: skip
    assert json.loads(out.getvalue())["state"] == "valid"


def test_a_snapshot_within_its_age_says_the_status_is_as_of_its_signing(officer, holder, tmp_path):
    """Downloaded before a revocation, verified an hour after: within the maximum age the verdict stays 有效 (ADR
    0009), but the check no longer reads as the current status ("✔ 未被吊销"): it says as of when, and what decides."""
    credential = issue(officer, holder)
    old_bundle = download(credential, holder)
    services.revoke_credential(credential, actor=officer, reason="调离执法岗位")
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1), tick=False):
        result, code = verify(tmp_path, old_bundle, "--trust", trust_path(tmp_path))
    assert code == VALID
    message = check(result, "status.revocation")["message"]
    assert message.startswith("截至状态列表签发时未被吊销") and "此后的变更不在其中" in message, message
    assert "状态列表签发于" in message


def test_the_maximum_age_is_the_verifiers_choice(officer, holder, tmp_path):
    credential = issue(officer, holder)
    bundle = download(credential, holder)
    trust = ("--trust", trust_path(tmp_path))
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2), tick=False):
        assert verify(tmp_path, bundle, *trust)[1] == VALID  # within the default 24 hours
        result, code = verify(tmp_path, bundle, *trust, "--max-status-age", "1")
        assert code == STALE and "已超过 1 小时" in check(result, "status.revocation")["message"]


def test_a_status_list_must_be_the_one_the_credential_names(credential, holder, tmp_path):
    bundle = download(credential, holder)
    lists = bundle["statusLists"]
    revocation = next(u for u in lists if "/revocation/" in u)
    suspension = next(u for u in lists if "/suspension/" in u)
    lists[revocation] = lists[
        suspension
    ]  # another genuine, signed list of the same issuer filed under this URL
    result, code = verify(tmp_path, bundle, "--trust", trust_path(tmp_path))
    assert code == INVALID
    assert "id 与 statusListCredential 不符" in check(result, "status.revocation")["message"]


def test_the_status_list_served_is_signed_recently_and_carries_its_validity(credential, settings):
    url = credential.document["credentialStatus"][0]["statusListCredential"].removeprefix("http://testserver")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2), tick=False):
        served = Client().get(url).json()
        issued = verification.parse_time(served["validFrom"])
        assert abs(issued - timezone.now()) < datetime.timedelta(minutes=1)
        assert verification.parse_time(served["validUntil"]) - issued == datetime.timedelta(
            hours=settings.CREDENTIALS_STATUS_MAX_AGE_HOURS
        )


def test_the_public_page_uses_the_live_status(credential, officer):
    from smartjustice.credentials import queries

    link = queries.default_link(credential)
    services.revoke_credential(credential, actor=officer, reason="调离执法岗位")
    html = Client().get(f"/credentials/v/{link.token}/").content.decode()
    assert 'data-testid="verification-state">已吊销<' in html


def test_the_public_page_accepts_only_a_key_of_the_issuer_itself(credential):
    """A record pointing at another organisation's genuine key, under the issuer's name, does not verify."""
    from smartjustice.credentials import queries

    other = make_staff(COUNTY_B, "credential_officer").organisation
    other_key = keys.active_key(other, algorithm="sm2")
    unsigned = {k: v for k, v in credential.document.items() if k != "proof"}
    options = proofs.proof_options(
        algorithm="sm2",
        verification_method=f"{services.issuer_id(credential.issuer)}#{other_key.key_id}",
        created="2026-12-01T00:00:00Z",
    )
    _, signature = keys.sign_as(other, proofs.signing_input(unsigned, options), algorithm="sm2")
    credential.document = proofs.attach_proof(unsigned, options, signature)
    credential.key_id = other_key.key_id
    credential.save()
    html = Client().get(f"/credentials/v/{queries.default_link(credential).token}/").content.decode()
    assert 'data-testid="verification-state">验证失败<' in html
    assert "发证机关签名有效" not in html and "缺少发证机关公钥" in html
