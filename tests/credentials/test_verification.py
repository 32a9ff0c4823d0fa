"""The public verification page behind the QR code, the rendered certificate, and the holder's disclosure links."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from smartjustice.core.testing import ApiClient, assert_api_error, make_staff
from smartjustice.credentials import queries, services

from .conftest import issue

pytestmark = pytest.mark.django_db


def page(link) -> str:
    response = Client().get(f"/credentials/v/{link.token}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response.content.decode()


def state_of(html: str) -> str:
    return re.search(r'data-testid="verification-state">([^<]+)<', html).group(1)


def test_public_page_shows_valid_and_only_disclosed_claims(credential, holder):
    link = queries.default_link(credential)
    html = page(link)
    assert state_of(html) == "有效"
    assert "张执法" in html and credential.number in html and "广州市天河区" in html
    # Not disclosed by default: the holder's employer and the enforcement domain.
    assert holder.organisation.name not in html.replace(credential.issuer.name, "")
    assert "市场监管" not in html


def test_holder_chooses_what_a_link_discloses(credential, holder):
    response = ApiClient(holder).post(
        f"/credentials/credentials/{credential.pk}/links",
        {"claims": ["certificateNumber"], "label": "向当事人出示"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["url"].startswith("http://testserver/credentials/v/")
    html = Client().get(body["url"].removeprefix("http://testserver")).content.decode()
    assert state_of(html) == "有效"
    assert credential.number in html
    assert "张执法" not in html and "广州市天河区" not in html
    api = ApiClient(None).get(f"/credentials/verify/{body['token']}").json()
    assert api["state"] == "valid" and api["claims"] == {"certificateNumber": credential.number}


def test_only_the_holder_creates_links(credential, officer):
    response = ApiClient(officer).post(
        f"/credentials/credentials/{credential.pk}/links", {"claims": ["name"]}
    )
    assert_api_error(response, 403, "permission_denied")


def test_withdrawn_link_shows_nothing(credential, holder):
    link = queries.default_link(credential)
    assert ApiClient(holder).post(f"/credentials/links/{link.pk}/withdraw").status_code == 200
    response = Client().get(f"/credentials/v/{link.token}/")
    assert response.status_code == 404
    assert "张执法" not in response.content.decode()


def test_revoked_credential_is_shown_as_revoked(credential, officer):
    services.revoke_credential(credential, actor=officer, reason="调离执法岗位")
    assert state_of(page(queries.default_link(credential))) == "已吊销"


def test_suspended_credential_is_shown_as_suspended(credential, officer):
    services.suspend_credential(credential, actor=officer, reason="停职调查")
    assert state_of(page(queries.default_link(credential))) == "已暂停"


def test_expired_credential_is_shown_as_expired(officer, holder):
    past = timezone.now() - datetime.timedelta(days=800)
    credential = issue(officer, holder, valid_from=past, valid_until=past + datetime.timedelta(days=365))
    assert state_of(page(queries.default_link(credential))) == "已过期"


def test_tampered_claim_is_shown_as_failed(credential):
    credential.claims["name"] = "李四"
    credential.save()
    html = page(queries.default_link(credential))
    assert state_of(html) == "验证失败"
    assert "李四" not in html


def test_unknown_link_is_not_found():
    assert Client().get("/credentials/v/no-such-token/").status_code == 404


def test_certificate_page_carries_a_qr_code_to_the_verification_page(credential, holder):
    client = Client()
    client.force_login(holder)
    response = client.get(f"/credentials/{credential.pk}/certificate/")
    assert response.status_code == 200
    html = response.content.decode()
    link = queries.default_link(credential)
    assert f"http://testserver/credentials/v/{link.token}/" in html
    assert "<svg" in html and 'data-testid="certificate-qr"' in html
    assert "行政执法证" in html and credential.number in html


def test_certificate_pdf(credential, holder):
    client = Client()
    client.force_login(holder)
    response = client.get(f"/credentials/{credential.pk}/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_staff_pages(credential, officer):
    client = Client()
    client.force_login(officer)
    listing = client.get("/credentials/")
    assert listing.status_code == 200 and credential.number in listing.content.decode()
    detail = client.get(f"/credentials/{credential.pk}/")
    assert detail.status_code == 200 and "吊销" in detail.content.decode()
    form = client.get("/credentials/issue/")
    assert form.status_code == 200 and "执法区域" in form.content.decode()
    empty = client.get("/credentials/?q=不存在的编号")
    assert "没有符合条件的电子证照" in empty.content.decode()


def test_issue_through_the_page(officer, holder):
    client = Client()
    client.force_login(officer)
    response = client.post(
        "/credentials/issue/",
        {
            "type": "administrative_enforcement_certificate",
            "holder": holder.username,
            "claim_enforcementArea": "天河区",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert holder.credentials.count() == 1


def test_holder_sees_their_credentials(credential, holder):
    client = Client()
    client.force_login(holder)
    assert credential.number in client.get("/credentials/mine/").content.decode()
    other = make_staff("440106000000", "enforcement_officer")
    client.force_login(other)
    assert "您还没有电子证照" in client.get("/credentials/mine/").content.decode()
