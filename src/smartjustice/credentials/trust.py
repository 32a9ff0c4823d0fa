"""The verifier's trust file: the issuers' and the logs' published keys an offline verifier pins (ADR 0009).

Format ``smartjustice.trust.v1`` (JSON; from ``GET /credentials/trust.json``, ``GET /api/v1/credentials/trust`` or
``smartjustice credentials trust-file > trust.json``; compare the fingerprints with /ledger/keys/)::

    {"format": "smartjustice.trust.v1", "platform": "<public address>", "generatedAt": "<UTC time>",
     "issuers": {"<issuer id>": {"name": "…", "keys": [{"id": "<issuer id>#<fingerprint>", "algorithm": "sm2",
                                                       "publicKeyMultibase": "u<base64url>", "fingerprint": "…",
                                                       "status": "active"}]}},
     "logs": {"<origin>": {"name": "credentials", "keys": [{"algorithm": "sm2", "publicKey": "<base64>",
                                                          "fingerprint": "…", "verifierKey": "<signed-note key>"}]}}}

A fingerprint is ``ledger.keys.fingerprint`` (16 hex digits of SHA-256(algorithm || 0x0A || public key)), the key
id shown on /ledger/keys/; a key whose fingerprint does not match is refused, so a mistyped key is not pinned.
Pure: reading a trust file needs no database.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

from .disclosure import b64url_decode

FORMAT = "smartjustice.trust.v1"


class TrustFileError(ValueError):
    """The trust file cannot be used (wrong format, malformed key, fingerprint mismatch)."""


@dataclass
class TrustedLog:
    name: str
    origin: str
    keys: list[bytes] = field(default_factory=list)


@dataclass
class Trust:
    """Pinned anchors: issuer id → {verificationMethod id → public key}, and the trusted logs."""

    issuers: dict[str, dict[str, bytes]] = field(default_factory=dict)
    logs: list[TrustedLog] = field(default_factory=list)

    def issuer_keys(self, issuer_id: str) -> dict[str, bytes] | None:
        return self.issuers.get(issuer_id)

    def log_named(self, name: str) -> TrustedLog | None:
        return next((log for log in self.logs if log.name == name), None)


def fingerprint(algorithm: str, public_key: bytes) -> str:
    from smartjustice.ledger.keys import fingerprint as key_fingerprint

    return key_fingerprint(algorithm, public_key)


def _checked(entry: dict, public_key: bytes, where: str) -> bytes:
    algorithm = entry.get("algorithm", "")
    given = entry.get("fingerprint")
    if given and given != fingerprint(algorithm, public_key):
        raise TrustFileError(f"信任文件中{where}的公钥与其指纹不符")
    return public_key


def parse(data: dict) -> Trust:
    """A trust file's anchors; ``TrustFileError`` when it is not one."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TrustFileError(f"不是信任文件（format 应为 {FORMAT}）")
    trust = Trust()
    try:
        for issuer_id, issuer in (data.get("issuers") or {}).items():
            keys = {}
            for entry in issuer.get("keys") or []:
                value = entry["publicKeyMultibase"]
                if not value.startswith("u"):
                    raise TrustFileError(f"信任文件中发证机关 {issuer_id} 的公钥格式无效")
                keys[entry["id"]] = _checked(entry, b64url_decode(value[1:]), f"发证机关 {issuer_id} ")
            trust.issuers[issuer_id] = keys
        for origin, log in (data.get("logs") or {}).items():
            keys = [
                _checked(entry, base64.b64decode(entry["publicKey"], validate=True), f"日志 {origin} ")
                for entry in log.get("keys") or []
            ]
            trust.logs.append(TrustedLog(name=log["name"], origin=origin, keys=keys))
    except (KeyError, TypeError, AttributeError, ValueError, binascii.Error) as exc:
        if isinstance(exc, TrustFileError):
            raise
        raise TrustFileError("信任文件格式错误") from None
    return trust


def decode_key(text: str) -> bytes:
    """A public key given on the command line: standard base64 (as /ledger/keys/ shows it) or multibase base64url
    (``u…``, as in ``publicKeyMultibase``); a key is 32 (Ed25519) or 65 (SM2) bytes, which tells the two apart."""
    text = text.strip()
    try:
        key = base64.b64decode(text, validate=True)
        if len(key) in KEY_LENGTHS:
            return key
    except (binascii.Error, ValueError):
        pass
    try:
        if text.startswith("u"):
            key = b64url_decode(text[1:])
            if len(key) in KEY_LENGTHS:
                return key
    except (binascii.Error, ValueError):
        pass
    raise TrustFileError("公钥不是有效的 base64（SM2 公钥 65 字节，Ed25519 公钥 32 字节）")


KEY_LENGTHS = (32, 65)
