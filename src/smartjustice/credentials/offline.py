"""Offline verification of a credential bundle (no database): the logic behind `smartjustice credentials verify`.

The keys inside a bundle are only hints: the issuer's key and the log's key count when they match trust anchors the
verifier pinned beforehand (a trust file from the platform, or keys given explicitly). Without anchors the signature
and the receipt are still checked (tampering is still caught), but the verdict is "unverified" (ADR 0009).
"""

from __future__ import annotations

import datetime

from . import bundles, verification
from .disclosure import b64url_decode
from .proofs import SUITE_ALGORITHM
from .trust import Trust, fingerprint


def _bundle_key(bundle: dict) -> tuple[bytes | None, str]:
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


def _issuer_key(
    bundle: dict, document: dict, *, trust: Trust | None, issuer_keys
) -> tuple[bytes | None, bool, str]:
    """(key to check the signature with, whether it is pinned, a problem to report) for the credential."""
    bundled, problem = _bundle_key(bundle)
    issuer_id, method = verification.issuer_id_of(document), verification.verification_method_of(document)
    known = trust.issuer_keys(issuer_id) if trust is not None else None
    if known is not None and method in known:
        return known[method], True, ""
    given = [bytes(k) for k in issuer_keys or []]
    if bundled is not None and bundled in given:
        return bundled, True, ""
    named = _named_by(method, document, given)  # the file may leave its key out: the method names it
    if named is not None:
        return named, True, ""
    if known is not None or given:
        # Anchors for this issuer exist and none of them signed: not the issuer's credential.
        return None, False, "签名密钥不是发证机关公示的公钥（如该机关新近轮换了密钥，请重新下载信任文件）"
    if trust is not None:
        problem = problem or f"发证机关 {issuer_id} 不在信任文件中"
    return bundled, False, problem


def _named_by(method: str, document: dict, candidates: list[bytes]) -> bytes | None:
    """The candidate key whose fingerprint is the fragment of ``verificationMethod`` (``<issuer>#<fingerprint>``)."""
    proof = document.get("proof") if isinstance(document.get("proof"), dict) else {}
    algorithm = SUITE_ALGORITHM.get(proof.get("cryptosuite", ""))
    fragment = method.rpartition("#")[2]
    if algorithm is None or not fragment:
        return None
    return next((key for key in candidates if fingerprint(algorithm, key) == fragment), None)


def _list_keys(document: dict, *, trust: Trust | None, issuer_keys, credential_key: bytes | None):
    """The keys a status list of this issuer may be signed with (the pinned ones: lists are re-signed, after a
    rotation by the issuer's newer key)."""
    known = trust.issuer_keys(verification.issuer_id_of(document)) if trust is not None else None

    def keys(list_credential: dict) -> list[bytes]:
        if known is not None:
            method = verification.verification_method_of(list_credential)
            return [known[method]] if method in known else []
        pinned = [bytes(k) for k in issuer_keys or []]
        return pinned or ([credential_key] if credential_key is not None else [])

    return keys


def _status_lists(bundle: dict, given) -> dict[str, dict] | None:
    """The bundle's snapshot, each list replaced by a newer one the verifier passed (by its URL).

    ``given``: one status list credential, a JSON object of them by URL, or a list of either. A list not passed keeps
    its snapshot (judged by its own date): passing the fresh revocation list must not throw away the suspension one.
    """
    lists = dict(bundle.get("statusLists") or {})
    for item in given if isinstance(given, list) else [] if given is None else [given]:
        if isinstance(item, dict) and item.get("type") and item.get("id"):
            lists[item["id"]] = item  # one status list credential
        elif isinstance(item, dict):
            lists.update(item)
    return lists or None


def _ledger_check(bundle: dict, document: dict, *, trust: Trust | None, ledger_keys, ledger_origin=None):
    receipt = bundle.get("ledger") or {}
    log_keys = [bytes(k) for k in ledger_keys] if ledger_keys else None
    origin = ledger_origin  # named by a signed-note verifier key given with --ledger-key
    trusted = trust.log_named(receipt.get("log") or "") if trust is not None else None
    if trusted is not None and trusted.keys:  # a log listed without keys pins nothing
        log_keys = (log_keys or []) + trusted.keys
        origin = ledger_origin if ledger_keys else trusted.origin
    return lambda: verification.check_ledger_receipt(
        receipt.get("proof") or "", document, log_keys=log_keys, origin=origin
    )


def verify_bundle(
    bundle: dict,
    *,
    status_lists=None,
    now: datetime.datetime | None = None,
    trust: Trust | None = None,
    issuer_keys: list[bytes] | None = None,
    ledger_keys: list[bytes] | None = None,
    ledger_origin: str | None = None,
    max_status_age: datetime.timedelta = verification.DEFAULT_STATUS_MAX_AGE,
):
    """Every check of a credential file against the verifier's anchors: ``trust`` (a parsed trust file) and/or
    ``issuer_keys`` / ``ledger_keys`` (public keys from the issuer's page and /ledger/keys/; ``ledger_origin``, the
    origin their signed-note verifier key names, binds them to that log)."""
    if bundle.get("format") != bundles.FORMAT:
        result = verification.VerificationResult()
        result.add("format", False, "不是本平台导出的证照核验文件", state="invalid")
        return result
    document = bundle.get("credential") or {}
    public_key, pinned, problem = _issuer_key(bundle, document, trust=trust, issuer_keys=issuer_keys)
    result = verification.verify_credential(
        document,
        public_key=public_key,
        key_pinned=pinned,
        disclosures=bundle.get("disclosures") or [],
        now=now or datetime.datetime.now(datetime.UTC),
        status_lists=_status_lists(bundle, status_lists),
        max_status_age=max_status_age,
        status_list_keys=_list_keys(
            document, trust=trust, issuer_keys=issuer_keys, credential_key=public_key
        ),
        ledger_check=_ledger_check(
            bundle, document, trust=trust, ledger_keys=ledger_keys, ledger_origin=ledger_origin
        ),
    )
    if problem:
        result.checks.insert(0, verification.Check("key", False, problem))
    return result
