"""Every read of the ledger. Logs, checkpoints, public keys and witnesses are public (that is the point of a
transparency log); entry contents are not: only staff allowed to view the operating organisation's entries get
them, and the public proves inclusion by leaf hash instead (``find_leaf``, RFC 9162 get-proof-by-hash).

Acting on a log, key or witness needs the matching ``ledger.*`` permission inside the jurisdiction of the
organisation it belongs to (the models' ``access_scopes``); the platform's own ones, with no organisation, belong to
the province that runs it (core.access: platform-owned records)."""

from __future__ import annotations

from django.db.models import F, Max, OuterRef, Prefetch, Q, Subquery

from smartjustice.core import access
from smartjustice.core.errors import NotAuthenticated, NotFound, PermissionDenied, ValidationFailed

from . import trust
from .choices import KeyStatus
from .models import Checkpoint, Cosignature, LedgerEntry, Log, SigningKey, Witness


def _operator_code(organisation) -> str | None:
    """The jurisdiction an operator's records fall under; None for the platform's own (the province's)."""
    return organisation.jurisdiction_id if organisation is not None else None


def list_logs(*, q: str = ""):
    qs = Log.objects.select_related("organisation").order_by("name")
    if q:
        qs = qs.filter(name__contains=q.strip())
    return qs


def get_log(name: str) -> Log:
    try:
        return Log.objects.select_related("organisation").get(name=name)
    except Log.DoesNotExist:
        raise NotFound("存证日志不存在") from None


def _with_cosignatures(qs):
    return qs.select_related("key", "log").prefetch_related(
        Prefetch(
            "cosignatures", queryset=Cosignature.objects.select_related("witness").order_by("witness__name")
        )
    )


def list_checkpoints(log: Log, *, min_size: int | None = None, max_size: int | None = None):
    qs = _with_cosignatures(Checkpoint.objects.filter(log=log)).order_by("-tree_size")
    if min_size is not None:
        qs = qs.filter(tree_size__gte=min_size)
    if max_size is not None:
        qs = qs.filter(tree_size__lte=max_size)
    return qs


def latest_checkpoint(log: Log) -> Checkpoint | None:
    """The newest signed checkpoint (reading never signs; ``smartjustice ledger checkpoint`` does)."""
    return _with_cosignatures(Checkpoint.objects.filter(log=log)).order_by("-tree_size").first()


def signed_checkpoint(log: Log, tree_size: int | None = None) -> Checkpoint:
    """The checkpoint a proof is computed against: the one of ``tree_size`` leaves, else the newest."""
    if tree_size is not None:
        return get_checkpoint(log, tree_size)
    checkpoint = latest_checkpoint(log)
    if checkpoint is None:
        raise NotFound("该日志尚未签发检查点")
    return checkpoint


def get_checkpoint(log: Log, tree_size: int) -> Checkpoint:
    checkpoint = _with_cosignatures(Checkpoint.objects.filter(log=log, tree_size=tree_size)).first()
    if checkpoint is None:
        raise NotFound("该条目数的检查点不存在")
    return checkpoint


def latest_checkpoints(logs) -> dict[int, Checkpoint]:
    """{log id: newest checkpoint} for a page of logs, in two queries (only the newest rows are read: a log signs a
    checkpoint for every credential it records, so older ones are many)."""
    newest = Checkpoint.objects.filter(log=OuterRef("log")).order_by("-tree_size").values("tree_size")[:1]
    rows = Checkpoint.objects.filter(log__in=logs, tree_size=Subquery(newest))
    return {checkpoint.log_id: checkpoint for checkpoint in _with_cosignatures(rows)}


def get_log_for(user, name: str, *, action: str = "sign") -> Log:
    """A log the user may `action` (``sign``: ledger.add_checkpoint; see Log.access_scopes): its operator must be
    inside the user's jurisdiction; the same not-found for a missing log and one outside it."""
    access.require(user, action, Log)
    log = access.restrict(Log.objects.select_related("organisation"), user, action).filter(name=name).first()
    if log is None:
        raise NotFound("存证日志不存在或不在您的辖区内")
    return log


