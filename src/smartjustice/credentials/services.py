"""Every write to e-certificates: issue, suspend, reinstate, revoke, and the holder's disclosure links.

Each runs in one transaction: the credential is signed by the issuing organisation's key (ledger.keys.sign_as, SM2
by default), recorded in the ledger (ledger.services.append_entry) with its receipt kept, and each status change
flips the credential's bit in the issuer's Bitstring Status List, re-signs that list and is audited through the
credential workflow (core.workflow: permission, jurisdiction, history, audit entry).
"""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from smartjustice.core import access, audit, documents, workflow
from smartjustice.core.choices import AccountKind
from smartjustice.core.errors import (
    NotAuthenticated,
    PermissionDenied,
    TransitionNotAllowed,
    ValidationFailed,
)

from . import disclosure, proofs
from .canonical import canonicalize
from .choices import CredentialAuditEvent, CredentialStatus, StatusPurpose
from .models import Credential, DisclosureLink, StatusList
from .statuslist import Bitstring
from .types import CredentialType, get_type

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
LEDGER_LOG = "credentials"
# Entries are drawn at random (herd privacy, Bitstring Status List §6.1); a list takes new credentials until half
# full, so a free random entry is found in a couple of tries, then the issuer starts its next list.
FILL_LIMIT = 0.5


# --- identifiers -----------------------------------------------------------------------------------------------------


def public_url(path: str) -> str:
    return settings.CREDENTIALS_PUBLIC_URL.rstrip("/") + path


def issuer_id(organisation) -> str:
    return public_url(f"/credentials/issuers/{organisation.pk}/")


def status_list_url(organisation_id: int, purpose: str, sequence: int) -> str:
    return public_url(f"/credentials/status/{organisation_id}/{purpose}/{sequence}/")


def _timestamp(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def sd_alg_for(algorithm: str) -> str:
    return "sm3" if algorithm == "sm2" else "sha-256"


# --- signing and the ledger ------------------------------------------------------------------------------------------


def _sign(organisation, document: dict, *, algorithm: str) -> tuple[dict, object]:
    """Attach the issuing organisation's Data Integrity proof; answers (signed document, signing key)."""
    from smartjustice.ledger import keys

    key = keys.active_key(organisation, algorithm=algorithm)
    options = proofs.proof_options(
        algorithm=algorithm,
        verification_method=f"{issuer_id(organisation)}#{key.key_id}",
        created=_timestamp(timezone.now()),
    )
    signing_key, signature = keys.sign_as(
        organisation, proofs.signing_input(document, options), algorithm=algorithm
    )
    if signing_key.key_id != key.key_id:  # rotated in between: name the key that actually signed
        options["verificationMethod"] = f"{issuer_id(organisation)}#{signing_key.key_id}"
        signing_key, signature = keys.sign_as(
            organisation, proofs.signing_input(document, options), algorithm=algorithm
        )
    return proofs.attach_proof(document, options, signature), signing_key


def _record(payload: dict, *, kind: str, actor):
    from smartjustice.ledger import services as ledger

    return ledger.append_entry(LEDGER_LOG, canonicalize(payload), kind=kind, actor=actor)


# --- status lists ----------------------------------------------------------------------------------------------------


def status_max_age() -> datetime.timedelta:
    """How long a signed status list counts as current (its ``validUntil``; verifiers' default maximum age)."""
    return datetime.timedelta(hours=settings.CREDENTIALS_STATUS_MAX_AGE_HOURS)


def _list_document(status_list: StatusList) -> dict:
    organisation = status_list.organisation
    url = status_list_url(organisation.pk, status_list.purpose, status_list.sequence)
    now = timezone.now()
    document = {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": issuer_id(organisation), "name": organisation.name},
        "validFrom": _timestamp(now),
        "validUntil": _timestamp(now + status_max_age()),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": status_list.purpose,
            "encodedList": Bitstring(status_list.size, bytes(status_list.bits)).encode(),
        },
    }
    signed, _ = _sign(organisation, document, algorithm=settings.CREDENTIALS_SIGNING_ALGORITHM)
    return signed


def _publish(status_list: StatusList) -> None:
    status_list.document = _list_document(status_list)
    status_list.save(update_fields=["bits", "document", "allocated", "updated_at"])


def _is_due(status_list: StatusList) -> bool:
    issued = (status_list.document or {}).get("validFrom")
    if not issued:
        return True
    age = timezone.now() - datetime.datetime.fromisoformat(issued.replace("Z", "+00:00"))
    return age >= datetime.timedelta(minutes=settings.CREDENTIALS_STATUS_REFRESH_MINUTES)


