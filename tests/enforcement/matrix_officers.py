"""Access-matrix subjects of 行政执法人员 (imported by tests/enforcement/matrix.py, which the harness discovers)."""

from smartjustice.core import access
from tests.enforcement import officer_makers
from tests.harness.registry import subject

subject(
    "enforcement.officer",
    make=lambda w: officer_makers.officer(w.own),
    routes=("/api/v1/enforcement/officers/{officer_id}*", "/enforcement/officers/<int:pk>/*"),
    params=lambda o: {"officer_id": o.pk, "pk": o.pk},
)


def _may_certify(user, officer) -> bool:
    """Who may issue or revoke an officer's 行政执法证: an issuer of e-certificates (a 司法局's 证照管理员) who sees
    the officer — the credential service then checks the issuing organisation — or whoever may change the record."""
    if access.can(user, "change", officer):
        return True
    if not access.can(user, "view", officer):
        return False
    officer.refresh_from_db()
    credential = officer.credential
    return access.may(user, "credentials.add_credential") or (
        credential is not None and access.can(user, "change", credential)
    )


subject(
    "enforcement.officer_certificate",
    make=lambda w: officer_makers.officer(w.own),
    routes=(
        "/api/v1/enforcement/officers/{officer_id}/certificate*",
        "/enforcement/officers/<int:pk>/certificate/",
    ),
    params=lambda o: {"officer_id": o.pk, "pk": o.pk},
    writable=_may_certify,
)
