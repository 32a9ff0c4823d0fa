"""The workbench and the menus: each role sees its own to-do list; citizens see no developer items."""

import pytest
from django.test import Client
from django.urls import reverse

from smartjustice.core.choices import AccountKind
from tests.core.factories import TIANHE, UserFactory, staff_in

pytestmark = pytest.mark.django_db


def signed_in(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page(user, name: str) -> str:
    response = signed_in(user).get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


def navigation(body: str) -> str:
    """The side navigation of a page (the footer links the public API documentation for everyone)."""
    return body[body.index('class="sj-nav"') : body.index("</nav>", body.index('class="sj-nav"'))]


def test_an_officer_with_nothing_to_do_sees_an_empty_to_do_list_and_no_organisation_overview():
    body = page(staff_in(TIANHE, "mediator"), "workbench")
    assert "我的待办" in body and "暂无待办事项" in body
    assert "本辖区组织机构类型" not in body and 'data-testid="overview"' not in body


def test_the_system_administrator_keeps_the_organisation_overview():
    staff_in(TIANHE, "mediator")
    body = page(staff_in(TIANHE, "system_admin"), "workbench")
    assert "本辖区组织机构类型" in body and "工作人员" in body


def test_recent_audit_entries_name_the_event_and_record_type_in_chinese():
    from smartjustice.core import audit
    from smartjustice.qa.choices import QaAuditEvent

    author = staff_in(TIANHE, "legal_aid_officer")
    audit.record(
        QaAuditEvent.FAQ_SUBMITTED,
        actor=author,
        object_type="qa.faqentry",
        object_id="7",
        jurisdiction_code=TIANHE,
    )
    body = page(staff_in(TIANHE, "auditor"), "workbench")
    assert "提交常见问题审核</span>常见问题" in body  # a module's own event code, the model's Chinese name
    assert ">1410<" not in body and "qa.faqentry" not in body


def test_a_citizen_s_menu_has_no_developer_items_but_personal_settings_link_them():
    citizen = UserFactory(kind=AccountKind.CITIZEN)
    body = page(citizen, "portal")
    assert "访问令牌" not in body and "API 文档" not in navigation(body)
    assert reverse("qa:ask") in body and reverse("hub:my_disclosures") in body  # 法宝宝, 我的数据共享记录
    settings_page = page(citizen, "account")
    assert reverse("tokens") in settings_page and "/api/v1/docs" in settings_page


def test_staff_keep_the_developer_items_in_their_menu():
    body = navigation(page(staff_in(TIANHE, "mediator"), "workbench"))
    assert "访问令牌" in body and "API 文档" in body


def test_the_public_home_page_links_to_fabaobao_and_my_data_sharing_records():
    body = signed_in().get("/").content.decode()
    assert f'href="{reverse("qa:ask")}"' in body and "法宝宝问答" in body
    assert f'href="{reverse("hub:my_disclosures")}"' in body and "我的数据共享记录" in body
