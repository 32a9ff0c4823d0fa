"""Mobile enforcement (移动执法): the phone pages at /enforcement/m/ and the API a native client calls at
/api/v1/enforcement/m/ — party look-up (validated, masked), my 行政执法证 QR code, my cases and deadlines, evidence
with the device's time and GPS, the on-the-spot penalty with a signature; and nothing of another county."""

import io
from decimal import Decimal

import pytest
from django.test import Client

from smartjustice.core.testing import COUNTY_A, COUNTY_B, api_client, assert_api_error, items_of
from smartjustice.enforcement.choices import EvidenceKind
from smartjustice.enforcement.models import EnforcementCase
from tests.enforcement import mobile_makers as makers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def public_url(settings):
    settings.CREDENTIALS_PUBLIC_URL = "http://testserver"


@pytest.fixture
def officer(db):
    makers.hub_catalogue()
    return makers.certified_officer(COUNTY_A, name="张执法")


@pytest.fixture
def colleague(officer):
    return makers.certified_officer(COUNTY_A, agency=officer.agency, name="李执法")


@pytest.fixture
def case(officer, colleague):
    return makers.on_the_spot(officer, colleague)


@pytest.fixture
def outsider(db):
    """An officer of 越秀区 (another county)."""
    return makers.certified_officer(COUNTY_B, name="赵越秀")


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(user, url: str, **params) -> str:
    response = browser(user).get(url, params)
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return response.content.decode()


# --- pages ------------------------------------------------------------------------------------------------------------


def test_home_lists_my_cases_and_deadlines(officer, case):
    html = page(officer.user, "/enforcement/m/")
    assert case.cause in html and case.number in html
    assert "罚款缴纳期限" in html or "缴款期限" in html
    assert "剩余" in html


def test_my_credential_page_shows_the_qr_code_that_verifies(officer):
    html = page(officer.user, "/enforcement/m/credential/")
    assert "<svg" in html
    assert officer.credential.number in html
    assert "http://testserver/credentials/v/" in html
    token = html.split("http://testserver/credentials/v/")[1].split("/")[0]
    verified = Client().get(f"/credentials/v/{token}/")
    assert verified.status_code == 200
    assert "有效" in verified.content.decode()


def test_without_a_certificate_the_credential_page_says_so(db):
    user = makers.certified_officer(COUNTY_A).agency  # an agency with staff
    from smartjustice.core.testing import make_staff

    staff = make_staff(COUNTY_A, "enforcement_officer", organisation=user)
    assert "您还没有行政执法证" in page(staff, "/enforcement/m/credential/")


def test_the_penalty_and_inspection_forms_render(officer, colleague, case):
    html = page(officer.user, "/enforcement/m/penalties/new/")
    assert "data-signature-pad" in html and "enforcement/mobile.js" in html
    assert colleague.user.display_name in html
    assert "第五十一条" in html
    html = page(officer.user, "/enforcement/m/inspections/new/")
    assert 'capture="environment"' in html and case.cause in html


def test_the_result_page_shows_the_decision_and_its_document(officer, case):
    html = page(officer.user, f"/enforcement/m/cases/{case.pk}/")
    assert case.decision_number in html
    assert "当场交付" in html
    assert f"/enforcement/m/cases/{case.pk}/files/" in html
    doc = case.party_signature_id
    response = browser(officer.user).get(f"/enforcement/m/cases/{case.pk}/files/{doc}/")
    assert response.status_code == 200


def test_the_penalty_form_issues_a_decision(officer, colleague):
    makers.hub_catalogue()
    party = makers.person()
    response = browser(officer.user).post(
        "/enforcement/m/penalties/new/",
        {
            "kind": "person",
            "name": party["name"],
            "id_number": party["id_number"],
            "cause": "占道经营",
            "facts": "在人行道摆摊",
            "location": "天河路",
            "legal_basis": "《城市市容和环境卫生管理条例》第三十六条",
            "sanction": "fine",
            "fine_amount": "50",
            "co_officers": [str(colleague.user_id)],
            "signature": makers.png_data_url(),
            "latitude": "23.1",
            "longitude": "113.3",
            "captured_at": "2026-01-01T08:00:00+08:00",
        },
    )
    case = EnforcementCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/enforcement/m/cases/{case.pk}/"
    assert case.fine_amount == Decimal("50.00") and case.party_signature_id


