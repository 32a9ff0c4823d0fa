"""实名核验 in person at a service window: who may do it, what must match, one verified account per ID number."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from smartjustice.core import services, verification
from smartjustice.core.choices import AccountKind, AuditEvent
from smartjustice.core.identity import generate_citizen_id
from smartjustice.core.models import IdentityVerification
from smartjustice.core.testing import ApiClient, assert_api_error, assert_audited, make_staff

from .factories import TIANHE, YUEXIU

pytestmark = pytest.mark.django_db


def citizen(username: str, seed: int, real_name: str = "陈小明", id_number: str | None = None):
    import random
    from datetime import date

    number = id_number or generate_citizen_id(
        random.Random(seed), region_code="440106", birth_date=date(1980, 5, 1 + seed % 27), sex="男"
    )
    return services.register_portal_account(
        username=username,
        password="Pw-Secret-2026!",
        kind=AccountKind.CITIZEN,
        real_name=real_name,
        id_number=number,
    )


@pytest.fixture
def window():
    """A member of staff at a 公共法律服务中心 window, with the 实名核验员 role."""
    return make_staff(TIANHE, "identity_verifier")


def test_staff_at_a_service_window_verify_an_account_against_the_id_card(window):
    person = citizen("chen01", 1)
    client = Client()
    client.force_login(window)
    response = client.post(
        "/identity/verify/",
        {
            "username": "chen01",
            "real_name": "陈小明",
            "id_number": person.id_number,
            "note": "天河区公共法律服务中心",
        },
    )
    assert response.status_code == 302
    done = IdentityVerification.objects.get(user=person)
    assert done.method == "in_person" and done.verified_by == window and done.verified_at <= timezone.now()
    assert done.id_number == person.id_number and done.jurisdiction_id == TIANHE
    entry = assert_audited(AuditEvent.IDENTITY_VERIFIED, actor=window)
    assert "服务窗口现场核验" in entry.detail and "chen01" in entry.detail
    assert verification.verified_id_number(person) == person.id_number


def test_the_card_must_match_the_account(window):
    person = citizen("chen02", 2)
    other_number = citizen("chen03", 3).id_number
    refused = ApiClient(window).post(
        "identity-verifications", {"username": "chen02", "real_name": "陈小明", "id_number": other_number}
    )
    assert_api_error(refused, 422, "validation_failed", fields=["id_number"])
    wrong_name = ApiClient(window).post(
        "identity-verifications", {"username": "chen02", "real_name": "王五", "id_number": person.id_number}
    )
    assert_api_error(wrong_name, 422, "validation_failed", fields=["real_name"])
    assert not IdentityVerification.objects.exists()


def test_only_staff_granted_verification_may_verify():
    person = citizen("chen04", 4)
    mediator = make_staff(TIANHE, "mediator")
    payload = {"username": "chen04", "real_name": "陈小明", "id_number": person.id_number}
    assert_api_error(ApiClient(mediator).post("identity-verifications", payload), 403, "permission_denied")
    assert ApiClient(None).post("identity-verifications", payload).status_code == 401
    someone = citizen("chen05", 5)
    assert ApiClient(someone).post("identity-verifications", payload).status_code == 403
    client = Client()
    client.force_login(mediator)
    assert client.get("/identity/verify/").status_code == 403
    admin = make_staff(YUEXIU, "system_admin")  # system administrators may verify too
    assert ApiClient(admin).post("identity-verifications", payload).status_code == 201


def test_a_verified_id_number_belongs_to_one_active_account(window):
    first = citizen("chen06", 6)
    impostor = citizen("chen07", 6, id_number=first.id_number)  # registered with the same number
    verification.verify_in_person(
        actor=window, username="chen06", real_name="陈小明", id_number=first.id_number
    )
    response = ApiClient(window).post(
        "identity-verifications", {"username": "chen07", "real_name": "陈小明", "id_number": first.id_number}
    )
    assert_api_error(response, 409, "conflict")
    assert verification.verified_id_number(impostor) == ""
    # The database itself refuses a second current verification of the number (SQLite and PostgreSQL alike).
    with pytest.raises(IntegrityError), transaction.atomic():
        IdentityVerification.objects.create(
            user=impostor, id_number=first.id_number, method="in_person", verified_at=timezone.now()
        )


def test_a_closed_accounts_verification_gives_way_to_the_persons_new_account(window):
    old = citizen("chen08", 8)
    verification.verify_in_person(
        actor=window, username="chen08", real_name="陈小明", id_number=old.id_number
    )
    old.is_active = False
    old.save()
    new = citizen("chen09", 8, id_number=old.id_number)
    verification.verify_in_person(
        actor=window, username="chen09", real_name="陈小明", id_number=old.id_number
    )
    assert verification.verified_id_number(new) == old.id_number
    assert IdentityVerification.objects.get(user=old).revoked_at is not None
    assert_audited(AuditEvent.IDENTITY_VERIFICATION_REVOKED, actor=window)


def test_an_account_sees_its_status_and_how_to_get_verified(window):
    person = citizen("chen10", 10)
    status = ApiClient(person).get("me/identity-verification").json()
    assert status["verified"] is False and any("身份证原件" in way for way in status["instructions"])
    verification.verify_in_person(
        actor=window, username="chen10", real_name="陈小明", id_number=person.id_number
    )
    status = ApiClient(person).get("me/identity-verification").json()
    assert status["verified"] is True and status["method_label"] == "服务窗口现场核验"


def test_every_registered_verifier_tells_citizens_how_in_chinese():
    assert verification.verifiers(), "at least the in-person verifier"
    for verifier in verification.verifiers():
        assert verifier.method and verifier.label and "实名" not in verifier.method
        assert any("\u4e00" <= ch <= "\u9fff" for ch in verifier.instructions)
    # The government identity provider is an extension point, not a registered fake.
    assert all(not isinstance(v, verification.OidcIdentityProviderVerifier) for v in verification.verifiers())
