"""The case-handling API (/api/v1/enforcement/…): a lead registered with its party, filed, evidenced, proposed,
notified and documented through HTTP; the party masked until revealed; other agencies and other counties kept out
of the case, its party, its evidence and its documents; the county's supervisor reads them all."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from smartjustice.core.choices import AuditEvent
from smartjustice.core.testing import (
    COUNTY_A,
    COUNTY_B,
    ApiClient,
    Place,
    assert_api_error,
    assert_audited,
    make_staff,
)
from smartjustice.enforcement.choices import CaseAuditEvent, CaseStatus
from smartjustice.enforcement.models import CaseEvidence, EnforcementCase, Party
from tests.enforcement import case_makers
from tests.enforcement import mobile_makers as makers

pytestmark = pytest.mark.django_db

MARKET = "market_regulation"


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NOTIFICATION_CHANNELS = []
    settings.CREDENTIALS_PUBLIC_URL = "http://testserver"


@pytest.fixture
def agency():
    makers.hub_catalogue()
    return makers.agency_in(COUNTY_A, MARKET, name="广州市天河区市场监督管理局")


@pytest.fixture
def handlers(agency):
    return [
        makers.certified_officer(COUNTY_A, agency=agency, name="张执法"),
        makers.certified_officer(COUNTY_A, agency=agency, name="李执法"),
    ]


@pytest.fixture
def officer(handlers):
    return handlers[0].user


@pytest.fixture
def head(agency):
    return make_staff(COUNTY_A, "agency_head", organisation=agency, real_name="王局长")


def _register(client, **overrides):
    body = {
        "party": {
            "kind": "organisation",
            "name": "广州市天河区测试商行",
            "id_number": makers.organisation()["id_number"],
            "legal_representative": "陈老板",
            "phone": "13800138000",
            "address": "广州市天河区天河北路1号",
        },
        "cause": "未按规定明码标价",
        "discovered_on": str(timezone.localdate()),
        "facts": "当事人销售的20种商品均未标明价格。",
        "location": "天河北路1号店内",
        **overrides,
    }
    response = client.post("enforcement/cases", body)
    assert response.status_code == 201, response.content[:500]
    return response.json()


def _filed(agency, handlers, head, officer) -> dict:
    case = _register(ApiClient(officer))
    response = ApiClient(head).post(
        f"enforcement/cases/{case['id']}/transitions/file",
        {"officer_ids": [h.user_id for h in handlers]},
    )
    assert response.status_code == 200, response.content[:500]
    return response.json()


def test_a_lead_is_registered_with_its_party_masked(agency, officer):
    body = _register(ApiClient(officer))
    assert body["status"] == CaseStatus.LEAD and body["agency"]["id"] == agency.pk
    party = body["party"]
    assert party["pii_masked"] is True
    assert party["id_number"] != EnforcementCase.objects.get(pk=body["id"]).party.id_number
    assert "13800138000" not in str(body)
    assert_audited(CaseAuditEvent.CASE_REGISTERED, actor=officer)


def test_the_party_is_revealed_only_through_the_audited_reveal(agency, officer):
    body = _register(ApiClient(officer))
    party_id = body["party"]["id"]
    client = ApiClient(officer)
    assert client.get(f"enforcement/parties/{party_id}").json()["pii_masked"] is True
    revealed = client.post(f"enforcement/parties/{party_id}/reveal")
    assert revealed.status_code == 200
    assert revealed.json()["pii_masked"] is False and revealed.json()["phone"] == "13800138000"
    assert_audited(AuditEvent.PII_VIEWED, actor=officer)
    # 执法监督 reads the case but holds no core.view_pii: the reveal is refused.
    supervisor = make_staff(COUNTY_A, "enforcement_supervisor")
    assert_api_error(
        ApiClient(supervisor).post(f"enforcement/parties/{party_id}/reveal"), 403, "permission_denied"
    )


def test_parties_are_found_by_name_or_full_id_number(agency, officer):
    body = _register(ApiClient(officer))
    number = EnforcementCase.objects.get(pk=body["id"]).party.id_number
    client = ApiClient(officer)
    assert [p["id"] for p in client.get("enforcement/parties", {"q": "测试商行"}).json()["items"]] == [
        body["party"]["id"]
    ]
    assert [p["id"] for p in client.get("enforcement/parties", {"q": number}).json()["items"]] == [
        body["party"]["id"]
    ]
    assert client.get("enforcement/parties", {"q": number[:8]}).json()["items"] == []


def test_bad_input_is_refused_in_chinese_and_nothing_is_stored(agency, officer):
    client = ApiClient(officer)
    response = client.post(
        "enforcement/cases",
        {
            "party": {**makers.person(), "id_number": "440106198806010000"},
            "cause": "案由",
            "discovered_on": "2026-01-01",
        },
    )
    assert response.status_code in (400, 422)
    assert has_fields(response.json())
    assert not EnforcementCase.objects.exists()
    # A valid new party with a case the services refuse (a domain the agency does not enforce): neither is stored.
    refused = client.post(
        "enforcement/cases",
        {
            "party": makers.person(),
            "cause": "未按规定明码标价",
            "domain": "transport",
            "discovered_on": "2026-01-01",
        },
    )
    assert refused.status_code == 422, refused.content[:300]
    assert not Party.objects.exists() and not EnforcementCase.objects.exists()
    assert_api_error(
        client.post("enforcement/cases", {"cause": "未按规定明码标价", "discovered_on": "2026-01-01"}),
        422,
        "validation_failed",
        fields=("party_id",),
    )


def has_fields(body) -> bool:
    return bool(body.get("fields")) and body.get("message")


def test_a_case_is_filed_evidenced_proposed_notified_and_documented(agency, handlers, head, officer):
    case = _filed(agency, handlers, head, officer)
    assert case["status"] == CaseStatus.INVESTIGATING and case["number"]
    assert {o["name"] for o in case["officers"]} == {"张执法", "李执法"}
    assert [h["transition"] for h in case["history"]] == ["file"]
    client = ApiClient(officer)
    # Evidence: a photo uploaded as multipart, its hash anchored in the evidence ledger.
    photo = SimpleUploadedFile("现场.png", makers.png(), content_type="image/png")
    response = Client()
    response.force_login(officer)
    uploaded = response.post(
        f"/api/v1/enforcement/cases/{case['id']}/evidence",
        {"kind": "photo", "title": "店内价签缺失照片", "file": photo},
    )
    assert uploaded.status_code == 201, uploaded.content[:500]
    evidence = uploaded.json()
    assert evidence["ledger_index"] is not None and len(evidence["sha256"]) == 64
    assert evidence["attachment"]["download_url"]
    record = client.post(
        f"enforcement/cases/{case['id']}/evidence",
        {"kind": "inspection_record", "title": "现场检查笔录"},
    )
    assert record.status_code in (400, 415, 422)  # the form is multipart, not JSON
    listed = client.get(f"enforcement/cases/{case['id']}/evidence").json()
    assert [e["id"] for e in listed] == [evidence["id"]]
    # Penalty, prior notice (a workflow step), the notice document.
    proposed = client.put(
        f"enforcement/cases/{case['id']}/penalty",
        {"fine_amount": "2000", "legal_basis": "《中华人民共和国价格法》第四十二条"},
    )
    assert proposed.status_code == 200, proposed.content[:500]
    steps = {t["name"] for t in client.get(f"enforcement/cases/{case['id']}/transitions").json()}
    assert "notify" in steps
    notified = client.post(f"enforcement/cases/{case['id']}/transitions/notify", {})
    assert notified.status_code == 200, notified.content[:500]
    assert notified.json()["status"] == CaseStatus.NOTIFIED and notified.json()["notice_number"]
    made = client.post(f"enforcement/cases/{case['id']}/documents", {"kind": "prior_notice"})
    assert made.status_code == 201, made.content[:500]
    document = made.json()
    assert document["number"] == notified.json()["notice_number"]
    assert sorted(f["original_name"].rsplit(".", 1)[1] for f in document["files"]) == ["docx", "pdf"]
    documents = client.get(f"enforcement/cases/{case['id']}/documents").json()
    assert {d["document_number"] for d in documents} == {document["number"]}
    pdf = next(d for d in documents if d["original_name"].endswith(".pdf"))
    download = client.get(f"enforcement/cases/{case['id']}/documents/{pdf['id']}/download")
    assert download.status_code == 200
    assert_audited(AuditEvent.ATTACHMENT_DOWNLOADED, actor=officer, object_id=str(pdf["id"]))
    # A document the case cannot carry yet: refused in Chinese.
    assert_api_error(
        client.post(f"enforcement/cases/{case['id']}/documents", {"kind": "decision"}),
        422,
        "validation_failed",
        fields=("kind",),
    )


def test_filing_names_the_officers_by_account_and_refuses_strangers(agency, handlers, head, officer):
    case = _register(ApiClient(officer))
    stranger = makers.certified_officer(COUNTY_B, name="外区执法")
    assert_api_error(
        ApiClient(head).post(
            f"enforcement/cases/{case['id']}/transitions/file",
            {"officer_ids": [handlers[0].user_id, stranger.user_id]},
        ),
        422,
        "validation_failed",
        fields=("officer_ids",),
    )
    response = ApiClient(head).post(
        f"enforcement/cases/{case['id']}/transitions/file", {"officer_ids": [handlers[0].user_id]}
    )
    assert response.status_code == 422  # fewer than two (第四十二条)
    assert EnforcementCase.objects.get(pk=case["id"]).status == CaseStatus.LEAD


def test_the_list_filters_by_text_stage_procedure_and_deadline(agency, handlers, head, officer):
    filed = _filed(agency, handlers, head, officer)
    lead = _register(ApiClient(officer), cause="无照经营")
    client = ApiClient(officer)

    def ids(**params):
        response = client.get("enforcement/cases", params)
        assert response.status_code == 200, response.content[:300]
        return {row["id"] for row in response.json()["items"]}

    assert ids() == {filed["id"], lead["id"]}
    assert ids(q="无照") == {lead["id"]}
    assert ids(q=filed["number"]) == {filed["id"]}
    assert ids(status="investigating") == {filed["id"]}
    assert ids(procedure="simplified") == set()
    assert ids(domain=MARKET) == {filed["id"], lead["id"]}
    assert ids(overdue="true") == set()
    assert ids(overdue="false") == {filed["id"], lead["id"]}
    assert client.get("enforcement/cases", {"status": "nonsense"}).status_code == 422
    row = next(r for r in client.get("enforcement/cases").json()["items"] if r["id"] == filed["id"])
    assert row["clock"] is None or row["clock"]["label"]


def test_other_agencies_and_counties_are_kept_out_the_county_supervisor_reads(
    agency, handlers, head, officer
):
    case = _filed(agency, handlers, head, officer)
    client = ApiClient(officer)
    photo = Client()
    photo.force_login(officer)
    evidence = photo.post(
        f"/api/v1/enforcement/cases/{case['id']}/evidence",
        {"kind": "inspection_record", "title": "现场检查笔录", "content": "店内商品均未标价。"},
    ).json()
    client.put(
        f"enforcement/cases/{case['id']}/penalty", {"fine_amount": "2000", "legal_basis": "价格法第四十二条"}
    )
    document = client.post(f"enforcement/cases/{case['id']}/documents", {"kind": "filing_approval"}).json()
    pdf = next(f for f in document["files"] if f["original_name"].endswith(".pdf"))
    urls = [
        f"enforcement/cases/{case['id']}",
        f"enforcement/parties/{case['party']['id']}",
        f"enforcement/evidence/{evidence['id']}",
        f"enforcement/cases/{case['id']}/evidence",
        f"enforcement/cases/{case['id']}/documents",
        f"enforcement/cases/{case['id']}/documents/{pdf['id']}/download",
        pdf["download_url"],
    ]
    other_agency = makers.certified_officer(
        COUNTY_A, agency=makers.agency_in(COUNTY_A, MARKET, name="广州市天河区另一执法局")
    )
    other_county = makers.certified_officer(COUNTY_B, name="越秀执法")
    for outsider in (other_agency.user, other_county.user):
        api = ApiClient(outsider)
        for url in urls:
            assert api.get(url).status_code == 404, (outsider, url)
        assert case["id"] not in {r["id"] for r in api.get("enforcement/cases").json()["items"]}
        assert evidence["id"] not in {r["id"] for r in api.get("enforcement/evidence").json()["items"]}
        assert (
            api.post(f"enforcement/cases/{case['id']}/documents", {"kind": "filing_approval"}).status_code
            == 404
        )
    supervisor = ApiClient(make_staff(COUNTY_A, "enforcement_supervisor"))
    for url in urls:
        assert supervisor.get(url).status_code == 200, url
    assert case["id"] in {r["id"] for r in supervisor.get("enforcement/cases").json()["items"]}
    # Reading is all the supervisor does: no documents, no steps.
    assert (
        supervisor.post(f"enforcement/cases/{case['id']}/documents", {"kind": "filing_approval"}).status_code
        == 404
    )
    peer_supervisor = ApiClient(make_staff(COUNTY_B, "enforcement_supervisor"))
    assert peer_supervisor.get(f"enforcement/cases/{case['id']}").status_code == 404


def test_payments_are_recorded_and_listed(agency, handlers, head, officer):
    case = case_makers.decided_case(Place(COUNTY_A, agency), fine_amount=Decimal("2000"))
    client = ApiClient(officer)
    response = client.post(
        f"enforcement/cases/{case.pk}/payments", {"amount": "2000", "receipt_number": "PJ-1"}
    )
    assert response.status_code == 201, response.content[:500]
    assert Decimal(response.json()["paid_amount"]) == Decimal("2000")
    rows = client.get(f"enforcement/cases/{case.pk}/payments").json()
    assert [Decimal(r["amount"]) for r in rows] == [Decimal("2000")]
    assert client.get(f"enforcement/payments/{rows[0]['id']}").status_code == 200
    assert_api_error(
        client.post(f"enforcement/cases/{case.pk}/payments", {"amount": "-1"}), 422, "validation_failed"
    )
    assert CaseEvidence.objects.count() == 0


def test_the_head_approves_instalments_and_revokes_a_decision(agency, handlers, head, officer):
    case = case_makers.decided_case(Place(COUNTY_A, agency), fine_amount=Decimal("3000"))
    today = timezone.localdate()
    plan = [
        {"due_on": str(today + datetime.timedelta(days=30)), "amount": "1500"},
        {"due_on": str(today + datetime.timedelta(days=60)), "amount": "1500"},
    ]
    outsider = ApiClient(makers.certified_officer(COUNTY_B, name="越秀执法").user)
    assert outsider.post(f"enforcement/cases/{case.pk}/instalments", {"plan": plan}).status_code == 404
    response = ApiClient(head).post(f"enforcement/cases/{case.pk}/instalments", {"plan": plan})
    assert response.status_code == 200, response.content[:500]
    assert_audited(CaseAuditEvent.INSTALMENTS_APPROVED, obj=case, actor=head)
    assert_api_error(
        ApiClient(head).post(f"enforcement/cases/{case.pk}/revoke", {"reason": ""}), 422, "validation_failed"
    )
    revoked = ApiClient(head).post(f"enforcement/cases/{case.pk}/revoke", {"reason": "行政复议决定撤销"})
    assert revoked.status_code == 200, revoked.content[:500]
    assert revoked.json()["revoked_on"] and revoked.json()["revocation_reason"] == "行政复议决定撤销"
