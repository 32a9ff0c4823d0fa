"""Factories for 政府信息公开申请: applicants, the 司法局 that handles them, and requests in each state."""

from __future__ import annotations

from smartjustice.core.choices import AccountKind, OrganisationKind
from smartjustice.core.models import Organisation
from smartjustice.core.testing import make_staff
from smartjustice.govinfo import services
from smartjustice.govinfo.choices import DeliveryMethod
from tests.core.factories import TIANHE, UserFactory, jurisdiction


def bureau(code: str = TIANHE) -> Organisation:
    """The 司法局 of jurisdiction `code` (the same one make_staff puts its staff in)."""
    organisation = Organisation.objects.filter(
        jurisdiction_id=code, kind=OrganisationKind.JUSTICE_BUREAU
    ).first()
    if organisation is None:
        place = jurisdiction(code)
        organisation = Organisation.objects.create(
            jurisdiction=place, name=f"{place.name}司法局", kind=OrganisationKind.JUSTICE_BUREAU
        )
    return organisation


def citizen(**fields):
    return UserFactory(kind=AccountKind.CITIZEN, **fields)


def officer(code: str = TIANHE, role: str = "disclosure_officer", **fields):
    return make_staff(code, role, **fields)


def head_of_office(code: str = TIANHE, **fields):
    return make_staff(code, "disclosure_head", **fields)


def submitted(
    code: str = TIANHE, *, applicant=None, description: str = "2025年本局行政执法统计年报", files=()
):
    """A request as a citizen submits it online."""
    return services.submit_request(
        actor=applicant or citizen(),
        organisation=bureau(code),
        description=description,
        delivery_method=DeliveryMethod.ONLINE,
        files=files,
    )


def accepted(code: str = TIANHE, *, applicant=None, by=None):
    request = submitted(code, applicant=applicant)
    return services.accept_request(request, actor=by or officer(code))
