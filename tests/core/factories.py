"""Factories for core records; generated identities only (valid check digits, never real people)."""

import random
from datetime import date

import factory
from factory.django import DjangoModelFactory

from smartjustice.core import identity
from smartjustice.core.choices import AccountKind, OrganisationKind
from smartjustice.core.models import Jurisdiction, Organisation, Role, User

PASSWORD = "Test-Passw0rd!"
TIANHE = "440106000000"  # 广州市天河区
YUEXIU = "440104000000"  # 广州市越秀区
GUANGZHOU = "440100000000"
SHENZHEN_FUTIAN = "440304000000"
PROVINCE = "440000000000"

_rng = random.Random(20261125)


def jurisdiction(code: str) -> Jurisdiction:
    return Jurisdiction.objects.get(code=code)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试司法局{n}")
    kind = OrganisationKind.JUSTICE_BUREAU
    jurisdiction = factory.LazyFunction(lambda: jurisdiction(TIANHE))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"测试用户{n}")
    kind = AccountKind.CITIZEN
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    id_number = factory.LazyFunction(
        lambda: identity.generate_citizen_id(
            _rng, region_code="440106", birth_date=date(1988, 5, 17), sex="男"
        )
    )
    phone = factory.LazyFunction(lambda: identity.generate_mobile(_rng))

    @factory.post_generation
    def finish(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    kind = AccountKind.STAFF
    organisation = factory.SubFactory(OrganisationFactory)
    jurisdiction = factory.SelfAttribute("organisation.jurisdiction")

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.roles.set(Role.objects.filter(code__in=extracted))
            obj._role_codes = None


def staff_in(code: str, *roles: str, **kwargs) -> User:
    """A staff member of a 司法局 in jurisdiction `code` with the given role codes."""
    org = Organisation.objects.filter(jurisdiction_id=code, kind=OrganisationKind.JUSTICE_BUREAU).first()
    if org is None:
        org = OrganisationFactory(jurisdiction=jurisdiction(code), name=f"{jurisdiction(code).name}司法局")
    return StaffFactory(organisation=org, roles=list(roles), **kwargs)


def valid_uscc() -> str:
    """A well-formed 统一社会信用代码 registered in 天河区 (both check characters correct)."""
    return identity.generate_uscc(_rng, region_code="440106")
