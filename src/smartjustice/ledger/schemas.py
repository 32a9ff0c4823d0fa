"""In/out schemas of the ledger API. Hashes, keys and signatures travel as standard base64 (RFC 4648 §4)."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from ninja import Field, Schema

from smartjustice.core.errors import ValidationFailed
from smartjustice.core.pagination import Id
from smartjustice.core.schemas import OrganisationRef

from . import notes


def b64(value) -> str:
    return base64.b64encode(bytes(value or b"")).decode()


def decode_hash(value: str, field: str) -> bytes:
    """A 32-byte hash given as 64 hex digits or standard base64 (what RFC 9162 clients send); else a field error."""
    text = (value or "").strip()
    try:
        raw = bytes.fromhex(text) if len(text) == 64 else base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error):
        raw = b""
    if len(raw) != 32:
        raise ValidationFailed(fields={field: ["须为 32 字节哈希：64 位十六进制或 base64"]})
    return raw


def checkpoint_verifier_key(checkpoint) -> str:
    """The signed-note verifier key that checks ``checkpoint`` (key name = the log's origin)."""
    key = checkpoint.key
    return notes.verifier_key(
        checkpoint.log.origin, notes.SIGNATURE_TYPES[key.algorithm], bytes(key.public_key)
    )


class CosignatureOut(Schema):
    witness: str
    timestamp: int
    line: str

    @staticmethod
    def resolve_witness(obj) -> str:
        return obj.witness.name


class CheckpointOut(Schema):
    log: str
    tree_size: int
    root_hash: str = Field(description="根哈希（base64）")
    key_id: str
    verifier_key: str = Field(description="日志的 signed-note 验证公钥串（名称+密钥标识+base64(类型‖公钥)）")
    text: str = Field(description="C2SP tlog-checkpoint 签名文本（含见证签名行）")
    cosignatures: list[CosignatureOut]
    created_at: datetime

    @staticmethod
    def resolve_log(obj) -> str:
        return obj.log.name

    @staticmethod
    def resolve_root_hash(obj) -> str:
        return b64(obj.root_hash)

    @staticmethod
    def resolve_key_id(obj) -> str:
        return obj.key.key_id

    @staticmethod
    def resolve_verifier_key(obj) -> str:
        return checkpoint_verifier_key(obj)

    @staticmethod
    def resolve_text(obj) -> str:
        return obj.text + "".join(c.line for c in obj.cosignatures.all())

    @staticmethod
    def resolve_cosignatures(obj) -> list:
        return list(obj.cosignatures.all())


class LogOut(Schema):
    name: str
    origin: str
    hash_algorithm: str
    signature_algorithm: str
    organisation: OrganisationRef | None
    tree_size: int
    root_hash: str = Field(description="当前根哈希（base64；以已签名检查点为准）")
    created_at: datetime

    @staticmethod
    def resolve_root_hash(obj) -> str:
        return b64(obj.root_hash)


class LogFilter(Schema):
    q: str = Field("", description="名称包含")


class CheckpointFilter(Schema):
    min_size: int | None = Field(None, ge=0)
    max_size: int | None = Field(None, ge=0)


class ConsistencyOut(Schema):
    log: str
    old_size: int
    new_size: int
    proof: list[str] = Field(description="RFC 9162 §2.1.4 一致性证明（base64）")


class InclusionOut(Schema):
    log: str
    index: int
    tree_size: int
    leaf_hash: str
    proof: list[str] = Field(description="RFC 9162 §2.1.3 包含性证明（base64）")
    checkpoint: str


class KeyOut(Schema):
    key_id: str = Field(
        description="平台密钥标识（指纹：SHA-256(算法‖0x0A‖公钥) 前 16 位十六进制），不是 signed-note 标识"
    )
    algorithm: str
    public_key: str = Field(description="公钥（base64；SM2 为 04||x||y 65 字节，Ed25519 为 32 字节）")
    organisation: OrganisationRef | None
    log: str | None = Field(None, description="检查点密钥所属日志的名称；单位密钥（签发证照）为空")
    verifier_key: str = Field(
        "",
        description="日志检查点密钥的 signed-note 验证公钥串（来源标识+标识+base64），供固定公钥；单位密钥为空",
    )
    status: str
    created_at: datetime
    retired_at: datetime | None

    @staticmethod
    def resolve_public_key(obj) -> str:
        return b64(obj.public_key)

    @staticmethod
    def resolve_log(obj) -> str | None:
        return obj.log.name if obj.log_id else None

    @staticmethod
    def resolve_verifier_key(obj) -> str:
        from .keys import verifier_key

        return verifier_key(obj)


class KeyFilter(Schema):
    organisation: Id | None = None
    status: str = ""
    algorithm: str = ""


class RotateKeyIn(Schema):
    organisation_id: int | None = Field(None, description="单位；不填为平台自身密钥")
    log: str | None = Field(
        None, description="日志名称：轮换该日志自己的检查点密钥（此时不看 organisation_id）"
    )
    algorithm: str = "sm2"


class WitnessOut(Schema):
    name: str
    public_key: str
    verifier_key: str = Field(description="signed-note 验证公钥串（类型 0x04 cosignature/v1）")
    organisation: OrganisationRef | None
    url: str = Field(description="c2sp.org/tlog-witness submission prefix（空：不主动推送）")
    is_active: bool

    @staticmethod
    def resolve_public_key(obj) -> str:
        return b64(obj.public_key)

    @staticmethod
    def resolve_verifier_key(obj) -> str:
        return notes.verifier_key(obj.name, notes.TYPE_COSIGNATURE, bytes(obj.public_key))


class WitnessIn(Schema):
    name: str = Field(description="签名密钥名，如 witness.gdjcy.gov.cn")
    public_key: str = Field(description="Ed25519 公钥（base64，32 字节）")
    url: str = Field(
        "", description="c2sp.org/tlog-witness submission prefix，检查点推送到 <url>/add-checkpoint"
    )
    organisation_id: int | None = None


class WitnessPatch(Schema):
    url: str | None = Field(None, description="新的提交地址（空字符串：停止推送）")
    is_active: bool | None = None


class CosignRequestOut(Schema):
    checkpoint: str
    old_size: int
    proof: list[str]


class CosignatureIn(Schema):
    witness: str = Field(description="见证方名称")
    note: str = Field(description="见证方返回的签名行，或附有该签名行的完整检查点")
