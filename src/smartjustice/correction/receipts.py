"""Check-in receipts (报到回执): a JSON file the subject downloads that proves, with no network and no database, that
the platform recorded this check-in at this time and has not changed it since.

A receipt (UTF-8 JSON, suggested extension ``.receipt.json``)::

    {
      "format": "smartjustice.correction/check-in-receipt@v1",
      "receipt": {...},          # the facts: check-in, subject number, channel, time, due time, content digest
      "details": {...},          # what the subject reported (report, location, photo digest) and a random salt
      "ledger": {"log": "correction-check-ins", "proof": "<c2sp.org/tlog-proof@v1 text>"},
      "signature": {"algorithm": "sm2", "key_id": "…", "public_key": "<base64>", "value": "<base64>"},
      "explanation": "…"         # how to check it by hand (not covered by anything)
    }

What holds it together:

1. ``payload`` = RFC 8785 canonical JSON of ``receipt``; the ledger entry's data are exactly these bytes
   (the proof bundle's ``extra`` carries them and ``ledger.verify`` checks the inclusion proof against the log's
   signed checkpoint).
2. ``receipt.content_sha256`` = SHA-256 of the canonical JSON of ``details``: the ledger holds only this digest (no
   name, no location, no report text), the subject's receipt holds the details that open it.
3. ``signature.value`` = the platform's signature (``algorithm``: SM2 per GB/T 32918, or Ed25519) over
   ``SIGNING_PREFIX || payload``; ``key_id`` = first 16 hex digits of SHA-256(algorithm || 0x0A || public key).

Keys carried in the file prove nothing by themselves: the verdict is "verified" only when the platform key and the
log key were pinned by the verifier (``--platform-key``/``--ledger-key``, from /ledger/keys/); otherwise the file is
checked for consistency (tampering is still caught) and the verdict is "unverified". This module imports no Django
and no ORM: ``smartjustice correction verify-receipt FILE`` runs it anywhere.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
from dataclasses import dataclass, field

import rfc8785

FORMAT = "smartjustice.correction/check-in-receipt@v1"
SIGNING_PREFIX = (FORMAT + "\n").encode()
LEDGER_LOG = "correction-check-ins"
LEDGER_KIND = "correction.check_in"
FILE_SUFFIX = ".receipt.json"

# Exit status of `smartjustice correction verify-receipt` (the same numbers as `smartjustice ledger verify`).
EXIT_VALID = 0
EXIT_INVALID = 1
EXIT_INPUT_ERROR = 2
EXIT_UNVERIFIED = 3

EXPLANATION = (
    "本文件是社区矫正报到回执，可离线验证，不需联网。"
    "验证方法：(1) 将 receipt 按 RFC 8785 规范化为 JSON 字节串 P；"
    "(2) ledger.proof 是 c2sp.org/tlog-proof@v1 格式的存证证明，其 extra 中 data 行的 base64 解码结果须等于 P，"
    "且用日志公钥核对检查点签名、用包含性证明核对 P 在已签名日志中（叶子哈希为 H(0x00||P)）；"
    "(3) 用平台公钥核对 signature.value 是对 “" + FORMAT + "” 加换行符再接 P 的签名；"
    "(4) details 按 RFC 8785 规范化后的 SHA-256 须等于 receipt.content_sha256。"
    "公钥须与 /ledger/keys/ 公示的平台公钥、日志公钥核对。"
    "命令：smartjustice correction verify-receipt 文件 --platform-key 平台公钥 --ledger-key 日志公钥"
)


class ReceiptError(ValueError):
    """A file that is not a receipt (exit status 2)."""


def canonical(value) -> bytes:
    """RFC 8785 canonical JSON bytes (what digests and signatures cover)."""
    return rfc8785.dumps(value)


def content_digest(details: dict) -> str:
    return hashlib.sha256(canonical(details)).hexdigest()


def new_salt() -> str:
    return secrets.token_hex(16)


def key_fingerprint(algorithm: str, public_key: bytes) -> str:
    """The platform's key id (the same as ledger.keys.fingerprint)."""
    return hashlib.sha256(algorithm.encode() + b"\n" + bytes(public_key)).hexdigest()[:16]


def entry_payload(receipt: dict) -> bytes:
    """The ledger entry's data for a receipt: its canonical JSON."""
    return canonical(receipt)


def signing_input(receipt: dict) -> bytes:
    return SIGNING_PREFIX + entry_payload(receipt)


