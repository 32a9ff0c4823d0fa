"""Verifying an e-certificate: signature, disclosures, validity period, status, ledger receipt.

Pure (no database): the public verification page calls it with the status read from the database, the offline
command (`smartjustice credentials verify FILE`) with a status-list snapshot. A check is ok (True), failed (False)
or could not be made (None, e.g. no status list at hand); the overall state is the worst of what was found.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from . import disclosure, proofs
from .canonical import canonicalize
from .choices import VERIFICATION_LABELS
from .statuslist import Bitstring

# Worst first: a broken signature outweighs everything, a revocation outweighs an expiry, and so on.
PRECEDENCE = ("invalid", "revoked", "expired", "not_yet_valid", "suspended", "valid")


@dataclass
class Check:
    name: str
    ok: bool | None
    message: str


@dataclass
class VerificationResult:
    state: str = "valid"
    checks: list[Check] = field(default_factory=list)
    claims: dict = field(default_factory=dict)  # disclosed claims only
    issuer: dict = field(default_factory=dict)
    valid_from: str = ""
    valid_until: str = ""

    @property
    def label(self) -> str:
        return VERIFICATION_LABELS[self.state]

    @property
    def ok(self) -> bool:
        return self.state == "valid"

    def add(self, name: str, ok: bool | None, message: str, *, state: str | None = None) -> None:
        self.checks.append(Check(name, ok, message))
        if state and PRECEDENCE.index(state) < PRECEDENCE.index(self.state):
            self.state = state

    def as_dict(self) -> dict:
        return {
            "state": self.state,
            "label": self.label,
            "claims": self.claims,
            "issuer": self.issuer,
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
            "checks": [{"name": c.name, "ok": c.ok, "message": c.message} for c in self.checks],
        }


def parse_time(value: str) -> datetime.datetime:
    parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("timestamps must carry a time zone")
    return parsed


def disclosed_claims(document: dict, disclosures: list[str]) -> dict:
    """The claims revealed by `disclosures`; ValueError when one does not match a digest the issuer signed."""
    subject = document.get("credentialSubject") or {}
    digests = set(subject.get("_sd") or [])
    sd_alg = subject.get("_sd_alg", "sha-256")
    claims: dict = {}
    for item in disclosures:
        _, name, value = disclosure.parse_disclosure(item)
        if disclosure.digest(item, sd_alg) not in digests:
            raise ValueError(f"“{name}”的内容与发证机关签名的摘要不符")
        if name in claims or name in subject:
            raise ValueError(f"“{name}”重复披露")
        claims[name] = value
    return claims


def verify_credential(
    document: dict,
    *,
    public_key: bytes | None,
    disclosures: list[str] = (),
    now: datetime.datetime,
    status: dict[str, bool] | None = None,
    status_lists: dict[str, dict] | None = None,
    ledger_check=None,
) -> VerificationResult:
    """Every check of one credential. `status` maps purpose → bit (online); else `status_lists` maps a
    statusListCredential URL → the signed status list credential (snapshot). `ledger_check()` answers (ok, message).
    """
    result = VerificationResult()
    issuer = document.get("issuer") or {}
    result.issuer = issuer if isinstance(issuer, dict) else {"id": issuer}
    # 1. The issuer's signature over the whole credential (digests, dates, status entries).
    if public_key is None:
        result.add("signature", False, "缺少发证机关公钥，无法验证签名", state="invalid")
    elif proofs.verify_proof(document, public_key):
        result.add("signature", True, "发证机关签名有效（内容未被篡改）")
    else:
        result.add("signature", False, "发证机关签名无效：证照内容被篡改或并非该机关签发", state="invalid")
    # 2. Each disclosed claim against the digests the signature covers.
    try:
        result.claims = disclosed_claims(document, list(disclosures))
        result.add("disclosures", True, f"持证人选择披露的 {len(result.claims)} 项内容与签名摘要一致")
    except ValueError as exc:
        result.claims = {}
        result.add("disclosures", False, f"披露内容核验失败：{exc}", state="invalid")
    # 3. The validity period.
    try:
        result.valid_from = document.get("validFrom", "")
        result.valid_until = document.get("validUntil", "")
        if result.valid_from and now < parse_time(result.valid_from):
            result.add("validity", False, "证照尚未生效", state="not_yet_valid")
        elif result.valid_until and now >= parse_time(result.valid_until):
            result.add("validity", False, "证照已超过有效期", state="expired")
        else:
            result.add("validity", True, "在有效期内")
    except ValueError:
        result.add("validity", False, "有效期格式无效", state="invalid")
    # 4. Revocation and suspension.
    _check_status(result, document, public_key=public_key, status=status, status_lists=status_lists)
    # 5. The ledger receipt.
    if ledger_check is not None:
        ok, message = ledger_check()
        result.add("ledger", ok, message, state=None if ok or ok is None else "invalid")
    return result


def check_ledger_receipt(proof: str, document: dict, *, log_keys=None) -> tuple[bool, str]:
    """Whether ``document`` itself is a leaf of the ledger, proven against a checkpoint signed by the log's key.

    ``proof`` is the credential's tlog-proof (ledger.bundles); ``log_keys`` the log's public keys obtained
    independently (the database online, ``--ledger-key`` offline), or None to take the key the proof itself names
    (then the message says to compare it with the keys published at /ledger/keys/). Pure: no database.
    """
    from smartjustice.ledger.bundles import BundleError, parse_bundle
    from smartjustice.ledger.verify import verify_proof_bundle

    if not proof:
        return False, "未在可信存证账本中登记：没有存证证明"
    try:
        bundle = parse_bundle(proof)
    except BundleError as exc:
        return False, f"存证证明无效：{exc}"
    payload = canonicalize(document)
    if bundle.data != payload:
        return False, "未在可信存证账本中登记：所附存证证明记载的是另一份内容，而非本证照"
    pinned = log_keys is not None
    if pinned and bundle.public_key not in {bytes(k) for k in log_keys}:
        return False, "存证证明无效：检查点不是由存证日志的公钥签名的"
    outcome = verify_proof_bundle(proof, bundle.public_key if pinned else None, payload=payload)
    if not outcome.ok:
        return False, f"存证证明无效：{outcome.message}"
    where = f"日志 {outcome.log} 第 {outcome.index} 条，检查点共 {outcome.tree_size} 条"
    if pinned:
        return True, f"已在可信存证账本中登记（{where}；检查点由日志公钥签名）"
    return True, f"已在可信存证账本中登记（{where}；日志公钥取自文件本身，请与 /ledger/keys/ 公示的公钥核对）"


STATE_OF_PURPOSE = {"revocation": "revoked", "suspension": "suspended"}


def _check_status(result, document, *, public_key, status, status_lists) -> None:
    entries = document.get("credentialStatus") or []
    if isinstance(entries, dict):
        entries = [entries]
    for entry in entries:
        purpose = entry.get("statusPurpose")
        if purpose not in STATE_OF_PURPOSE:
            continue
        label = "吊销" if purpose == "revocation" else "暂停"
        if status is not None:
            bit = status.get(purpose)
        else:
            bit = _bit_from_snapshot(entry, public_key=public_key, status_lists=status_lists or {})
            if isinstance(bit, str):
                result.add(f"status.{purpose}", None if "未提供" in bit else False, bit,
                           state=None if "未提供" in bit else "invalid")  # fmt: skip
                continue
        if bit is None:
            result.add(f"status.{purpose}", None, f"无法确认是否已{label}")
        elif bit:
            result.add(f"status.{purpose}", False, f"证照已被{label}", state=STATE_OF_PURPOSE[purpose])
        else:
            result.add(f"status.{purpose}", True, f"未被{label}")


def _bit_from_snapshot(entry: dict, *, public_key, status_lists: dict) -> bool | str:
    url = entry.get("statusListCredential", "")
    list_credential = status_lists.get(url)
    if list_credential is None:
        return "未提供状态列表快照，无法离线确认吊销和暂停状态"
    if public_key is None or not proofs.verify_proof(list_credential, public_key):
        return "状态列表的签名无效"
    subject = list_credential.get("credentialSubject") or {}
    if subject.get("statusPurpose") != entry.get("statusPurpose"):
        return "状态列表的用途与证照不符"
    try:
        bits = Bitstring.decode(subject["encodedList"])
        return bits.get(int(entry["statusListIndex"]))
    except (KeyError, ValueError, IndexError):
        return "状态列表无法解码"