def test_the_penalty_form_explains_an_over_limit_fine_in_chinese(officer, colleague):
    party = makers.person()
    response = browser(officer.user).post(
        "/enforcement/m/penalties/new/",
        {
            "kind": "person",
            "name": party["name"],
            "id_number": party["id_number"],
            "cause": "占道经营",
            "facts": "在人行道摆摊",
            "location": "天河路",
            "legal_basis": "某条例第三条",
            "sanction": "fine",
            "fine_amount": "500",
            "co_officers": [str(colleague.user_id)],
            "signature_refused": "on",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "第五十一条" in html and "普通程序" in html
    assert not EnforcementCase.objects.exists()


def test_the_inspection_form_records_photos_with_gps(officer, case):
    photo = io.BytesIO(makers.png())
    photo.name = "scene.png"
    response = browser(officer.user).post(
        "/enforcement/m/inspections/new/",
        {
            "case": case.pk,
            "content": "现场检查：摊位已撤除。",
            "photos": [photo],
            "latitude": "23.13",
            "longitude": "113.32",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    photos = case.evidence.filter(kind=EvidenceKind.PHOTO)
    assert photos.count() == 1 and photos.get().latitude == Decimal("23.130000")
    assert photos.get().attachment_id and photos.get().ledger_index is not None


# --- party look-up ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("by", "q", "message"),
    [
        ("id_number", "12345", "身份证号码应为18位"),
        ("id_number", "440106199001011234", "身份证号码校验位错误"),
        ("uscc", "91440106MA59ABCD1X", "统一社会信用代码校验位错误"),
        ("name", "", "请输入姓名或名称"),
    ],
)
def test_party_lookup_explains_bad_input_in_chinese(officer, by, q, message):
    assert message in page(officer.user, "/enforcement/m/parties/", by=by, q=q)


def test_party_lookup_finds_by_id_number_and_masks_it(officer, case):
    number = case.party.id_number
    html = page(officer.user, "/enforcement/m/parties/", by="id_number", q=number.lower())
    html = html.split('data-testid="lookup-results"')[1]  # the search box keeps what the officer typed
    assert case.party.name in html
    assert number not in html and number[:4] + "**********" + number[-4:] in html


def test_party_lookup_by_name_via_the_api_is_masked(officer, case):
    rows = items_of(
        api_client(officer.user).get("enforcement/m/parties", {"by": "name", "q": case.party.name})
    )
    assert [r["id"] for r in rows] == [case.party_id]
    assert rows[0]["pii_masked"] and "*" in rows[0]["id_number"]


def test_party_lookup_api_refuses_a_bad_uscc(officer):
    response = api_client(officer.user).get("enforcement/m/parties", {"by": "uscc", "q": "ABC"})
    assert_api_error(response, 422, "validation_failed", fields=["q"])


# --- another county sees nothing ----------------------------------------------------------------------------------------


def test_another_countys_officer_sees_nothing(case, outsider):
    client = browser(outsider.user)
    assert client.get(f"/enforcement/m/cases/{case.pk}/").status_code == 404
    assert client.get(f"/enforcement/m/parties/{case.party_id}/").status_code == 404
    assert client.get(f"/enforcement/m/cases/{case.pk}/files/{case.party_signature_id}/").status_code == 404
    html = page(outsider.user, "/enforcement/m/parties/", by="id_number", q=case.party.id_number)
    assert case.party.name not in html and "没有找到当事人" in html
    assert case.cause not in page(outsider.user, "/enforcement/m/")
    api = api_client(outsider.user)
    assert items_of(api.get("enforcement/m/cases")) == []
    assert items_of(api.get("enforcement/m/parties", {"by": "id_number", "q": case.party.id_number})) == []
    photo = io.BytesIO(makers.png())
    photo.name = "x.png"
    response = api.client.post(
        f"/api/v1/enforcement/m/cases/{case.pk}/evidence", {"content": "x", "photos": [photo]}
    )
    assert response.status_code == 404


# --- the API ---------------------------------------------------------------------------------------------------------------


def test_api_my_credential_gives_the_qr_payload(officer):
    body = api_client(officer.user).get("enforcement/m/credential").json()
    assert body["number"] == officer.credential.number and body["state"] == "valid"
    assert body["qr_payload"].startswith("http://testserver/credentials/v/")


def test_api_my_cases_and_deadlines(officer, case):
    api = api_client(officer.user)
    rows = items_of(api.get("enforcement/m/cases"))
    assert [r["id"] for r in rows] == [case.pk]
    assert rows[0]["days_left"] is not None
    deadlines = api.get("enforcement/m/deadlines").json()
    assert any(d["case_id"] == case.pk and d["days_left"] >= 0 for d in deadlines)


def test_api_issues_an_on_the_spot_penalty_with_a_base64_signature(officer, colleague):
    makers.hub_catalogue()
    response = api_client(officer.user).post(
        "enforcement/m/penalties",
        {
            "party": makers.organisation(),
            "cause": "未按规定明码标价",
            "facts": "店内商品未标价",
            "location": "天河路1号",
            "legal_basis": "《明码标价和禁止价格欺诈规定》第二十一条",
            "fine_amount": "3000",
            "signature_png": makers.png_data_url(),
            "latitude": 23.1,
            "longitude": 113.3,
            "co_officer_ids": [colleague.pk],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["decision_number"] and body["has_signature"] and body["service_method"] == "on_the_spot"
    assert body["party"]["pii_masked"] and "*" in body["party"]["id_number"]
    assert {d["document_number"] for d in body["documents"]} == {body["decision_number"]}


def test_api_refuses_an_over_limit_fine_with_the_field(officer, colleague):
    response = api_client(officer.user).post(
        "enforcement/m/penalties",
        {
            "party": makers.person(),
            "cause": "占道经营",
            "facts": "摆摊",
            "location": "天河路",
            "legal_basis": "某条例",
            "fine_amount": "201",
            "signature_refused": True,
            "co_officer_ids": [colleague.pk],
        },
    )
    body = assert_api_error(response, 422, "validation_failed", fields=["fine_amount"])
    assert "第五十一条" in body["message"]


def test_api_uploads_evidence_with_device_time_and_position(officer, case):
    photo = io.BytesIO(makers.png())
    photo.name = "scene.png"
    response = api_client(officer.user).client.post(
        f"/api/v1/enforcement/m/cases/{case.pk}/evidence",
        {
            "content": "复查：已整改",
            "latitude": "23.125",
            "longitude": "113.31",
            "captured_at": "2026-01-02T09:30:00+08:00",
            "photos": [photo],
        },
    )
    assert response.status_code == 201, response.content
    rows = response.json()
    assert [r["kind"] for r in rows] == ["inspection_record", "photo"]
    assert rows[1]["latitude"] == "23.125000" or float(rows[1]["latitude"]) == 23.125
    assert rows[1]["ledger_index"] is not None


def test_home_lists_the_inspections_drawn_for_me(officer):
    from smartjustice.core.testing import Place
    from tests.enforcement import inspection_makers

    inspection = inspection_makers.inspection(Place(COUNTY_A, officer.agency))
    inspection.officers.add(officer)
    html = page(officer.user, "/enforcement/m/")
    assert inspection.entity.name in html
    assert f"/enforcement/inspections/checks/{inspection.pk}/" in html


def test_the_penalty_form_warns_an_officer_whose_certificate_is_revoked(officer):
    from smartjustice.credentials import services as credentials

    credentials.revoke_credential(officer.credential, actor=makers.issuer(COUNTY_A), reason="调离执法岗位")
    html = page(officer.user, "/enforcement/m/penalties/new/")
    assert "已吊销" in html and "不能当场作出行政处罚决定" in html
