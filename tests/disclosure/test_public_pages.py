"""Public enforcement information: anonymous pages, personal information masked, withdrawal on revocation,
published data as CSV and JSON (accepted reports only)."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from smartjustice.core.testing import COUNTY_A, COUNTY_B, ApiClient, Place, organisation_in
from smartjustice.disclosure.choices import ReportStatus
from smartjustice.enforcement.choices import CaseStatus, Procedure
from tests.disclosure import makers

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous():
    return Client()


def _person_case(**kwargs):
    agency = makers.agency_in(COUNTY_A)
    return makers.case(
        COUNTY_A,
        party=makers.person(agency),
        facts=f"当事人{makers.PERSON_NAME}（身份证号 {makers.PERSON_ID}，电话 {makers.PERSON_PHONE}）在店内未明码标价。",
        **kwargs,
    )


@pytest.mark.parametrize("name", ["index", "agencies", "officers", "procedures", "decisions", "data"])
def test_public_pages_open_without_signing_in(anonymous, name):
    response = anonymous.get(f"/disclosure/{'' if name == 'index' else name + '/'}")
    assert response.status_code == 200


def test_published_decision_masks_a_natural_persons_information(anonymous):
    case = _person_case()
    company_case = makers.case(COUNTY_A)
    listing = anonymous.get("/disclosure/decisions/").content.decode()
    assert case.decision_number in listing and company_case.decision_number in listing
    detail = anonymous.get(f"/disclosure/decisions/{case.pk}/").content.decode()
    api = ApiClient().get(f"disclosure/decisions/{case.pk}").content.decode("unicode_escape")
    for body in (listing, detail, api):
        assert makers.PERSON_NAME not in body
        assert makers.PERSON_ID not in body
        assert makers.PERSON_PHONE not in body
        assert "天河路123号" not in body
    assert "王**" in detail and "4401**********1234" in detail
    # an enterprise's name stays; its legal representative is a natural person
    company_page = anonymous.get(f"/disclosure/decisions/{company_case.pk}/").content.decode()
    assert makers.COMPANY_NAME in company_page and "李大力" not in company_page and "李**" in company_page


def test_simplified_and_undecided_cases_are_not_published(anonymous):
    spot = makers.case(COUNTY_A, procedure=Procedure.SIMPLIFIED, filed_on=None, fine=Decimal(100))
    open_case = makers.case(COUNTY_A, status=CaseStatus.INVESTIGATING, decided_on=None, fine=None)
    assert anonymous.get(f"/disclosure/decisions/{spot.pk}/").status_code == 404
    assert anonymous.get(f"/disclosure/decisions/{open_case.pk}/").status_code == 404
    assert ApiClient().get("disclosure/decisions").json()["count"] == 0


def test_revoked_decision_is_withdrawn_with_a_notice(anonymous):
    case = _person_case()
    assert case.decision_number in anonymous.get("/disclosure/decisions/").content.decode()
    case.revoked_on = date(2025, 6, 1)
    case.revocation_reason = f"经行政复议撤销（申请人{makers.PERSON_NAME}）"
    case.save()
    listing = anonymous.get("/disclosure/decisions/").content.decode()
    assert "撤回说明" in listing  # only as a withdrawal notice, not in the table
    assert ApiClient().get("disclosure/decisions").json()["count"] == 0
    page = anonymous.get(f"/disclosure/decisions/{case.pk}/").content.decode()
    assert "撤回说明" in page and "被依法撤销" in page and "第四十八条" in page
    assert "未明码标价" not in page and makers.PERSON_NAME not in page
    detail = ApiClient().get(f"disclosure/decisions/{case.pk}").json()
    assert detail["withdrawn"] is True and detail["facts"] == "" and detail["party_name"] == ""


def test_officers_show_name_and_certificate_number_only(anonymous):
    from tests.enforcement.mobile_makers import certified_officer

    officer = certified_officer(COUNTY_A, name="赵执法")
    officer.user.phone = "13900001111"
    officer.user.save()
    page = anonymous.get("/disclosure/officers/").content.decode()
    assert "赵执法" in page and officer.credential.number in page
    assert "13900001111" not in page and officer.user.username not in page


def test_procedures_page_cites_the_articles(anonymous):
    page = anonymous.get("/disclosure/procedures/").content.decode()
    assert "第五十一条" in page and "第六十三条" in page and "第七条" in page


def _published_reports():
    accepted = makers.report(
        Place(COUNTY_A, organisation_in(COUNTY_A)),
        status=ReportStatus.ACCEPTED,
        values={"cases_filed": 7, "fine_total": "1500.50"},
    )
    draft = makers.report(
        Place(COUNTY_B, organisation_in(COUNTY_B)), status=ReportStatus.SUBMITTED, values={"cases_filed": 99}
    )
    return accepted, draft


def test_csv_download_holds_accepted_reports_only(anonymous):
    _published_reports()
    response = anonymous.get(f"/disclosure/data/{makers.YEAR}.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["区划代码", "区划", "年度"] and "行政处罚立案数（件）" in rows[0]
    assert [r[1] for r in rows[1:]] == ["天河区"]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["行政处罚立案数（件）"] == "7" and row["罚款金额（元）"] == "1500.5"


def test_json_download_holds_definitions_and_values(anonymous):
    _published_reports()
    body = json.loads(anonymous.get(f"/disclosure/data/{makers.YEAR}.json").content)
    assert body["year"] == makers.YEAR
    assert any(m["code"] == "cases_filed" and m["where"] for m in body["metrics"])
    assert [r["code"] for r in body["reports"]] == [COUNTY_A]
    assert body["reports"][0]["values"]["cases_filed"] == 7
    assert body["reports"][0]["values"]["licensing_decisions"] is None
    api = ApiClient().get(f"disclosure/data/{makers.YEAR}").json()
    assert [r["code"] for r in api] == [COUNTY_A]


def test_data_page_shows_chart_map_and_table(anonymous):
    _published_reports()
    page = anonymous.get(f"/disclosure/data/?year={makers.YEAR}&region=440100000000").content.decode()
    assert "data-region-map" in page and "data-chart-bar" in page and "天河区" in page
    assert "越秀区" not in page.split("已审核公开的报告")[1]  # submitted, not accepted
