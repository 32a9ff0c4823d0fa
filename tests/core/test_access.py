"""The one access policy (core.access): jurisdiction ranges, roles per action, portal owners, not-found for all."""

import pytest

from smartjustice.core import access, services
from smartjustice.core.choices import AccountKind
from smartjustice.core.errors import NotFound
from smartjustice.core.models import ApiToken, Jurisdiction, Organisation, User

from .factories import (
    GUANGZHOU,
    PROVINCE,
    SHENZHEN_FUTIAN,
    TIANHE,
    YUEXIU,
    OrganisationFactory,
    UserFactory,
    jurisdiction,
    staff_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    """One organisation in each of 天河区, 越秀区 and 深圳福田区, and one at the city level."""
    return {
        code: OrganisationFactory(
            jurisdiction=jurisdiction(code), kind="notary_office", name=f"{jurisdiction(code).name}公证处"
        )
        for code in (TIANHE, YUEXIU, SHENZHEN_FUTIAN, GUANGZHOU)
    }


def visible(user, model=Organisation, action="view") -> set[int]:
    return set(model.objects.restrict(user, action).values_list("pk", flat=True))


def test_county_staff_see_their_county_and_nothing_of_peer_counties(orgs):
    tianhe = staff_in(TIANHE, "system_admin")
    yuexiu = staff_in(YUEXIU, "system_admin")
    assert orgs[TIANHE].pk in visible(tianhe)
    assert orgs[YUEXIU].pk not in visible(tianhe)
    assert orgs[TIANHE].pk not in visible(yuexiu)
    # A county does not see its superior's records either.
    assert orgs[GUANGZHOU].pk not in visible(tianhe)


def test_city_staff_see_every_county_of_their_city_but_not_another_city(orgs):
    city = staff_in(GUANGZHOU, "system_admin")
    seen = visible(city)
    assert {orgs[TIANHE].pk, orgs[YUEXIU].pk, orgs[GUANGZHOU].pk} <= seen
    assert orgs[SHENZHEN_FUTIAN].pk not in seen


def test_province_staff_see_the_whole_province(orgs):
    province = staff_in(PROVINCE, "enforcement_supervisor")
    assert {o.pk for o in orgs.values()} <= visible(province)


def test_town_staff_do_not_see_their_county(orgs):
    town = Jurisdiction.objects.filter(parent_id=TIANHE, level=4).order_by("code").first()
    assert town is not None, "the test database holds the towns of 天河区"
    town_org = OrganisationFactory(jurisdiction=town, kind="justice_station", name=f"{town.name}司法所")
    town_staff = staff_in(town.code, "system_admin")
    county_staff = staff_in(TIANHE, "system_admin")
    assert visible(town_staff) & {o.pk for o in orgs.values()} == set()
    assert town_org.pk in visible(town_staff)
    assert town_org.pk in visible(county_staff), "a county sees the stations of its towns"


def test_roles_decide_which_actions_are_allowed(orgs):
    officer = staff_in(TIANHE, "enforcement_officer")  # may view organisations only
    admin = staff_in(TIANHE, "system_admin")  # core.*_organisation
    assert orgs[TIANHE].pk in visible(officer, action="view")
    assert visible(officer, action="change") == set()
    assert visible(officer, action="export") == set()
    assert orgs[TIANHE].pk in visible(admin, action="change")
    assert orgs[TIANHE].pk in visible(admin, action="export")
    assert access.has_permission(admin, "core.delete_organisation")
    assert not access.has_permission(officer, "core.change_organisation")
    assert not access.has_permission(admin, "core.view_auditentry")


def test_staff_without_a_role_see_nothing(orgs):
    nobody = staff_in(TIANHE)
    assert visible(nobody) == set()
    # …except their own account, which every user may look at.
    assert visible(nobody, User) == {nobody.pk}


def test_anonymous_and_deactivated_accounts_see_nothing(orgs, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    admin = staff_in(TIANHE, "system_admin")
    assert visible(AnonymousUser()) == set()
    assert visible(None) == set()
    admin.is_active = False
    admin.save()
    admin = User.objects.get(pk=admin.pk)
    assert visible(admin) == set()
    assert visible(admin, User) == set()


def test_superuser_sees_everything(orgs):
    root = UserFactory(kind=AccountKind.STAFF, is_superuser=True)
    assert {o.pk for o in orgs.values()} <= visible(root)


def test_portal_users_see_only_their_own_records():
    citizen = UserFactory(jurisdiction=jurisdiction(TIANHE))
    neighbour = UserFactory(jurisdiction=jurisdiction(TIANHE))
    staff = staff_in(TIANHE, "system_admin")
    assert visible(citizen, User) == {citizen.pk}
    assert visible(citizen) == set(), "portal users see no organisation records through the staff policy"
    # Owners may view but not change their account through the policy; staff with the role may.
    assert visible(citizen, User, action="change") == set()
    assert {citizen.pk, neighbour.pk} <= visible(staff, User, action="change")
    mine, _ = services.issue_api_token(actor=citizen, name="我的手机")
    theirs, _ = services.issue_api_token(actor=neighbour, name="邻居的手机")
    assert visible(citizen, ApiToken) == {mine.pk}
    assert visible(citizen, ApiToken, action="change") == {mine.pk}
    assert theirs.pk not in visible(staff, ApiToken), "not even an administrator reads someone's tokens"


def test_missing_and_forbidden_records_answer_the_same_not_found(orgs):
    tianhe = staff_in(TIANHE, "system_admin")
    assert access.get_for(tianhe, Organisation, orgs[TIANHE].pk) == orgs[TIANHE]
    with pytest.raises(NotFound) as forbidden:
        access.get_for(tianhe, Organisation, orgs[YUEXIU].pk)
    with pytest.raises(NotFound) as missing:
        access.get_for(tianhe, Organisation, 2_000_000_000)
    with pytest.raises(NotFound) as garbage:
        access.get_for(tianhe, Organisation, "not-a-number")
    assert forbidden.value.as_dict() == missing.value.as_dict() == garbage.value.as_dict()
    assert forbidden.value.status_code == 404


def test_viewing_personal_information_needs_the_permission_and_the_jurisdiction():
    citizen = UserFactory(jurisdiction=jurisdiction(TIANHE))
    admin_here = staff_in(TIANHE, "system_admin")  # has core.view_pii
    admin_elsewhere = staff_in(YUEXIU, "system_admin")
    auditor_here = staff_in(TIANHE, "auditor")  # may view users, not their personal information
    assert access.may_view_pii(citizen, citizen)
    assert access.may_view_pii(admin_here, citizen)
    assert not access.may_view_pii(admin_elsewhere, citizen)
    assert not access.may_view_pii(auditor_here, citizen)
    assert not access.may_view_pii(UserFactory(), citizen)


def test_role_changes_take_effect_on_the_next_check(orgs):
    officer = staff_in(TIANHE, "enforcement_officer")
    admin = staff_in(GUANGZHOU, "system_admin")
    assert visible(officer, action="change") == set()
    services.set_roles(officer, actor=admin, roles=["system_admin"])
    assert orgs[TIANHE].pk in visible(officer, action="change")
    services.set_roles(officer, actor=admin, roles=[])
    assert visible(officer) == set()
