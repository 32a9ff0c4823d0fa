"""Every read of the ledger. Logs, checkpoints, public keys and witnesses are public (that is the point of a
transparency log); entry contents are not: only staff allowed to view the operating organisation's entries get
them, and the public proves inclusion by leaf hash instead (``proof_by_hash``)."""

from __future__ import annotations

from django.db.models import Prefetch

from smartjustice.core import access
from smartjustice.core.errors import NotFound, PermissionDenied, ValidationFailed

from .models import Checkpoint, Cosignature, LedgerEntry, Log, SigningKey, Witness


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


def get_checkpoint(log: Log, tree_size: int) -> Checkpoint:
    checkpoint = _with_cosignatures(Checkpoint.objects.filter(log=log, tree_size=tree_size)).first()
    if checkpoint is None:
        raise NotFound("该条目数的检查点不存在")
    return checkpoint


def latest_checkpoints(logs) -> dict[int, Checkpoint]:
    """{log id: newest checkpoint} for a page of logs, in two queries."""
    found: dict[int, Checkpoint] = {}
    for checkpoint in _with_cosignatures(Checkpoint.objects.filter(log__in=logs)).order_by(
        "log_id", "-tree_size"
    ):
        found.setdefault(checkpoint.log_id, checkpoint)
    return found


def get_entry_for(user, log: Log, index: int) -> LedgerEntry:
    """An entry with its content: staff with ``ledger.view_ledgerentry`` inside the operator's jurisdiction."""
    access.require_permission(user, "ledger.view_ledgerentry")
    if (
        log.organisation_id
        and not user.is_superuser
        and not access.in_jurisdiction(user, log.organisation.jurisdiction_id)
    ):
        raise NotFound()
    try:
        return LedgerEntry.objects.select_related("log").get(log=log, index=index)
    except LedgerEntry.DoesNotExist:
        raise NotFound("存证条目不存在") from None


def get_entry_by_id_for(user, entry_id: int) -> LedgerEntry:
    """An entry by its id (the receipt number other modules keep), with the same rule as ``get_entry_for``."""
    entry = LedgerEntry.objects.select_related("log", "log__organisation").filter(pk=entry_id).first()
    if entry is None:
        access.require_permission(user, "ledger.view_ledgerentry")
        raise NotFound("存证条目不存在")
    return get_entry_for(user, entry.log, entry.index)


def list_keys(*, organisation: int | None = None, status: str = "", algorithm: str = ""):
    """Public keys of every organisation, the retired ones too (old signatures stay verifiable)."""
    qs = SigningKey.objects.select_related("organisation").order_by(
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
        return SigningKey.objects.select_related("organisation").get(key_id=key_id)
    except SigningKey.DoesNotExist:
        raise NotFound("签名密钥不存在") from None


def list_witnesses(*, active: bool | None = None):
    qs = Witness.objects.select_related("organisation").order_by("name")
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def get_witness(name: str) -> Witness:
    try:
        return Witness.objects.get(name=name)
    except Witness.DoesNotExist:
        raise NotFound("见证方不存在") from None


def organisation_for_key_admin(user, organisation_id: int | None):
    """The organisation whose keys ``user`` may rotate (``ledger.change_signingkey`` in its jurisdiction);
    the platform's own keys (``None``) are for superusers only."""
    from smartjustice.core.models import Organisation

    access.require_permission(user, "ledger.change_signingkey")
    if organisation_id is None:
        if not user.is_superuser:
            raise PermissionDenied("只有系统超级管理员可以轮换平台自身的签名密钥")
        return None
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not (
        user.is_superuser or access.in_jurisdiction(user, organisation.jurisdiction_id)
    ):
        raise NotFound("单位不存在或不在您的辖区内")
    return organisation


def get_organisation(organisation_id: int):
    """An organisation by id (organisations are public reference data) or a field error."""
    from smartjustice.core.models import Organisation

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise ValidationFailed(fields={"organisation_id": ["单位不存在"]})
    return organisation
