"""Offline verification of a credential bundle (no database): the logic behind `smartjustice credentials verify`."""

from __future__ import annotations

import datetime

from . import bundles, verification
from .canonical import canonicalize
from .disclosure import b64url_decode


def _public_key(bundle: dict) -> tuple[bytes | None, str]:
    key = bundle.get("issuerKey") or {}
    value = key.get("publicKeyMultibase", "")
    method = ((bundle.get("credential") or {}).get("proof") or {}).get("verificationMethod", "")
    if not value.startswith("u"):
        return None, "缺少发证机关公钥"
    if key.get("id") and method and key["id"] != method:
        return None, "文件中的公钥不是签名所用的密钥"
    try:
        return b64url_decode(value[1:]), ""
    except ValueError:
        return None, "发证机关公钥格式无效"


def _status_lists(bundle: dict, given) -> dict[str, dict] | None:
    if given is None:
        return bundle.get("statusLists") or None
    if isinstance(given, dict) and given.get("type") and given.get("id"):
        return {given["id"]: given}  # one status list credential
    return given


def _ledger_check(bundle: dict, document: dict):
    receipt = bundle.get("ledger") or {}
    proof = receipt.get("proof")
    if not proof:
        return lambda: (None, "文件未附存证证明，无法离线确认已存证")

    def check():
        from smartjustice.ledger.verify import verify_proof_bundle

        try:
            outcome = verify_proof_bundle(proof, payload=canonicalize(document))
        except Exception as exc:  # noqa: BLE001 - any failure of a foreign file is a failed check
            return False, f"存证证明无效：{exc}"
        ok = bool(getattr(outcome, "ok", outcome))
        return (True, "已在可信存证账本中登记（包含证明有效）") if ok else (False, "存证证明与证照不符")

    return check


def verify_bundle(bundle: dict, *, status_lists=None, now: datetime.datetime | None = None):
    if bundle.get("format") != bundles.FORMAT:
        result = verification.VerificationResult()
        result.add("format", False, "不是本平台导出的证照核验文件", state="invalid")
        return result
    document = bundle.get("credential") or {}
    public_key, problem = _public_key(bundle)
    result = verification.verify_credential(
        document,
        public_key=public_key,
        disclosures=bundle.get("disclosures") or [],
        now=now or datetime.datetime.now(datetime.UTC),
        status_lists=_status_lists(bundle, status_lists),
        ledger_check=_ledger_check(bundle, document),
    )
    if problem:
        result.checks.insert(0, verification.Check("key", False, problem))
    return result