def get_entry_for(user, log: Log, index: int) -> LedgerEntry:
    """An entry with its content: staff with ``ledger.view_ledgerentry`` inside the operator's jurisdiction."""
    access.require(user, "view_entries", Log)
    if not access.can(user, "view_entries", log):
        raise NotFound("存证条目不存在或不在您的辖区内")
    try:
        return LedgerEntry.objects.select_related("log").get(log=log, index=index)
    except LedgerEntry.DoesNotExist:
        raise NotFound("存证条目不存在或不在您的辖区内") from None


def get_entry_by_id_for(user, entry_id: int) -> LedgerEntry:
    """An entry by its id (the receipt number other modules keep), with the same rule as ``get_entry_for``."""
    access.require(user, "view_entries", Log)
    entry = LedgerEntry.objects.select_related("log", "log__organisation").filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("存证条目不存在或不在您的辖区内")
    return get_entry_for(user, entry.log, entry.index)


def find_leaf(log: Log, leaf_hash: bytes, tree_size: int) -> int:
    """The first index below ``tree_size`` whose leaf hash is ``leaf_hash`` (RFC 9162 get-proof-by-hash).

    Selects on the hash alone, so the ``ledger_entry_leaf_hash`` index is the only one that applies (given the log
    and index too, SQLite prefers the (log, index) index and walks the whole log); a hash names more than one row
    only when the same document was logged more than once, so the rest is picked out here.
    """
    rows = LedgerEntry.objects.filter(leaf_hash=leaf_hash).values_list("log_id", "index")
    index = min((i for log_id, i in rows if log_id == log.pk and i < tree_size), default=None)
    if index is None:
        raise NotFound("该检查点覆盖的条目中没有这个叶子哈希")
    return index


def list_keys(*, organisation: int | None = None, status: str = "", algorithm: str = ""):
    """Public keys of every organisation, the retired ones too (old signatures stay verifiable)."""
    qs = SigningKey.objects.select_related("organisation", "log").order_by(
        "organisation__name", "-created_at", "-id"
    )
    if organisation:
        qs = qs.filter(organisation_id=organisation)
    if status:
        qs = qs.filter(status=status)
    if algorithm:
        qs = qs.filter(algorithm=algorithm)
    return qs


def get_key(key_id: str) -> SigningKey:
    try:
        return SigningKey.objects.select_related("organisation", "log").get(key_id=key_id)
    except SigningKey.DoesNotExist:
        raise NotFound("签名密钥不存在") from None


def list_witnesses(*, active: bool | None = None):
    qs = Witness.objects.select_related("organisation").order_by("name")
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def get_witness(name: str) -> Witness:
    try:
        return Witness.objects.select_related("organisation").get(name=name)
    except Witness.DoesNotExist:
        raise NotFound("见证方不存在") from None


def get_witness_for(user, name: str, *, action: str = "change") -> Witness:
    """A witness the user may manage: registered by an organisation inside their jurisdiction (or the platform's)."""
    access.require(user, action, Witness)
    witness = access.restrict(Witness.objects.select_related("organisation"), user, action).filter(name=name)
    if not witness:
        raise NotFound("见证方不存在或不在您的辖区内")
    return witness[0]


def organisation_for_witness(user, organisation_id: int | None):
    """The organisation registering a witness (``ledger.add_witness`` in its jurisdiction; none: the platform's)."""
    access.require(user, "add", Witness)
    organisation = get_organisation(organisation_id) if organisation_id else None
    if not access.may_act_in(user, _operator_code(organisation)):
        raise NotFound("单位不存在或不在您的辖区内")
    return organisation


def own_witness_organisation(user):
    """Under whose name the staff page registers a witness: the platform for province-level staff, else their own
    organisation (``ledger.add_witness`` required either way)."""
    access.require(user, "add", Witness)
    if access.may_act_in(user, None):
        return None
    return organisation_for_witness(user, user.organisation_id)


