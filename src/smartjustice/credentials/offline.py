"""Offline verification of a credential bundle (no database): the logic behind `smartjustice credentials verify`."""

from __future__ import annotations

import datetime

from . import bundles, verification
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


def _ledger_check(bundle: dict, document: dict, log_keys):
    receipt = bundle.get("ledger") or {}
    return lambda: verification.check_ledger_receipt(receipt.get("proof") or "", document, log_keys=log_keys)


def verify_bundle(
    bundle: dict,
    *,
    status_lists=None,
    now: datetime.datetime | None = None,
    ledger_keys: list[bytes] | None = None,
):
    """Every check of a credential file; ``ledger_keys``: the ledger's public keys from /ledger/keys/ (pinned)."""
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
        ledger_check=_ledger_check(bundle, document, ledger_keys),
    )
    if problem:
        result.checks.insert(0, verification.Check("key", False, problem))
    return result
