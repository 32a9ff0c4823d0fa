"""Every read of e-certificates, already restricted: staff see their jurisdiction, holders their own."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from smartjustice.core import access
from smartjustice.core.errors import NotAuthenticated, NotFound

from .models import Credential, DisclosureLink, StatusList


def list_credentials(user, *, q: str = "", type_code: str = "", status: str = "", holder: int | None = None):
    """Credentials the user may see (staff: issued in their jurisdiction; holders: their own)."""
    if user is None or not user.is_authenticated:
        raise NotAuthenticated()
    queryset = Credential.objects.restrict(user, "view").select_related("issuer", "holder")
    if q:
        queryset = queryset.filter(Q(subject_name__icontains=q) | Q(number__icontains=q))
    if type_code:
        queryset = queryset.filter(type_code=type_code)
    if status == "expired":
        queryset = queryset.filter(valid_until__lte=timezone.now()).exclude(status="revoked")
    elif status:
        queryset = queryset.filter(status=status)
    if holder:
        queryset = queryset.filter(holder_id=holder)
    return queryset


def get_issuer(organisation_id) -> object:
    """An issuing organisation, public (its name and keys are what verifiers need)."""
    from smartjustice.core.models import Organisation

    try:
        return Organisation.objects.get(pk=organisation_id)
    except (Organisation.DoesNotExist, ValueError):
        raise NotFound() from None


def holder_by_username(username: str):
    """The account a credential is issued to, or None (the issuing service checks it may hold this type)."""
    from smartjustice.core.models import User

    return User.objects.filter(username=username.strip(), is_active=True).first()


def get_credential_for(user, pk, action: str = "view") -> Credential:
    if user is None or not user.is_authenticated:
        raise NotAuthenticated()
    return access.get_for(user, Credential.objects.select_related("issuer", "holder"), pk, action)


def my_credentials(user):
    if user is None or not user.is_authenticated:
        raise NotAuthenticated()
    return Credential.objects.filter(holder=user).select_related("issuer")


def links_of(credential: Credential):
    return credential.disclosure_links.order_by("-is_default", "-id")


def get_link_for_holder(user, pk) -> DisclosureLink:
    if user is None or not user.is_authenticated:
        raise NotAuthenticated()
    try:
        return DisclosureLink.objects.select_related("credential").get(pk=pk, credential__holder=user)
    except (DisclosureLink.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def get_public_link(token: str) -> DisclosureLink:
    """A disclosure link by its token, for anyone (the token is the capability); withdrawn or expired ones 404."""
    link = DisclosureLink.objects.select_related("credential__issuer").filter(token=token or "").first()
    if link is None or not link.is_usable:
        raise NotFound("该核验链接不存在、已被持证人撤回或已过期")
    return link


def default_link(credential: Credential) -> DisclosureLink | None:
    return credential.disclosure_links.filter(is_default=True, withdrawn_at=None).order_by("-id").first()


def get_status_list(organisation_id: int, purpose: str, sequence: int) -> StatusList:
    """A published status list (public: anyone may check any credential's status)."""
    status_list = StatusList.objects.filter(
        organisation_id=organisation_id, purpose=purpose, sequence=sequence
    ).first()
    if status_list is None or not status_list.document:
        raise NotFound("状态列表不存在")
    return status_list


def issuer_public_key(credential: Credential) -> bytes | None:
    from smartjustice.ledger import keys

    try:
        key = keys.key_by_id(credential.key_id)
    except Exception:  # noqa: BLE001 - an unknown key simply fails verification
        return None
    # Only a key of the issuing organisation itself (not another's, not a log's checkpoint key) speaks for it.
    if key.organisation_id != credential.issuer_id or getattr(key, "log_id", None) is not None:
        return None
    return bytes(key.public_key)


def verify_online(credential: Credential, claims: list[str]):
    """The verification page's answer: signature, disclosures and the ledger receipt checked as offline (the
    ledger's keys from the database), the status from the database."""
    from smartjustice.ledger import queries as ledger

    from . import services, verification

    return verification.verify_credential(
        credential.document,
        public_key=issuer_public_key(credential),
        disclosures=services.disclosures_of(credential, claims),
        now=timezone.now(),
        status=services.status_bits(credential),
        ledger_check=lambda: verification.check_ledger_receipt(
            credential.ledger_proof, credential.document, log_keys=ledger.log_public_keys(services.LEDGER_LOG)
        ),
    )
