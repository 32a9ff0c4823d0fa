"""API of 可信存证账本 at /api/v1/ledger/: logs, checkpoints, proofs, public keys and witnesses.

Reading is public (a transparency log is meant to be checked by anyone); entry contents, signing checkpoints on
demand, rotating keys and registering witnesses need the matching ``ledger.*`` permission.
"""

import base64
import binascii

from django.http import HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import paginate

from smartjustice.core.auth import API_AUTH
from smartjustice.core.errors import ValidationFailed
from smartjustice.core.pagination import PageNumberPagination

from . import bundles, keys, queries, services
from .schemas import (
    CheckpointFilter,
    CheckpointOut,
    ConsistencyOut,
    CosignatureIn,
    CosignatureOut,
    CosignRequestOut,
    InclusionOut,
    KeyFilter,
    KeyOut,
    LogFilter,
    LogOut,
    RotateKeyIn,
    WitnessIn,
    WitnessOut,
    WitnessPatch,
    b64,
    decode_hash,
)

router = Router(tags=["可信存证账本"])


def _text(body: str, *, filename: str = "") -> HttpResponse:
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _decode(value: str, field: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(fields={field: ["不是有效的 base64"]}) from None


@router.get("/logs", response=list[LogOut], summary="存证日志列表（公开）")
@paginate(PageNumberPagination)
def list_logs(request, filters: Query[LogFilter]):
    return queries.list_logs(**filters.dict())


@router.get("/logs/{name}", response=LogOut, summary="存证日志（公开）")
def get_log(request, name: str):
    return queries.get_log(name)


@router.get("/logs/{name}/checkpoint", summary="最新检查点（text/plain，C2SP tlog-checkpoint，含见证签名）")
def latest_checkpoint(request, name: str):
    checkpoint = queries.signed_checkpoint(queries.get_log(name))
    return _text(services.checkpoint_with_cosignatures(checkpoint))


@router.get("/logs/{name}/checkpoints", response=list[CheckpointOut], summary="历史检查点（公开）")
@paginate(PageNumberPagination)
def list_checkpoints(request, name: str, filters: Query[CheckpointFilter]):
    return queries.list_checkpoints(queries.get_log(name), **filters.dict())


@router.post(
    "/logs/{name}/checkpoints", response={201: CheckpointOut}, auth=API_AUTH, summary="签发新检查点（需权限）"
)
def sign_checkpoint(request, name: str):
    log = queries.get_log_for(request.auth, name, action="sign")
    checkpoint = services.sign_checkpoint(log, actor=request.auth)
    return Status(201, queries.get_checkpoint(checkpoint.log, checkpoint.tree_size))


@router.get("/logs/{name}/consistency", response=ConsistencyOut, summary="一致性证明（RFC 9162 §2.1.4）")
def consistency(request, name: str, old_size: int, new_size: int | None = None):
    log = queries.get_log(name)
    new_size = queries.signed_checkpoint(log).tree_size if new_size is None else new_size
    if not 0 <= old_size <= new_size <= log.tree_size:
        raise ValidationFailed(fields={"old_size": ["须满足 0 ≤ old_size ≤ new_size ≤ 日志条目数"]})
    proof = services.consistency_proof(log, old_size, new_size)
    return {"log": log.name, "old_size": old_size, "new_size": new_size, "proof": [b64(h) for h in proof]}


@router.get(
    "/logs/{name}/inclusion", response=InclusionOut, summary="某序号条目的包含性证明（公开，不含内容）"
)
def inclusion(request, name: str, index: int, tree_size: int | None = None):
    """Whoever holds a document and its index computes H(0x00 || 内容), compares it with ``leaf_hash`` and checks
    the proof against the signed checkpoint. Only hashes are returned (O(log n) stored nodes), never content."""
    log = queries.get_log(name)
    checkpoint = queries.signed_checkpoint(log, tree_size)
    if not 0 <= index < checkpoint.tree_size:
        raise ValidationFailed(fields={"index": ["序号须小于检查点的条目数"]})
    return _inclusion(log, checkpoint, index)


@router.get(
    "/logs/{name}/proof-by-hash",
    response=InclusionOut,
    summary="按叶子哈希取序号和包含性证明（RFC 9162 get-proof-by-hash，公开）",
)
def proof_by_hash(request, name: str, leaf_hash: str, tree_size: int | None = None):
    """``leaf_hash`` = H(0x00 || 内容), hex or base64: whoever holds a document finds its index without knowing it.
    The first entry with that hash among the checkpoint's ``tree_size`` leaves is proven."""
    log = queries.get_log(name)
    return _named(services.proof_by_leaf_hash(log, decode_hash(leaf_hash, "leaf_hash"), tree_size))


def _inclusion(log, checkpoint, index: int) -> dict:
    return _named(services.inclusion_answer(log, checkpoint, index))


def _named(answer: dict) -> dict:
    return {**answer, "log": answer["log"].name}


@router.get("/logs/{name}/entries/{index}/bundle", auth=API_AUTH, summary="下载存证证明文件（.tlog-proof）")
def entry_bundle(request, name: str, index: int):
    entry = queries.get_entry_for(request.auth, queries.get_log(name), index)
    return _text(services.proof_bundle(entry), filename=f"{name}-{index}{bundles.FILE_EXTENSION}")


@router.get("/entries/{entry_id}/proof", auth=API_AUTH, summary="按存证编号下载证明文件（.tlog-proof）")
def entry_proof(request, entry_id: int):
    entry = queries.get_entry_by_id_for(request.auth, entry_id)
    return _text(
        services.proof_bundle(entry), filename=f"{entry.log.name}-{entry.index}{bundles.FILE_EXTENSION}"
    )


@router.get(
    "/logs/{name}/checkpoints/{tree_size}/cosign-request",
    response=CosignRequestOut,
    summary="见证方取检查点及自其上次见证以来的一致性证明",
)
def cosign_request(request, name: str, tree_size: int, old_size: int = 0):
    checkpoint = queries.get_checkpoint(queries.get_log(name), tree_size)
    data = services.cosign_request(checkpoint, old_size)
    return {**data, "proof": [b64(h) for h in data["proof"]]}


@router.post(
    "/logs/{name}/checkpoints/{tree_size}/cosignatures",
    response={201: CosignatureOut},
    summary="见证方提交联署签名（C2SP tlog-cosignature；以签名本身验证身份）",
)
def add_cosignature(request, name: str, tree_size: int, payload: CosignatureIn):
    checkpoint = queries.get_checkpoint(queries.get_log(name), tree_size)
    witness = queries.get_witness(payload.witness)
    note = payload.note if "\n\n" in payload.note else checkpoint.text + payload.note.strip("\n") + "\n"
    return Status(201, services.add_cosignature(checkpoint, witness, note))


@router.get("/keys", response=list[KeyOut], summary="各单位签名公钥（含已停用，公开）")
@paginate(PageNumberPagination)
def list_keys(request, filters: Query[KeyFilter]):
    return queries.list_keys(**filters.dict())


@router.get("/keys/{key_id}", response=KeyOut, summary="签名公钥（公开）")
def get_key(request, key_id: str):
    return queries.get_key(key_id)


@router.post(
    "/key-rotations", response={201: KeyOut}, auth=API_AUTH, summary="轮换单位或日志的签名密钥（需权限）"
)
def rotate_key(request, payload: RotateKeyIn):
    if payload.algorithm not in ("sm2", "ed25519"):
        raise ValidationFailed(fields={"algorithm": ["不支持的签名算法"]})
    log = queries.get_log(payload.log) if payload.log else None
    organisation = queries.organisation_for_key_admin(
        request.auth, log.organisation_id if log else payload.organisation_id
    )
    algorithm = log.signature_algorithm if log else payload.algorithm
    return Status(201, keys.rotate_key(organisation, actor=request.auth, algorithm=algorithm, log=log))


@router.get("/witnesses", response=list[WitnessOut], summary="见证方（公开）")
@paginate(PageNumberPagination)
def list_witnesses(request, active: bool | None = None):
    return queries.list_witnesses(active=active)


@router.post("/witnesses", response={201: WitnessOut}, auth=API_AUTH, summary="登记见证方（需权限）")
def register_witness(request, payload: WitnessIn):
    organisation = queries.organisation_for_witness(request.auth, payload.organisation_id)
    witness = services.register_witness(
        payload.name.strip(),
        _decode(payload.public_key, "public_key"),
        url=payload.url,
        organisation=organisation,
        actor=request.auth,
    )
    return Status(201, witness)


@router.patch(
    "/witnesses/{name}", response=WitnessOut, auth=API_AUTH, summary="修改见证方提交地址或启停（需权限）"
)
def change_witness(request, name: str, payload: WitnessPatch):
    witness = queries.get_witness_for(request.auth, name)
    return services.change_witness(witness, actor=request.auth, **payload.dict(exclude_unset=True))
