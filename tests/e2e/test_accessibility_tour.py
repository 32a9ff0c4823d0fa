"""The public pages, the citizen portal and a staff member's pages, each checked by axe-core (see conftest)."""

import pytest
from playwright.sync_api import expect

from tests.core.factories import PASSWORD, TIANHE, UserFactory, staff_in

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/", "/about/", "/directory/", "/login/", "/portal/register/", "/laws/", "/qa/", "/ledger/",
                "/ledger/keys/", "/ledger/verify/", "/govinfo/"]  # fmt: skip


def _ledger_with_a_log():
    """A log with a signed checkpoint and a witness, so the transparency page shows its tables."""
    from smartjustice.ledger import services
    from smartjustice.ledger.witness import WitnessSigner

    services.append_batch("decisions", [b"a", b"b"], kind="t")
    services.sign_checkpoint(services.get_log("decisions"))
    signer = WitnessSigner.generate("witness.gdjcy.example.cn/transparency-witness-one")
    services.register_witness(signer.name, signer.public_key)


def test_public_pages_have_no_serious_accessibility_violations(new_page, divisions, axe_audit):
    _ledger_with_a_log()
    page = new_page(**DESKTOP)
    for path in PUBLIC_PAGES:
        response = page.goto(path)
        assert response.status < 400, (path, response.status)
    assert set(PUBLIC_PAGES) <= set(axe_audit.checked)
    phone = new_page(**PHONE)  # the ledger's tables scroll sideways on a phone
    phone.goto("/ledger/")
    phone.goto("/ledger/keys/")


def test_the_portal_menu_on_a_phone_is_accessible(new_page, divisions, axe_audit):
    citizen = UserFactory(username="axe_citizen", real_name="林小雨")
    page = new_page(**PHONE)
    page.goto("/login/")
    page.get_by_label("账号").fill(citizen.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url("/portal/")
    page.get_by_role("button", name="打开导航菜单").click()
    axe_audit.check(page)  # the opened menu
    page.goto("/account/")


def test_a_staff_members_pages_are_accessible(new_page, divisions, axe_audit):
    officer = staff_in(TIANHE, "system_admin", real_name="陈天河")
    page = new_page(**DESKTOP)
    page.goto("/login/")
    page.get_by_label("账号").fill(officer.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url("/workbench/")
    for path in ["/organisations/", "/staff/", "/notifications/", "/account/tokens/"]:
        page.goto(path)