def organisation_for_key_admin(user, organisation_id: int | None):
    """The organisation whose keys ``user`` may rotate (``ledger.change_signingkey`` in its jurisdiction); the
    platform's own keys (``None``) belong to the province that runs the platform."""
    from smartjustice.core.models import Organisation

    access.require(user, "change", SigningKey)
    organisation = None
    if organisation_id is not None:
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation is None:
            raise NotFound("单位不存在或不在您的辖区内")
    if not access.may_act_in(user, _operator_code(organisation)):
        raise NotFound("单位不存在或不在您的辖区内")
    return organisation


def last_cosigned_size(witness: Witness, log: Log) -> int:
    """The size of the newest checkpoint of ``log`` that ``witness`` cosigned for us (0: none)."""
    size = (
        Cosignature.objects.filter(witness=witness, checkpoint__log=log)
        .order_by("-checkpoint__tree_size")
        .values_list("checkpoint__tree_size", flat=True)
        .first()
    )
    return size or 0


def logs_needing_checkpoint():
    """Logs whose tree grew past their newest checkpoint (or that have entries but no checkpoint yet)."""
    return (
        Log.objects.annotate(signed=Max("checkpoints__tree_size"))
        .filter(Q(signed__isnull=True, tree_size__gt=0) | Q(tree_size__gt=F("signed")))
        .order_by("name")
    )


def pending_cosignatures() -> list[tuple[Checkpoint, Witness]]:
    """(latest checkpoint of a log, active witness with a submission URL that has not cosigned it)."""
    witnesses = list(Witness.objects.filter(is_active=True).exclude(url="").order_by("name"))
    if not witnesses:
        return []
    pending = []
    for log in Log.objects.order_by("name"):
        checkpoint = (
            Checkpoint.objects.select_related("log", "key").filter(log=log).order_by("-tree_size").first()
        )
        if checkpoint is None:
            continue
        done = set(checkpoint.cosignatures.values_list("witness_id", flat=True))
        pending.extend((checkpoint, w) for w in witnesses if w.pk not in done)
    return pending


def log_public_keys(log_name: str) -> list[bytes]:
    """The keys pinned for the log's origin (``ledger.trust``: settings or the trust file, never the key table,
    which whoever rewrites the database could extend) that may sign its checkpoints."""
    log = Log.objects.filter(name=log_name).only("origin", "signature_algorithm").first()
    if log is None:
        return []
    return [pin.public_key for pin in trust.log_pins(log.origin) if pin.algorithm == log.signature_algorithm]


def get_organisation(organisation_id: int):
    """An organisation by id (organisations are public reference data) or a field error."""
    from smartjustice.core.models import Organisation

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise ValidationFailed(fields={"organisation_id": ["单位不存在"]})
    return organisation


# --- the staff page (/ledger/manage/) ---------------------------------------------------------------------------------

MANAGE_PERMISSIONS = {
    "sign": "ledger.add_checkpoint",
    "add_witness": "ledger.add_witness",
    "change_witness": "ledger.change_witness",
    "rotate": "ledger.change_signingkey",
    "entries": "ledger.view_ledgerentry",
}


def may_manage(user) -> bool:
    """Whether the user holds any of the ledger's staff permissions (the page link shows for them)."""
    return bool(user and user.is_authenticated) and any(
        access.may(user, perm) for perm in MANAGE_PERMISSIONS.values()
    )


def management_for(user) -> dict:
    """What /ledger/manage/ shows ``user``: the logs, witnesses and active keys inside their jurisdiction (the
    platform's own for province-level staff), and which actions they may take; 403 without any ledger permission."""
    if user is None or not user.is_authenticated:
        raise NotAuthenticated()
    if not may_manage(user):
        raise PermissionDenied("此页面仅供存证账本管理员使用")

    def in_scope(organisation) -> bool:
        return access.may_act_in(user, _operator_code(organisation))

    keys = SigningKey.objects.filter(status=KeyStatus.ACTIVE).select_related("organisation")
    return {
        "may": {name: access.may(user, perm) for name, perm in MANAGE_PERMISSIONS.items()},
        "logs": [log for log in list_logs() if in_scope(log.organisation)],
        "witnesses": [w for w in list_witnesses() if in_scope(w.organisation)],
        "keys": [k for k in keys.order_by("organisation__name", "algorithm") if in_scope(k.organisation)],
        "platform": in_scope(None),
    }