def assemble(
    *, receipt: dict, details: dict, log: str, proof: str, algorithm: str, public_key: bytes, signature: bytes
) -> str:
    """The receipt file's text."""
    document = {
        "format": FORMAT,
        "receipt": receipt,
        "details": details,
        "ledger": {"log": log, "proof": proof},
        "signature": {
            "algorithm": algorithm,
            "key_id": key_fingerprint(algorithm, public_key),
            "public_key": base64.b64encode(bytes(public_key)).decode(),
            "value": base64.b64encode(bytes(signature)).decode(),
        },
        "explanation": EXPLANATION,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# --- verification (offline) ------------------------------------------------------------------------------------------


@dataclass
class ReceiptResult:
    status: int  # EXIT_VALID / EXIT_INVALID / EXIT_UNVERIFIED / EXIT_INPUT_ERROR
    message: str
    receipt: dict = field(default_factory=dict)
    details: dict = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)  # what held, in order

    @property
    def ok(self) -> bool:
        return self.status in (EXIT_VALID, EXIT_UNVERIFIED)


def _b64(value, what: str) -> bytes:
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        raise ReceiptError(f"回执格式错误：{what}不是 base64") from None


def parse(text: str) -> dict:
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, TypeError):
        raise ReceiptError("回执不是有效的 JSON 文件") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ReceiptError(f"不是报到回执（format 应为 {FORMAT}）")
    for name in ("receipt", "details", "ledger", "signature"):
        if not isinstance(document.get(name), dict):
            raise ReceiptError(f"回执格式错误：缺少 {name}")
    return document


def verify(text: str, *, platform_key: bytes | None = None, ledger_key: bytes | None = None) -> ReceiptResult:
    """Check a receipt (see the module docstring); the keys, when given, are the pinned ones."""
    from smartjustice import crypto
    from smartjustice.ledger.verify import verify_proof_bundle

    try:
        document = parse(text)
        receipt, details = document["receipt"], document["details"]
        signature = document["signature"]
        algorithm = str(signature.get("algorithm", ""))
        public_key = _b64(signature.get("public_key", ""), "平台公钥")
        value = _b64(signature.get("value", ""), "签名")
        payload = entry_payload(receipt)
        digest = content_digest(details)
    except ReceiptError as exc:
        return ReceiptResult(EXIT_INPUT_ERROR, str(exc))
    except ValueError:  # canonical JSON refused a value (NaN, huge integers): not something we issued
        return ReceiptResult(EXIT_INVALID, "回执内容无法规范化：不是本平台签发的回执")
    result = ReceiptResult(EXIT_INVALID, "", receipt=receipt, details=details)

    if receipt.get("content_sha256") != digest:
        result.message = "报到内容（details）与回执记载的摘要不符：内容被篡改"
        return result
    result.checks.append("报到内容与摘要一致")

    if algorithm not in crypto.SIGNATURE_ALGORITHMS:
        result.message = "回执使用了不支持的签名算法"
        return result
    if platform_key is not None and bytes(platform_key) != public_key:
        result.message = "回执中的平台公钥与指定的平台公钥不一致"
        return result
    if signature.get("key_id") and signature.get("key_id") != key_fingerprint(algorithm, public_key):
        result.message = "回执中的密钥标识与平台公钥不符"
        return result
    if not crypto.verify(algorithm, public_key, signing_input(receipt), value):
        result.message = "平台签名验证失败：回执内容被篡改，或不是本平台签发"
        return result
    result.checks.append("平台签名有效")

    ledger = document["ledger"]
    if ledger.get("log") != LEDGER_LOG:
        result.message = f"存证日志应为 {LEDGER_LOG}"
        return result
    outcome = verify_proof_bundle(str(ledger.get("proof", "")), ledger_key, payload=payload)
    if not outcome.ok:
        result.message = f"存证证明验证失败：{outcome.message}"
        return result
    if outcome.log != LEDGER_LOG or outcome.kind != LEDGER_KIND:
        result.message = "存证证明不属于报到存证日志"
        return result
    result.checks.append(
        f"已写入存证日志 {outcome.log}（第 {outcome.index} 条，检查点共 {outcome.tree_size} 条）"
    )

    pinned = platform_key is not None and ledger_key is not None
    result.status = EXIT_VALID if pinned else EXIT_UNVERIFIED
    result.message = (
        "验证通过：该报到已由平台签名并写入存证日志，内容未被改动"
        if pinned
        else "内容一致，但公钥取自回执本身（未核验）：请用 --platform-key、--ledger-key 指定 /ledger/keys/ 公示的公钥"
    )
    return result
