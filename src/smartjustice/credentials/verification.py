"""Verifying an e-certificate: signature, disclosures, validity period, status, ledger receipt.

Pure (no database): the public verification page calls it with the status read from the database, the offline
command (`smartjustice credentials verify FILE`) with a status-list snapshot. A check is ok (True), failed (False)
or could not be made (None, e.g. no status list at hand); the overall state is the worst of what was found.

Fail closed (ADR 0009): a signature or checkpoint checked only against a key that came with the file proves nothing
(anyone can make a key), so without pinned trust anchors the state is "unverified", never "valid"; a status list
older than the maximum age gives "status_not_current"; every state but "valid" has its own non-zero exit code.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from . import disclosure, proofs
from .canonical import canonicalize
from .choices import VERIFICATION_LABELS
from .statuslist import Bitstring

# Worst first: a broken signature outweighs everything, a revocation outweighs an expiry, and so on; "unverified"
# (no pinned anchors) and "status_not_current" (no current status list) still outweigh "valid".
PRECEDENCE = (
    "invalid", "revoked", "expired", "not_yet_valid", "suspended", "unverified", "status_not_current", "valid",
)  # fmt: skip

# Exit status of `smartjustice credentials verify` per state (2 is argparse's, and ours, for unusable input).
EXIT_CODES = {
    "valid": 0,
    "invalid": 1,
    "unverified": 3,
    "revoked": 4,
    "suspended": 5,
    "expired": 6,
    "not_yet_valid": 7,
    "status_not_current": 8,
}
EXIT_INPUT_ERROR = 2

# How old a status list may be before its answer no longer counts as current (a verifier may choose another age).
DEFAULT_STATUS_MAX_AGE = datetime.timedelta(hours=24)


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

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.state]

    def add(self, name: str, ok: bool | None, message: str, *, state: str | None = None) -> None:
        self.checks.append(Check(name, ok, message))
        if state and PRECEDENCE.index(state) < PRECEDENCE.index(self.state):
            self.state = state

    def as_dict(self) -> dict:
        return {
            "state": self.state,
            "label": self.label,
            "exit_code": self.exit_code,
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


def issuer_id_of(document: dict) -> str:
    issuer = document.get("issuer") or {}
    return issuer.get("id", "") if isinstance(issuer, dict) else str(issuer)


def verification_method_of(document: dict) -> str:
    proof = document.get("proof")
    return str(proof.get("verificationMethod", "")) if isinstance(proof, dict) else ""


def method_under_issuer(document: dict) -> bool:
    """Whether the proof's ``verificationMethod`` is a key of the document's own ``issuer.id`` (``<id>#<key>``)."""
    issuer_id = issuer_id_of(document)
    base, sep, fragment = verification_method_of(document).partition("#")
    return bool(issuer_id) and bool(sep) and bool(fragment) and base == issuer_id


def verify_credential(
    document: dict,
    *,
    public_key: bytes | None,
    key_pinned: bool = True,
    disclosures: list[str] = (),
    now: datetime.datetime,
    status: dict[str, bool] | None = None,
    status_lists: dict[str, dict] | None = None,
    max_status_age: datetime.timedelta = DEFAULT_STATUS_MAX_AGE,
    status_list_keys=None,
    ledger_check=None,
) -> VerificationResult:
    """Every check of one credential. `status` maps purpose → bit (online); else `status_lists` maps a
    statusListCredential URL → the signed status list credential (snapshot), current when younger than
    `max_status_age`, signed by one of `status_list_keys(list_credential)` (default: `public_key`; after a key
    rotation the lists are signed by the newer key). `key_pinned`: `public_key` is a trust anchor (from the
    platform's database or the verifier's trust file), not merely the key that came with the file.
    `ledger_check()` answers (ok, message), ok None when the receipt holds together but its log key is not pinned.
    """
    result = VerificationResult()
    issuer = document.get("issuer") or {}
    result.issuer = issuer if isinstance(issuer, dict) else {"id": issuer}
    # 1. The issuer's signature over the whole credential (digests, dates, status entries), by a key of that issuer.
    if not method_under_issuer(document):
        result.add("signature", False, "签名密钥不属于证照所载的发证机关（verificationMethod 不在 issuer.id 之下）",
                   state="invalid")  # fmt: skip
    elif public_key is None:
        result.add("signature", False, "缺少发证机关公钥，无法验证签名", state="invalid")
    elif not proofs.verify_proof(document, public_key):
        result.add("signature", False, "发证机关签名无效：证照内容被篡改或并非该机关签发", state="invalid")
    elif key_pinned:
        result.add("signature", True, "发证机关签名有效（内容未被篡改，签名公钥为该机关公示的公钥）")
    else:
        result.add("signature", None, "签名与文件自带的公钥相符，但该公钥未与发证机关公示的公钥核对：任何人都能自造"
                   "密钥，无法确认是该机关签发（请用 --trust 信任文件或 --issuer-key 固定发证机关公钥）",
                   state="unverified")  # fmt: skip
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
    _check_status(
        result,
        document,
        status=status,
        status_lists=status_lists,
        now=now,
        max_age=max_status_age,
        list_keys=status_list_keys or (lambda _list: [public_key] if public_key is not None else []),
    )
    # 5. The ledger receipt.
    if ledger_check is not None:
        ok, message = ledger_check()
        result.add(
            "ledger", ok, message, state="invalid" if ok is False else "unverified" if ok is None else None
        )
    return result


def check_ledger_receipt(
    proof: str, document: dict, *, log_keys=None, origin: str | None = None
) -> tuple[bool | None, str]:
    """Whether ``document`` itself is a leaf of the ledger, proven against a checkpoint signed by the log's key.

    ``proof`` is the credential's tlog-proof (ledger.bundles); ``log_keys`` the log's public keys obtained
    independently (the database online, the trust file or ``--ledger-key`` offline) and ``origin`` the log's origin
    line when known (the trust file), so a checkpoint of another log does not count. Without ``log_keys`` the proof
    is checked with the key it names itself and the answer is None (holds together, proves nothing). Pure.
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
    if origin is not None and outcome.origin != origin:
        return False, f"存证证明无效：检查点来自日志 {outcome.origin}，而不是存证日志 {origin}"
    where = f"日志 {outcome.log} 第 {outcome.index} 条，检查点共 {outcome.tree_size} 条"
    if pinned:
        return True, f"已在可信存证账本中登记（{where}；检查点由日志公钥签名）"
    return None, (
        f"存证证明自身一致（{where}），但日志公钥取自文件本身，未与 /ledger/keys/ 公示的公钥核对，"
        "无法确认已登记（请用 --trust 信任文件或 --ledger-key 固定日志公钥）"
    )


STATE_OF_PURPOSE = {"revocation": "revoked", "suspension": "suspended"}


def _check_status(result, document, *, status, status_lists, now, max_age, list_keys) -> None:
    entries = document.get("credentialStatus") or []
    if isinstance(entries, dict):
        entries = [entries]
    purposes = {e.get("statusPurpose") for e in entries if isinstance(e, dict)}
    if "revocation" not in purposes:
        # Nothing says where its revocation would be published: it can never be shown to be unrevoked.
        result.add("status", False, "证照没有载明吊销状态（credentialStatus），无法确认是否已被吊销",
                   state="status_not_current")  # fmt: skip
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("statusPurpose") not in STATE_OF_PURPOSE:
            continue
        purpose = entry["statusPurpose"]
        name, label = f"status.{purpose}", "吊销" if purpose == "revocation" else "暂停"
        if status is not None:  # online: the live list, current by definition
            bit = status.get(purpose)
            if bit is None:
                result.add(name, None, f"无法确认是否已{label}", state="status_not_current")
            elif bit:
                result.add(name, False, f"证照已被{label}", state=STATE_OF_PURPOSE[purpose])
            else:
                result.add(name, True, f"未被{label}（平台实时状态）")
            continue
        snapshot = _snapshot(
            entry,
            document=document,
            list_keys=list_keys,
            status_lists=status_lists or {},
            now=now,
            max_age=max_age,
        )
        if snapshot.problem:
            result.add(name, False, snapshot.problem, state="invalid")
        elif snapshot.bit is None:
            result.add(name, None, f"{snapshot.note}，无法确认是否已{label}", state="status_not_current")
        elif snapshot.bit:  # a revocation is final; a suspension seen in any list is reported as such
            result.add(name, False, f"证照已被{label}（{snapshot.note}）", state=STATE_OF_PURPOSE[purpose])
        elif snapshot.current:
            # A snapshot, however recent, says nothing of what happened after it was signed: said with the verdict.
            result.add(name, True, f"截至状态列表签发时未被{label}（{snapshot.note}；"
                       "此后的变更不在其中，以最新状态列表或二维码核验页为准）")  # fmt: skip
        else:
            result.add(name, None, f"状态不是最新：{snapshot.note}，此后是否已被{label}无法确认"
                       f"（请下载最新的状态列表 {entry.get('statusListCredential', '')} 后再核验）",
                       state="status_not_current")  # fmt: skip


@dataclass
class Snapshot:
    bit: bool | None = None
    current: bool = False
    note: str = ""  # when the list was issued, and whether that is recent enough
    problem: str = ""  # the list is not a genuine list for this entry: verification fails


def _format_time(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _snapshot(entry: dict, *, document, list_keys, status_lists: dict, now, max_age) -> Snapshot:
    """The entry's bit in the status-list snapshot, and whether that list is current (younger than ``max_age``)."""
    url = entry.get("statusListCredential", "")
    list_credential = status_lists.get(url)
    if list_credential is None:
        return Snapshot(note="未提供状态列表快照")
    if not isinstance(list_credential, dict) or issuer_id_of(list_credential) != issuer_id_of(document):
        return Snapshot(problem="状态列表不是本证照的发证机关发布的")
    if not method_under_issuer(list_credential) or not any(
        proofs.verify_proof(list_credential, key) for key in list_keys(list_credential)
    ):
        return Snapshot(problem="状态列表的签名无效")
    if list_credential.get("id") != url:
        return Snapshot(problem="状态列表不是证照所指的那一份（状态列表的 id 与 statusListCredential 不符）")
    subject = list_credential.get("credentialSubject") or {}
    if subject.get("statusPurpose") != entry.get("statusPurpose"):
        return Snapshot(problem="状态列表的用途与证照不符")
    try:
        bits = Bitstring.decode(subject["encodedList"])
        bit = bits.get(int(entry["statusListIndex"]))
    except (KeyError, ValueError, IndexError, TypeError, OSError, EOFError):
        return Snapshot(problem="状态列表无法解码")
    try:
        issued = parse_time(list_credential["validFrom"])
        until = parse_time(list_credential["validUntil"]) if list_credential.get("validUntil") else None
    except (KeyError, ValueError, TypeError, AttributeError):
        return Snapshot(bit=bit, note="状态列表没有有效的签发时间（validFrom）")
    hours = f"{max_age.total_seconds() / 3600:g}"
    note = f"状态列表签发于 {_format_time(issued)}"
    if until is not None and now >= until:
        return Snapshot(bit=bit, note=f"{note}，已于 {_format_time(until)} 过期")
    if now - issued > max_age:
        return Snapshot(bit=bit, note=f"{note}，已超过 {hours} 小时")
    if issued - now > datetime.timedelta(minutes=5):
        return Snapshot(bit=bit, note=f"{note}，晚于当前时间（请检查本机时钟）")
    return Snapshot(bit=bit, current=True, note=f"{note}，{hours} 小时内")