@transaction.atomic
def refresh_status_list(status_list: StatusList) -> StatusList:
    """Re-sign a list whose signature is older than the refresh period, so whoever downloads it gets a current one
    (an offline verifier refuses a list older than its maximum age: a stale list must not pass for current)."""
    if not _is_due(status_list):
        return status_list
    status_list = StatusList.objects.select_for_update().select_related("organisation").get(pk=status_list.pk)
    if _is_due(status_list):
        _publish(status_list)
    return status_list


def _lists_for(organisation, sequence: int) -> dict[str, StatusList]:
    lists = {}
    for purpose in StatusPurpose.values:
        status_list, created = StatusList.objects.get_or_create(
            organisation=organisation,
            purpose=purpose,
            sequence=sequence,
            defaults={"bits": bytes(Bitstring().size // 8)},
        )
        if created or not status_list.document:
            _publish(status_list)
        lists[purpose] = status_list
    return lists


def _allocate_entry(organisation) -> tuple[int, int]:
    """A free random entry (sequence, index) in the organisation's current status lists."""
    head = (
        StatusList.objects.select_for_update()
        .filter(organisation=organisation, purpose=StatusPurpose.REVOCATION)
        .order_by("-sequence")
        .first()
    )
    if head is None or head.allocated >= head.size * FILL_LIMIT:
        sequence = head.sequence + 1 if head else 1
        head = _lists_for(organisation, sequence)[StatusPurpose.REVOCATION]
        head = StatusList.objects.select_for_update().get(pk=head.pk)
    else:
        _lists_for(organisation, head.sequence)
    taken = Credential.objects.filter(issuer=organisation, status_list_sequence=head.sequence)
    while True:
        index = secrets.randbelow(head.size)
        if not taken.filter(status_index=index).exists():
            break
    head.allocated += 1
    head.save(update_fields=["allocated", "updated_at"])
    return head.sequence, index


def _set_bit(credential: Credential, purpose: str, value: bool) -> None:
    status_list = StatusList.objects.select_for_update().get(
        organisation_id=credential.issuer_id, purpose=purpose, sequence=credential.status_list_sequence
    )
    bits = Bitstring(status_list.size, bytes(status_list.bits))
    if bits.get(credential.status_index) == value:
        return
    bits.set(credential.status_index, value)
    status_list.bits = bytes(bits.data)
    _publish(status_list)


def status_bits(credential: Credential) -> dict[str, bool]:
    """The credential's current bits in its status lists (what a verifier fetching the lists would see)."""
    out = {}
    for status_list in StatusList.objects.filter(
        organisation_id=credential.issuer_id, sequence=credential.status_list_sequence
    ):
        out[status_list.purpose] = Bitstring(status_list.size, bytes(status_list.bits)).get(
            credential.status_index
        )
    return out


# --- issuing ---------------------------------------------------------------------------------------------------------


def _require(actor, action: str) -> None:
    try:
        access.require(actor, action, Credential)
    except PermissionDenied:
        raise PermissionDenied("您没有签发或管理电子证照的权限") from None


def _sourced_value(claim, *, holder, issuer, number: str) -> str:
    return {
        "holder.real_name": lambda: holder.real_name or holder.display_name,
        "holder.organisation": lambda: holder.organisation.name if holder.organisation_id else "",
        "issuer.name": lambda: issuer.name,
        "number": lambda: number,
    }[claim.source]()


def _claims_for(kind: CredentialType, given: dict, *, holder, issuer, number: str) -> dict:
    unknown = set(given) - set(kind.claim_keys)
    if unknown:
        raise ValidationFailed(
            "证照内容包含该类型未定义的项目",
            fields={"claims": [f"未定义的项目：{'、'.join(sorted(unknown))}"]},
        )
    claims = {}
    errors = {}
    for claim in kind.claims:
        if claim.source:
            value = _sourced_value(claim, holder=holder, issuer=issuer, number=number)
        else:
            value = str(given.get(claim.key, "") or "").strip()
        if value:
            claims[claim.key] = value[:200]
        elif claim.required:
            errors[claim.key] = [f"请填写{claim.label}"]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    return claims


def _add_years(moment: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


@transaction.atomic
def issue_credential(
    *,
    actor,
    type_code: str,
    holder,
    claims: dict | None = None,
    valid_from: datetime.datetime | None = None,
    valid_until: datetime.datetime | None = None,
) -> Credential:
    """Issue an e-certificate in the name of the actor's organisation to a holder inside its jurisdiction."""
    _require(actor, "add")
    kind = get_type(type_code)
    issuer = actor.organisation
    if issuer is None or not issuer.is_active:
        raise PermissionDenied("您不属于可签发证照的单位")
    if kind.issuer_kinds and issuer.kind not in kind.issuer_kinds:
        raise PermissionDenied(f"{issuer.name}不是{kind.name}的发证机关")
    if holder is None or (kind.holder_kind == "staff" and holder.kind != AccountKind.STAFF):
        raise ValidationFailed(
            f"{kind.name}只能发给工作人员", fields={"holder": [f"{kind.name}只能发给工作人员"]}
        )
    if not access.may_act_in(actor, holder.jurisdiction_id):
        raise ValidationFailed("持证人不在本机关辖区内", fields={"holder": ["持证人不在本机关辖区内"]})
    now = timezone.now()
    valid_from = valid_from or now
    valid_until = valid_until or _add_years(valid_from, kind.validity_years)
    if valid_until <= valid_from:
        raise ValidationFailed("有效期截止时间须晚于生效时间", fields={"valid_until": ["须晚于生效时间"]})
    number = documents.issue_number(kind.number_prefix)
    values = _claims_for(kind, claims or {}, holder=holder, issuer=issuer, number=number)
    algorithm = settings.CREDENTIALS_SIGNING_ALGORITHM
    sd_alg = sd_alg_for(algorithm)
    salts = {key: disclosure.new_salt() for key in values}
    digests = sorted(
        disclosure.digest(disclosure.make_disclosure(salts[k], k, v), sd_alg) for k, v in values.items()
    )
    sequence, index = _allocate_entry(issuer)
    credential_id = f"urn:uuid:{uuid.uuid4()}"
    status_entries = [
        {
            "id": f"{status_list_url(issuer.pk, purpose, sequence)}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": str(index),
            "statusListCredential": status_list_url(issuer.pk, purpose, sequence),
        }
        for purpose in StatusPurpose.values
    ]
    document = {
        "@context": [VC_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", kind.vc_type],
        "name": kind.name,
        "issuer": {"id": issuer_id(issuer), "name": issuer.name},
        "validFrom": _timestamp(valid_from),
        "validUntil": _timestamp(valid_until),
        "credentialSubject": {"_sd": digests, "_sd_alg": sd_alg},
        "credentialStatus": status_entries,
    }
    signed, key = _sign(issuer, document, algorithm=algorithm)
    with audit.operation(CredentialAuditEvent.ISSUED, obj=audit.NEW, actor=actor):
        credential = Credential.objects.create(
            credential_id=credential_id,
            type_code=kind.code,
            number=number,
            issuer=issuer,
            jurisdiction_id=issuer.jurisdiction_id,
            holder=holder,
            subject_name=values.get("name", holder.display_name)[:64],
            claims=values,
            salts=salts,
            valid_from=valid_from,
            valid_until=valid_until,
            status_list_sequence=sequence,
            status_index=index,
            document=signed,
            algorithm=algorithm,
            key_id=key.key_id,
            issued_by=actor,
        )
        entry = _record(signed, kind="credential.issued", actor=actor)
        credential.ledger_entry_id = entry.pk
        credential.ledger_proof = _proof_bundle(entry)
        credential.save(update_fields=["ledger_entry_id", "ledger_proof", "updated_at"])
        create_disclosure_link(
            credential,
            actor=actor,
            claims=list(kind.default_disclosed),
            label="证照二维码（默认披露）",
            is_default=True,
        )
    return credential


def _proof_bundle(entry) -> str:
    from smartjustice.ledger import services as ledger

    return ledger.proof_bundle(entry)


# --- status changes --------------------------------------------------------------------------------------------------


STATUS_EVENTS = {
    "suspend": CredentialAuditEvent.SUSPENDED,
    "reinstate": CredentialAuditEvent.REINSTATED,
    "revoke": CredentialAuditEvent.REVOKED,
}


def _change_status(
    credential: Credential, name: str, *, actor, reason: str, bits: dict[str, bool]
) -> Credential:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写理由", fields={"reason": ["请填写理由"]})
    with audit.operation(STATUS_EVENTS[name], obj=credential, actor=actor, detail=reason[:500]):
        workflow.transition(credential, name, actor=actor, comment=reason)
        for purpose, value in bits.items():
            _set_bit(credential, purpose, value)
        credential.status_reason = reason[:500]
        credential.save(update_fields=["status_reason", "updated_at"])
        _record(
            {
                "credential": credential.credential_id,
                "action": name,
                "status": credential.status,
                "at": _timestamp(timezone.now()),
            },
            kind=f"credential.{name}",
            actor=actor,
        )
    return credential


@transaction.atomic
def suspend_credential(credential: Credential, *, actor, reason: str) -> Credential:
    """Suspend (e.g. while the holder is under investigation); the suspension bit is set."""
    return _change_status(credential, "suspend", actor=actor, reason=reason, bits={"suspension": True})


@transaction.atomic
def reinstate_credential(credential: Credential, *, actor, reason: str) -> Credential:
    """Lift a suspension; the suspension bit is cleared."""
    return _change_status(credential, "reinstate", actor=actor, reason=reason, bits={"suspension": False})


@transaction.atomic
def revoke_credential(credential: Credential, *, actor, reason: str) -> Credential:
    """Revoke for good; the revocation bit is set (a revoked credential cannot be reinstated)."""
    return _change_status(
        credential, "revoke", actor=actor, reason=reason, bits={"revocation": True, "suspension": False}
    )


# --- disclosure links ------------------------------------------------------------------------------------------------


@transaction.atomic
def create_disclosure_link(
    credential: Credential,
    *,
    actor,
    claims: list[str],
    label: str = "",
    expires_at: datetime.datetime | None = None,
    is_default: bool = False,
) -> DisclosureLink:
    """A public verification link revealing only `claims` (the holder chooses; the issuer sets the default)."""
    if actor is None or not actor.is_authenticated:
        raise NotAuthenticated()
    is_holder = credential.holder_id == actor.pk
    if not is_holder and not (is_default and access.can(actor, "change", credential)):
        raise PermissionDenied("只有持证人本人可以选择披露哪些内容")
    chosen = [key for key in dict.fromkeys(claims or []) if key]
    unknown = set(chosen) - set(credential.claims)
    if unknown:
        raise ValidationFailed("选择的内容不在证照中", fields={"claims": ["选择的内容不在证照中"]})
    if not chosen:
        raise ValidationFailed(
            "请至少选择一项要披露的内容", fields={"claims": ["请至少选择一项要披露的内容"]}
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailed("链接有效期须晚于现在", fields={"expires_at": ["须晚于现在"]})
    if credential.status == CredentialStatus.REVOKED and not is_default:
        raise TransitionNotAllowed("证照已吊销，不能再创建披露链接")
    with audit.operation(CredentialAuditEvent.DISCLOSURE_LINK_CREATED, obj=audit.NEW, actor=actor):
        if is_default:
            DisclosureLink.objects.filter(credential=credential, is_default=True, withdrawn_at=None).update(
                is_default=False
            )
        return DisclosureLink.objects.create(
            credential=credential,
            token=secrets.token_urlsafe(18),
            claims=chosen,
            label=(label or "").strip()[:100],
            is_default=is_default or not credential.disclosure_links.filter(is_default=True).exists(),
            created_by=actor,
            expires_at=expires_at,
        )


@transaction.atomic
def withdraw_disclosure_link(link: DisclosureLink, *, actor) -> DisclosureLink:
    """The holder withdraws a link: it stops showing anything at once."""
    if link.credential.holder_id != getattr(actor, "pk", None):
        raise PermissionDenied("只有持证人本人可以撤回披露链接")
    if link.withdrawn_at is None:
        with audit.operation(CredentialAuditEvent.DISCLOSURE_LINK_WITHDRAWN, obj=link, actor=actor):
            link.withdrawn_at = timezone.now()
            link.save(update_fields=["withdrawn_at", "updated_at"])
    return link


# --- disclosures and bundles -----------------------------------------------------------------------------------------


def disclosures_of(credential: Credential, keys=None) -> list[str]:
    """The holder's disclosures for `keys` (all claims when None), recomputed from the stored salts."""
    wanted = credential.claims.keys() if keys is None else [k for k in keys if k in credential.claims]
    return [disclosure.make_disclosure(credential.salts[k], k, credential.claims[k]) for k in wanted]


# The service behind each workflow step (core.workflow_api: the transition endpoint and the page's buttons).
TRANSITION_SERVICES = {
    "suspend": suspend_credential,
    "reinstate": reinstate_credential,
    "revoke": revoke_credential,
}
