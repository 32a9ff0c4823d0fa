"""The server-rendered pages, through Django's test client: sign-in, jurisdiction isolation, masking, forms."""

from datetime import date
from random import Random

import pytest
from django.urls import reverse

from smartjustice.core import identity
from smartjustice.core.choices import AccountKind, AuditEvent
from smartjustice.core.models import ApiToken, AuditEntry, Notification, Organisation, User

from .factories import (
    GUANGZHOU,
    PASSWORD,
    PROVINCE,
    SHENZHEN_FUTIAN,
    TIANHE,
    YUEXIU,
    OrganisationFactory,
    UserFactory,
    jurisdiction,
    staff_in,
    valid_uscc,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    """A notary office in 天河区, 越秀区 and 深圳福田区."""
    return {
        code: OrganisationFactory(
            jurisdiction=jurisdiction(code), kind="notary_office", name=f"{jurisdiction(code).name}公证处"
        )
        for code in (TIANHE, YUEXIU, SHENZHEN_FUTIAN)
    }


def signed_in(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


# --- sign-in ------------------------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in_from_a_staff_page(client):
    response = client.get(reverse("organisation-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=/organisations/")


def test_officer_signs_in_lands_on_the_workbench_and_signs_out_by_post(client):
    officer = staff_in(TIANHE, "enforcement_officer")
    page = client.get(reverse("login"))
    assert "登录" in text(page) and 'name="csrfmiddlewaretoken"' in text(page)

    response = client.post(
        reverse("login"), {"username": officer.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("workbench")
    assert AuditEntry.objects.filter(event=AuditEvent.LOGIN_SUCCEEDED, actor_id=officer.pk).exists()

    assert client.get(reverse("logout")).status_code == 405  # a link cannot sign anyone out
    response = client.post(reverse("logout"))
    assert response.status_code in (200, 302)
    assert client.get(reverse("workbench")).status_code == 302


def test_wrong_password_is_refused_in_chinese(client):
    officer = staff_in(TIANHE)
    response = client.post(reverse("login"), {"username": officer.username, "password": "wrong-password"})
    assert response.status_code == 200
    assert "账号或密码错误" in text(response)


def test_the_lockout_page_explains_in_chinese_when_to_try_again(client):
    officer = staff_in(TIANHE)
    for _ in range(5):
        response = client.post(reverse("login"), {"username": officer.username, "password": "wrong-password"})
    assert response.status_code == 429
    assert "账号已被临时锁定" in text(response) and "请 30 分钟后再试" in text(response)


def test_portal_user_cannot_open_staff_pages(client):
    citizen = UserFactory()
    assert signed_in(client, citizen).get(reverse("workbench")).status_code == 403
    assert client.get(reverse("home")).url == reverse("portal")


# --- workbench and organisations ---------------------------------------------------------------------------------


def test_dashboard_renders_for_a_county_officer(client, orgs):
    officer = staff_in(TIANHE, "enforcement_officer")
    Notification.objects.create(recipient=officer, title="您有一件待办的信息公开申请")
    response = signed_in(client, officer).get(reverse("workbench"))
    body = text(response)
    assert response.status_code == 200
    assert "工作台" in body and "天河区司法局" in body
    assert "您有一件待办的信息公开申请" in body
    assert 'data-testid="unread-badge">1<' in body
    assert "最近审计记录" not in body  # not an auditor
    assert reverse("audit-list") not in body  # nor in the navigation


def test_auditor_sees_recent_trail_on_the_dashboard(client):
    auditor = staff_in(TIANHE, "auditor")
    staff_in(TIANHE)  # creates rows in 天河区's trail
    body = text(signed_in(client, auditor).get(reverse("workbench")))
    assert "最近审计记录" in body and reverse("audit-list") in body


def listed_names(response) -> set[str]:
    return {org.name for org in response.context["page"].object_list}


def test_organisation_list_shows_only_the_officers_jurisdiction(client, orgs):
    county_a = staff_in(TIANHE, "enforcement_officer")
    county_b = staff_in(YUEXIU, "enforcement_officer")
    city = staff_in(GUANGZHOU, "enforcement_officer")
    province = staff_in(PROVINCE, "enforcement_supervisor")
    tianhe, yuexiu, futian = orgs[TIANHE].name, orgs[YUEXIU].name, orgs[SHENZHEN_FUTIAN].name

    seen = listed_names(signed_in(client, county_a).get(reverse("organisation-list")))
    assert tianhe in seen and yuexiu not in seen and futian not in seen
    seen = listed_names(signed_in(client, county_b).get(reverse("organisation-list")))
    assert yuexiu in seen and tianhe not in seen
    seen = listed_names(signed_in(client, city).get(reverse("organisation-list"), {"page_size": 100}))
    assert {tianhe, yuexiu} <= seen and futian not in seen
    response = signed_in(client, province).get(reverse("organisation-list"), {"q": "公证处"})
    assert {tianhe, yuexiu, futian} <= listed_names(response)
    assert "/api/v1/organisations/export.csv?q=" in text(response)  # the supervisor may export


def test_organisation_list_filters_and_pages(client, orgs):
    officer = staff_in(TIANHE, "enforcement_officer")
    for n in range(25):
        OrganisationFactory(name=f"天河区司法所{n:02d}", kind="justice_station")
    client = signed_in(client, officer)
    response = client.get(reverse("organisation-list"), {"kind": "justice_station"})
    assert response.context["page"].paginator.count == 25
    assert "第 1 / 2 页" in text(response)
    assert "?kind=justice_station&amp;page=2" in text(response)  # the filter survives paging
    second = client.get(reverse("organisation-list"), {"kind": "justice_station", "page": 2})
    assert len(second.context["page"].object_list) == 5
    empty = client.get(reverse("organisation-list"), {"q": "不存在的机构"})
    assert "没有符合条件的组织机构" in text(empty)


def test_another_countys_organisation_answers_the_not_found_page(client, orgs):
    officer = staff_in(TIANHE, "enforcement_officer")
    client = signed_in(client, officer)
    assert client.get(reverse("organisation-detail", args=[orgs[TIANHE].pk])).status_code == 200
    response = client.get(reverse("organisation-detail", args=[orgs[YUEXIU].pk]))
    assert response.status_code == 404
    assert "记录不存在或您无权访问" in text(response)
    missing = client.get(reverse("organisation-detail", args=[999999]))
    # Forbidden and missing answer the same.
    assert missing.status_code == 404 and "记录不存在或您无权访问" in text(missing)


def test_organisation_form_shows_chinese_errors_and_creates_through_the_service(client):
    admin = staff_in(TIANHE, "system_admin")
    client = signed_in(client, admin)
    response = client.post(
        reverse("organisation-create"), {"name": "", "kind": "enforcement_agency", "jurisdiction": TIANHE}
    )
    assert response.status_code == 200
    assert "这个字段是必填项" in text(response)

    # The service's rule (an enforcement agency names its domain) comes back on its field.
    response = client.post(
        reverse("organisation-create"),
        {"name": "天河区城市管理综合执法局", "kind": "enforcement_agency", "jurisdiction": TIANHE},
    )
    assert "请选择执法领域" in text(response)
    assert response.context["form"].errors["enforcement_domain"] == ["请选择执法领域"]

    response = client.post(
        reverse("organisation-create"),
        {
            "name": "天河区城市管理综合执法局",
            "kind": "enforcement_agency",
            "enforcement_domain": "urban_management",
            "jurisdiction": TIANHE,
            "uscc": valid_uscc(),
        },
    )
    org = Organisation.objects.get(name="天河区城市管理综合执法局")
    assert response.status_code == 302 and response["Location"] == reverse(
        "organisation-detail", args=[org.pk]
    )
    assert AuditEntry.objects.filter(
        event=AuditEvent.ORGANISATION_CREATED,
        object_type="core.organisation",
        object_id=str(org.pk),
        actor_id=admin.pk,
    ).exists()


def test_officer_cannot_create_in_a_peer_county(client):
    admin = staff_in(TIANHE, "system_admin")
    response = signed_in(client, admin).post(
        reverse("organisation-create"),
        {
            "name": "越秀区公证处",
            "kind": "notary_office",
            "jurisdiction": YUEXIU,
        },
    )
    assert response.status_code == 200  # YUEXIU is not even offered: a Chinese choice error
    assert "选择一个有效的选项" in text(response)
    assert not Organisation.objects.filter(name="越秀区公证处").exists()


def test_officer_without_the_role_cannot_open_the_create_form(client):
    officer = staff_in(TIANHE, "enforcement_officer")
    response = signed_in(client, officer).get(reverse("organisation-create"))
    assert response.status_code == 403 and "您没有执行此操作的权限" in text(response)


def test_organisation_edit_updates_through_the_service(client, orgs):
    admin = staff_in(TIANHE, "system_admin")
    org = orgs[TIANHE]
    client = signed_in(client, admin)
    assert client.get(reverse("organisation-edit", args=[orgs[YUEXIU].pk])).status_code == 404
    response = client.post(
        reverse("organisation-edit", args=[org.pk]),
        {
            "name": org.name,
            "kind": org.kind,
            "address": "天河路 1 号",
            "phone": "020-12345678",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.address == "天河路 1 号"
    assert AuditEntry.objects.filter(event=AuditEvent.ORGANISATION_UPDATED, object_id=str(org.pk)).exists()


# --- staff and personal information -----------------------------------------------------------------------------


def test_staff_detail_masks_personal_information_until_revealed_and_the_reveal_is_logged(client):
    admin = staff_in(TIANHE, "system_admin")
    colleague = staff_in(TIANHE, "enforcement_officer")
    client = signed_in(client, admin)

    body = text(client.get(reverse("staff-detail", args=[colleague.pk])))
    assert colleague.id_number not in body and colleague.phone not in body
    assert colleague.id_number[:4] + "**********" + colleague.id_number[-4:] in body
    assert "显示完整信息" in body
    assert not AuditEntry.objects.filter(event=AuditEvent.PII_VIEWED).exists()

    response = client.post(reverse("staff-reveal", args=[colleague.pk]))
    assert colleague.id_number in text(response) and colleague.phone in text(response)
    entry = AuditEntry.objects.get(event=AuditEvent.PII_VIEWED)
    assert (entry.actor_id, entry.object_id) == (admin.pk, str(colleague.pk))

    # htmx swaps just the card.
    partial = client.post(reverse("staff-reveal", args=[colleague.pk]), headers={"HX-Request": "true"})
    assert text(partial).lstrip().startswith('<div class="card mb-3" id="pii-card">')
    assert AuditEntry.objects.filter(event=AuditEvent.PII_VIEWED).count() == 2


def test_auditor_without_pii_permission_sees_masked_data_and_cannot_reveal(client):
    auditor = staff_in(TIANHE, "auditor")
    colleague = staff_in(TIANHE)
    client = signed_in(client, auditor)
    assert "显示完整信息" not in text(client.get(reverse("staff-detail", args=[colleague.pk])))
    response = client.post(reverse("staff-reveal", args=[colleague.pk]))
    assert colleague.id_number not in text(response)
    assert not AuditEntry.objects.filter(event=AuditEvent.PII_VIEWED).exists()


def test_staff_of_another_county_are_not_found(client):
    admin = staff_in(TIANHE, "system_admin")
    other = staff_in(YUEXIU)
    client = signed_in(client, admin)
    assert client.get(reverse("staff-detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("staff-reveal", args=[other.pk])).status_code == 404
    assert other.username not in text(client.get(reverse("staff-list")))


def test_admin_opens_a_staff_account_and_sets_roles(client):
    admin = staff_in(TIANHE, "system_admin")
    client = signed_in(client, admin)
    org = admin.organisation
    response = client.post(
        reverse("staff-create"),
        {
            "organisation": org.pk,
            "username": "zhangsan",
            "real_name": "张三",
            "password": "12345678",
            "roles": ["enforcement_officer"],
        },
    )
    assert response.context["form"].errors["password"] == ["这个密码太常见了。", "密码只包含数字。"]
    response = client.post(
        reverse("staff-create"),
        {
            "organisation": org.pk,
            "username": "zhangsan",
            "real_name": "张三",
            "password": "Tianhe-2026!",
            "roles": ["enforcement_officer"],
        },
    )
    person = User.objects.get(username="zhangsan")
    assert response["Location"] == reverse("staff-detail", args=[person.pk])
    assert person.role_codes() == {"enforcement_officer"}

    response = client.post(
        reverse("staff-roles", args=[person.pk]), {"roles": ["legal_reviewer", "mediator"]}
    )
    assert response.status_code == 302
    person._role_codes = None
    assert person.role_codes() == {"legal_reviewer", "mediator"}
    assert AuditEntry.objects.filter(event=AuditEvent.ROLES_CHANGED, object_id=str(person.pk)).count() == 2


# --- audit trail ------------------------------------------------------------------------------------------------


def test_auditor_browses_the_trail_with_filters_and_sees_the_diff(client, orgs):
    auditor = staff_in(TIANHE, "auditor")
    org = orgs[TIANHE]
    org.address = "天河路 2 号"
    org.save()
    client = signed_in(client, auditor)
    response = client.get(
        reverse("audit-list"), {"event": AuditEvent.OBJECT_UPDATED, "object_type": "core.organisation"}
    )
    entries = list(response.context["page"].object_list)
    assert [e.object_id for e in entries] == [str(org.pk)]
    assert not any(e.jurisdiction_code == YUEXIU for e in client.get(reverse("audit-list")).context["page"])

    detail = text(client.get(reverse("audit-detail", args=[entries[0].pk])))
    assert "办公地址" in detail and "天河路 2 号" in detail

    bad_dates = client.get(reverse("audit-list"), {"since": "2026-05-03", "until": "2026-05-01"})
    assert bad_dates.status_code == 200 and "截止日期不能早于起始日期" in text(bad_dates)


def test_audit_pages_need_the_auditor_role(client):
    officer = staff_in(TIANHE, "enforcement_officer")
    assert signed_in(client, officer).get(reverse("audit-list")).status_code == 403


# --- tokens ---------------------------------------------------------------------------------------------------


def test_token_plaintext_is_shown_once_and_revocation_asks_first(client):
    officer = staff_in(TIANHE, "enforcement_officer")
    client = signed_in(client, officer)
    response = client.post(reverse("tokens"), {"name": "执法终端", "days": 30})
    token = ApiToken.objects.get(user=officer)
    plaintext = response.context["plaintext"]
    assert plaintext.startswith(f"sj_{token.key_id}_") and plaintext in text(response)
    assert "只显示这一次" in text(response) and response["Cache-Control"] == "no-store"

    again = text(client.get(reverse("tokens")))
    assert "执法终端" in again and plaintext not in again

    confirm = client.get(reverse("token-revoke", args=[token.pk]))
    assert "确定吊销" in text(confirm)
    token.refresh_from_db()
    assert token.revoked_at is None  # GET only asks
    assert client.post(reverse("token-revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.post(reverse("token-revoke", args=[token.pk])).status_code == 409  # already revoked


def test_token_form_errors_are_chinese_and_others_tokens_are_not_found(client):
    officer = staff_in(TIANHE)
    other = staff_in(TIANHE)
    client = signed_in(client, officer)
    response = client.post(reverse("tokens"), {"name": "", "days": 400})
    assert "这个字段是必填项" in text(response) and "确保该值小于或等于365" in text(response)
    foreign = ApiToken.objects.create(
        user=other, name="x", key_id="abc123", key_digest="0" * 64, expires_at="2099-01-01T00:00:00Z"
    )
    assert client.post(reverse("token-revoke", args=[foreign.pk])).status_code == 404


# --- portal ---------------------------------------------------------------------------------------------------


def citizen_id(rng_seed: int = 1) -> str:
    return identity.generate_citizen_id(
        Random(rng_seed), region_code="440106", birth_date=date(1990, 3, 8), sex="女"
    )


def test_portal_registration_rejects_a_wrong_id_number_in_chinese(client):
    good = citizen_id()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")  # wrong check digit
    form = {
        "kind": AccountKind.CITIZEN,
        "username": "lisi",
        "password": "Portal-2026!",
        "password_again": "Portal-2026!",
        "real_name": "李四",
        "id_number": bad,
    }
    response = client.post(reverse("register"), form)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "id_number" in errors and any("身份证" in message for message in errors["id_number"])
    assert not User.objects.filter(username="lisi").exists()

    response = client.post(reverse("register"), {**form, "id_number": good}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal")
    user = User.objects.get(username="lisi")
    assert user.kind == AccountKind.CITIZEN and user.id_number == good
    assert good not in text(client.get(reverse("account")))  # masked on the profile until asked


def test_portal_registration_checks_kind_specific_fields(client):
    response = client.post(
        reverse("register"),
        {
            "kind": AccountKind.ENTERPRISE,
            "username": "acme",
            "password": "Portal-2026!",
            "password_again": "Portal-2027!",
        },
    )
    errors = response.context["form"].errors
    assert errors["password_again"] == ["两次输入的密码不一致"]
    assert errors["uscc"] == ["企业用户须填写此项"]
    response = client.post(
        reverse("register"),
        {
            "kind": AccountKind.ENTERPRISE,
            "username": "acme",
            "password": "Portal-2026!",
            "password_again": "Portal-2026!",
            "enterprise_name": "广州某某有限公司",
            "uscc": valid_uscc(),
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="acme").kind == AccountKind.ENTERPRISE


# --- public pages and notifications --------------------------------------------------------------------------------


def test_public_directory_searches_and_filters(client, orgs):
    OrganisationFactory(name="已撤销公证处", kind="notary_office", is_active=False)
    response = client.get(reverse("directory"), {"q": "公证处", "jurisdiction": GUANGZHOU})
    names = listed_names(response)
    assert {orgs[TIANHE].name, orgs[YUEXIU].name} <= names
    assert orgs[SHENZHEN_FUTIAN].name not in names and "已撤销公证处" not in names
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("about")).status_code == 200


def test_notifications_inbox_marks_read(client):
    officer = staff_in(TIANHE)
    first = Notification.objects.create(recipient=officer, title="第一条", link="/workbench/")
    Notification.objects.create(recipient=officer, title="第二条")
    Notification.objects.create(recipient=staff_in(TIANHE), title="别人的通知")
    client = signed_in(client, officer)
    body = text(client.get(reverse("notifications")))
    assert "第一条" in body and "第二条" in body and "别人的通知" not in body
    response = client.post(reverse("notification-open", args=[first.pk]))
    assert response["Location"] == "/workbench/"
    first.refresh_from_db()
    assert first.read_at is not None
    client.post(reverse("notifications-read-all"))
    assert "暂无通知" not in text(client.get(reverse("notifications")))
    assert "没有未读通知" in text(client.get(reverse("notifications"), {"unread": "1"}))
