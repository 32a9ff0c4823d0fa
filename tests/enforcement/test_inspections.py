"""双随机、一公开: the registry, plans whose seed is committed in the ledger before the draw, the draw with two
certified officers per entity, results by the drawn officers only, publication, verification and the case a failed
inspection opens (《民营经济促进法》第五十二条第二款, 《行政处罚法》第四十二条)."""

import datetime
import json
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from smartjustice.core.errors import Conflict, PermissionDenied, ValidationFailed
from smartjustice.core.models import Organisation
from smartjustice.core.testing import (
    COUNTY_A,
    COUNTY_B,
    ApiClient,
    assert_api_error,
    assert_audited,
    make_staff,
)
from smartjustice.credentials.models import Credential
from smartjustice.enforcement import draw as drawing
from smartjustice.enforcement import inspections, officers
from smartjustice.enforcement.choices import (
    CaseAuditEvent,
    CaseSource,
    InspectionPlanStatus,
    InspectionResult,
)
from smartjustice.enforcement.models import Inspection, InspectionPlan, RegulatedEntity
from smartjustice.ledger.models import LedgerEntry
from tests.enforcement.inspection_makers import MARKET, enforcement_agency, make_uscc

RATIOS = {"high": 0.5, "medium": 0.2, "low": 0.1}


@pytest.fixture(autouse=True)
def public_url(settings):
    settings.CREDENTIALS_PUBLIC_URL = "http://testserver"


@pytest.fixture
def agency(db):
    return enforcement_agency(COUNTY_A)


@pytest.fixture
def planner(agency):
    return make_staff(COUNTY_A, "inspection_planner", organisation=agency, real_name="计划专员")


@pytest.fixture
def issuer(db):
    return make_staff(COUNTY_A, "credential_officer", real_name="发证专员")


@pytest.fixture
def registrar(agency):
    return make_staff(COUNTY_A, "officer_manager", organisation=agency, real_name="人事专员")


def new_officer(agency, registrar, issuer, name):
    user = make_staff(COUNTY_A, "enforcement_officer", organisation=agency, real_name=name)
    officer = officers.register_officer(actor=registrar, user=user, agency=agency, domains=[MARKET])
    return officers.issue_certificate(officer, actor=issuer)


@pytest.fixture
def pool(agency, registrar, issuer):
    return [new_officer(agency, registrar, issuer, name) for name in ("甲执法", "乙执法", "丙执法", "丁执法")]


@pytest.fixture
def registry(planner):
    """4 high, 10 medium, 20 low in 天河区, plus entities the plan must not consider."""
    made = []
    serial = iter(range(1000, 2000))
    for level, n in (("high", 4), ("medium", 10), ("low", 20)):
        for _ in range(n):
            made.append(
                inspections.register_entity(
                    actor=planner,
                    uscc=make_uscc(COUNTY_A, next(serial)),
                    name=f"天河{level}商户{len(made)}",
                    jurisdiction=COUNTY_A,
                    domains=[MARKET],
                    risk_level=level,
                    legal_representative="李法人",
                    business_address="天河路100号",
                )
            )
    RegulatedEntity.objects.create(
        uscc=make_uscc(COUNTY_B, 1),
        name="越秀商户",
        jurisdiction_id=COUNTY_B,
        domains=[MARKET],
        risk_level="high",
    )
    RegulatedEntity.objects.create(
        uscc=make_uscc(COUNTY_A, 1),
        name="已注销商户",
        jurisdiction_id=COUNTY_A,
        domains=[MARKET],
        is_active=False,
    )
    RegulatedEntity.objects.create(
        uscc=make_uscc(COUNTY_A, 2),
        name="交通企业",
        jurisdiction_id=COUNTY_A,
        domains=["transport"],
        risk_level="high",
    )
    return made


@pytest.fixture
def plan(planner, pool, registry):
    return inspections.create_plan(
        actor=planner, name="2026年市场监管双随机抽查", domain=MARKET, sampling_ratios=RATIOS
    )


def drawn(plan, planner):
    inspections.commit_seed(plan, actor=planner)
    return inspections.perform_draw(plan, actor=planner)


def fresh(plan):
    return InspectionPlan.objects.get(pk=plan.pk)


# --- registry -----------------------------------------------------------------------------------------------------


def test_an_entity_is_registered_with_a_valid_uscc_and_updated_by_it(planner):
    uscc = make_uscc(COUNTY_A, 42)
    entity = inspections.register_entity(
        actor=planner,
        uscc=uscc.lower(),
        name="甲公司",
        jurisdiction=COUNTY_A,
        domains="市场监管",
        risk_level="高",
    )
    assert (entity.uscc, entity.domains, entity.risk_level) == (uscc, [MARKET], "high")
    assert_audited(CaseAuditEvent.ENTITY_REGISTERED, obj=entity, actor=planner)
    again = inspections.register_entity(
        actor=planner, uscc=uscc, name="甲公司（更名）", jurisdiction=COUNTY_A, domains=[MARKET]
    )
    assert again.pk == entity.pk and again.name == "甲公司（更名）"
    with pytest.raises(ValidationFailed) as error:
        inspections.register_entity(
            actor=planner, uscc=uscc[:-1] + "0", name="乙", jurisdiction=COUNTY_A, domains=[MARKET]
        )
    assert "uscc" in error.value.fields


def test_an_entity_outside_the_planners_county_is_refused(planner):
    with pytest.raises(PermissionDenied):
        inspections.register_entity(
            actor=planner, uscc=make_uscc(COUNTY_B, 7), name="越秀", jurisdiction=COUNTY_B, domains=[MARKET]
        )


def test_the_csv_import_stores_all_rows_or_none(planner):
    good = make_uscc(COUNTY_A, 501), make_uscc(COUNTY_A, 502)
    header = "统一社会信用代码,名称,登记区划,监管领域,风险等级,法定代表人,经营场所\n"
    bad = (
        header
        + f"{good[0]},甲,{COUNTY_A},市场监管,高风险,,\n{good[1][:-1]}0,乙,{COUNTY_A},市场监管,低风险,,\n"
    )
    with pytest.raises(ValidationFailed) as error:
        inspections.import_entities(bad.encode(), actor=planner)
    assert "第3行" in error.value.message
    assert not RegulatedEntity.objects.filter(uscc__in=good).exists()
    seen = []
    text = (
        header
        + f"{good[0]},甲,{COUNTY_A},市场监管,高风险,,\n{good[1]},乙,{COUNTY_A},market_regulation,low,,\n"
    )
    report = inspections.import_entities(
        text.encode("gb18030"), actor=planner, progress=lambda d, t: seen.append((d, t))
    )
    assert (report.rows, report.created, report.updated) == (2, 2, 0)
    assert seen[-1] == (2, 2)
    assert_audited(CaseAuditEvent.ENTITIES_IMPORTED, actor=planner)


# --- commit and draw ----------------------------------------------------------------------------------------------


def test_the_seed_is_committed_in_the_ledger_before_the_draw(plan, planner):
    inspections.commit_seed(plan, actor=planner)
    plan = fresh(plan)
    assert plan.status == InspectionPlanStatus.COMMITTED
    entry = LedgerEntry.objects.get(log__name=plan.seed_ledger_log, index=plan.seed_ledger_index)
    payload = json.loads(bytes(entry.payload))
    assert payload["commitment"] == plan.seed_commitment
    assert drawing.commitment(plan.seed, payload["parameters"]) == plan.seed_commitment
    assert plan.seed not in bytes(entry.payload).decode()
    assert (
        len(plan.draw_inputs["candidates"]) == 34
    )  # not the other county, the closed one or the other domain
    assert_audited(CaseAuditEvent.PLAN_SEED_COMMITTED, obj=plan, actor=planner)
    # The seed stays hidden until the draw.
    answer = ApiClient(planner).get(f"enforcement/plans/{plan.pk}").json()
    assert answer["seed"] == "" and answer["seed_commitment"] == plan.seed_commitment
    assert answer["seed_ledger_index"] == plan.seed_ledger_index


def test_there_is_no_draw_before_the_commitment(plan, planner):
    with pytest.raises(Conflict, match="尚未存证"):
        inspections.perform_draw(plan, actor=planner)
    assert_api_error(ApiClient(planner).post(f"enforcement/plans/{plan.pk}/draw"), 409, "conflict")


def test_parameters_are_frozen_once_the_seed_is_committed(plan, planner):
    inspections.update_plan(plan, actor=planner, sampling_ratios={"high": 1, "medium": 0.5, "low": 0.1})
    inspections.commit_seed(plan, actor=planner)
    with pytest.raises(Conflict):
        inspections.update_plan(fresh(plan), actor=planner, name="改名")
    response = ApiClient(planner).patch(f"enforcement/plans/{plan.pk}", {"sampling_ratios": {"high": 1}})
    assert_api_error(response, 409, "conflict")


def test_the_draw_follows_the_ratios_and_gives_two_officers_each(plan, planner, pool):
    drawn(plan, planner)
    rows = list(Inspection.objects.filter(plan=plan).select_related("entity").prefetch_related("officers"))
    assert Counter(i.entity.risk_level for i in rows) == {"high": 2, "medium": 2, "low": 2}
    assert all(len(set(i.officers.all())) == 2 for i in rows)
    load = Counter(o.pk for i in rows for o in i.officers.all())
    assert max(load.values()) - min(load.values()) <= 1
    assert fresh(plan).status == InspectionPlanStatus.DRAWN
    assert_audited(CaseAuditEvent.PLAN_DRAWN, obj=plan, actor=planner)


def test_the_same_seed_and_inputs_give_the_same_draw(plan, planner):
    drawn(plan, planner)
    plan = fresh(plan)
    again = inspections.run_draw(plan, plan.seed, plan.draw_inputs)
    stored = {i.entity.uscc: {o.pk for o in i.officers.all()} for i in Inspection.objects.filter(plan=plan)}
    assert stored == {t.uscc: set(t.officers) for t in again}
    assert inspections.verify_draw(plan).ok


def test_verification_detects_a_tampered_inspection(plan, planner, pool):
    drawn(plan, planner)
    inspection = Inspection.objects.filter(plan=plan).first()
    others = [o for o in pool if o not in inspection.officers.all()]
    inspection.officers.set(others[:2])
    report = inspections.verify_draw(plan)
    assert not report.ok
    assert [c.label for c in report.checks if not c.ok] == ["检查对象和执法人员与重新抽取一致"]


def test_verification_detects_a_changed_seed_or_parameters(plan, planner):
    drawn(plan, planner)
    InspectionPlan.objects.filter(pk=plan.pk).update(seed="ab" * 32)
    assert not inspections.verify_draw(plan).ok
    plan = fresh(plan)
    InspectionPlan.objects.filter(pk=plan.pk).update(
        seed=plan.seed, sampling_ratios={"high": 1, "medium": 1, "low": 1}
    )
    assert not inspections.verify_draw(plan).ok


def test_the_verify_command_exits_zero_or_one(plan, planner, capsys):
    drawn(plan, planner)
    call_command("enforcement", "verify-draw", str(plan.pk))
    assert "验证通过" in capsys.readouterr().out
    Inspection.objects.filter(plan=plan).first().officers.clear()
    with pytest.raises(CommandError) as error:
        call_command("enforcement", "verify-draw", str(plan.pk))
    assert error.value.returncode == 1


def test_a_conflicted_officer_never_inspects_that_entity(plan, planner, pool, registry):
    banned = pool[0]
    for entity in registry:
        inspections.register_conflict(actor=planner, officer=banned, entity=entity, reason="曾在该企业任职")
    drawn(plan, planner)
    assert not Inspection.objects.filter(plan=plan, officers=banned).exists()
    assert inspections.verify_draw(plan).ok


def test_an_officer_with_an_expired_certificate_is_not_drawn(plan, planner, pool):
    expired, lapsing = pool[0], pool[1]
    Credential.objects.filter(pk=expired.credential_id).update(
        valid_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    inspections.commit_seed(plan, actor=planner)
    assert expired.pk not in fresh(plan).draw_inputs["officers"]
    # One lapsing between the commitment and the draw is left out and listed, and the draw still verifies.
    Credential.objects.filter(pk=lapsing.credential_id).update(
        valid_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    inspections.perform_draw(plan, actor=planner)
    assert not Inspection.objects.filter(plan=plan, officers__in=[expired, lapsing]).exists()
    assert [o for o, _ in fresh(plan).draw_inputs["excluded"]] == [lapsing.pk]
    assert inspections.verify_draw(plan).ok


def test_too_few_certified_officers_cannot_commit(planner, registry, agency, registrar, issuer):
    new_officer(agency, registrar, issuer, "独行侠")
    plan = inspections.create_plan(actor=planner, name="人手不足", domain=MARKET)
    with pytest.raises(ValidationFailed, match="不足2人"):
        inspections.commit_seed(plan, actor=planner)


# --- results, publication, the case ------------------------------------------------------------------------------


def test_only_an_officer_drawn_for_the_entity_records_its_result(plan, planner, pool):
    drawn(plan, planner)
    inspection = Inspection.objects.filter(plan=plan).first()
    assigned = list(inspection.officers.order_by("id"))
    outsider = next(o for o in pool if o not in assigned)
    with pytest.raises(PermissionDenied, match="被抽取的执法人员"):
        inspections.record_result(inspection, actor=outsider.user, result=InspectionResult.PASSED)
    with pytest.raises(ValidationFailed, match="不得少于2人"):
        inspections.record_result(
            inspection,
            actor=assigned[0].user,
            result=InspectionResult.PASSED,
            present_officer_ids=[assigned[0].pk],
        )
    response = ApiClient(assigned[0].user).post(
        f"enforcement/inspections/{inspection.pk}/result",
        {"result": "passed", "findings": "证照齐全", "latitude": "23.135", "longitude": "113.328"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["result"] == "passed"
    assert_audited(CaseAuditEvent.INSPECTION_RESULT_RECORDED, obj=inspection, actor=assigned[0].user)


def record_all(plan, result=InspectionResult.PASSED):
    for inspection in Inspection.objects.filter(plan=plan):
        officer = inspection.officers.order_by("id").first()
        inspections.record_result(inspection, actor=officer.user, result=result, findings="现场检查情况")


def test_results_are_published_without_personal_data(plan, planner, client):
    drawn(plan, planner)
    with pytest.raises(Conflict, match="尚未全部完成"):
        inspections.publish_results(plan, actor=planner)
    assert client.get(f"/enforcement/inspections/public/{plan.pk}/").status_code == 404
    record_all(plan)
    assert fresh(plan).status == InspectionPlanStatus.COMPLETED
    inspections.publish_results(fresh(plan), actor=planner)
    page = client.get(f"/enforcement/inspections/public/{plan.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    first = Inspection.objects.filter(plan=plan).select_related("entity").first().entity
    assert first.name in text and first.uscc in text and fresh(plan).seed in text
    assert "李法人" not in text and "甲执法" not in text
    answer = ApiClient(None).get(f"enforcement/public/plans/{plan.pk}").json()
    assert {row["entity_uscc"] for row in answer["inspections"]} == {
        i.entity.uscc for i in Inspection.objects.filter(plan=plan).select_related("entity")
    }
    assert "legal_representative" not in json.dumps(answer)
    verified = client.get(f"/enforcement/inspections/public/{plan.pk}/verify/", HTTP_HX_REQUEST="true")
    assert "验证通过" in verified.content.decode()
    assert ApiClient(None).get(f"enforcement/public/plans/{plan.pk}/verify").json()["ok"] is True
    with pytest.raises(Conflict):
        record_all(plan)


def test_a_failed_inspection_opens_a_case_once(plan, planner):
    drawn(plan, planner)
    inspection = Inspection.objects.filter(plan=plan).select_related("entity").first()
    officer = inspection.officers.order_by("id").first()
    with pytest.raises(Conflict):
        inspections.open_case_from_inspection(inspection, actor=officer.user)
    inspections.record_result(
        inspection, actor=officer.user, result=InspectionResult.FAILED, findings="无证经营"
    )
    response = ApiClient(officer.user).post(f"enforcement/inspections/{inspection.pk}/case")
    assert response.status_code == 201, response.content
    inspection.refresh_from_db()
    case = inspection.case
    assert case.source == CaseSource.INSPECTION and case.party.id_number == inspection.entity.uscc
    assert case.agency_id == plan.agency_id and case.domain == MARKET
    assert_audited(CaseAuditEvent.INSPECTION_CASE_OPENED, obj=inspection, actor=officer.user)
    with pytest.raises(Conflict, match="已转为案件"):
        inspections.open_case_from_inspection(inspection, actor=officer.user)


# --- access ------------------------------------------------------------------------------------------------------


def test_another_county_or_agency_cannot_see_the_plan(plan, planner):
    peer_agency = enforcement_agency(COUNTY_B)
    peer = make_staff(COUNTY_B, "inspection_planner", organisation=peer_agency)
    other_agency = Organisation.objects.create(
        jurisdiction_id=COUNTY_A,
        name="天河区交通运输局",
        kind="enforcement_agency",
        enforcement_domain="transport",
    )
    neighbour = make_staff(COUNTY_A, "inspection_planner", organisation=other_agency)
    for outsider in (peer, neighbour):
        client = ApiClient(outsider)
        assert client.get(f"enforcement/plans/{plan.pk}").status_code == 404
        assert plan.pk not in {row["id"] for row in client.get("enforcement/plans").json()["items"]}
        assert client.post(f"enforcement/plans/{plan.pk}/commit").status_code == 404
    assert ApiClient(planner).get(f"enforcement/plans/{plan.pk}").status_code == 200


# --- pages -------------------------------------------------------------------------------------------------------


def test_the_plan_page_shows_the_commitment_ledger_index_and_verifies(plan, planner, client):
    client.force_login(planner)
    assert client.post(f"/enforcement/inspections/{plan.pk}/act/commit/").status_code == 302
    page = client.get(f"/enforcement/inspections/{plan.pk}/").content.decode()
    plan = fresh(plan)
    assert plan.seed_commitment in page and f">{plan.seed_ledger_index}<" in page and plan.seed not in page
    client.post(f"/enforcement/inspections/{plan.pk}/act/draw/")
    page = client.get(f"/enforcement/inspections/{plan.pk}/").content.decode()
    assert plan.seed in page and "验证" in page
    result = client.get(
        f"/enforcement/inspections/{plan.pk}/verify/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "验证通过" in result


def test_the_registry_page_searches_and_filters(registry, planner, client):
    client.force_login(planner)
    page = client.get("/enforcement/inspections/entities/", {"risk_level": "high"}).content.decode()
    assert "天河high商户0" in page and "天河low商户" not in page
    page = client.get("/enforcement/inspections/entities/", {"q": "不存在的名字"}).content.decode()
    assert "没有符合条件的监管对象" in page


def test_the_officer_records_the_result_on_the_phone_form(plan, planner, client):
    drawn(plan, planner)
    inspection = Inspection.objects.filter(plan=plan).first()
    officer = inspection.officers.order_by("id").first()
    client.force_login(officer.user)
    assert inspection.entity.name in client.get("/enforcement/inspections/mine/").content.decode()
    form = client.get(f"/enforcement/inspections/checks/{inspection.pk}/").content.decode()
    assert "提交检查结果" in form and "data-gps" in form
    ids = [str(o.pk) for o in inspection.officers.all()]
    response = client.post(
        f"/enforcement/inspections/checks/{inspection.pk}/",
        {
            "result": "rectify",
            "findings": "价签不全",
            "latitude": "23.1",
            "longitude": "113.3",
            "present_officer_ids": ids,
        },
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.result == InspectionResult.RECTIFY and inspection.latitude is not None


def test_the_import_command_shows_progress(planner, tmp_path, capsys):
    path = tmp_path / "registry.csv"
    rows = [f"{make_uscc(COUNTY_A, 700 + i)},商户{i},{COUNTY_A},市场监管,低风险" for i in range(12)]
    path.write_text(
        "统一社会信用代码,名称,登记区划,监管领域,风险等级\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    call_command("enforcement", "import-entities", str(path), "--as", planner.username)
    out = capsys.readouterr().out
    assert "100%" in out and "新增 12 户" in out
    path.write_bytes(b"\xef\xbb\xbf\xe7\xbb\x9f\x00,x\n")
    with pytest.raises(CommandError, match="空字符"):
        call_command("enforcement", "import-entities", str(path), "--as", planner.username)
    with pytest.raises(CommandError, match="不存在"):
        call_command("enforcement", "verify-draw", "999999")


def test_the_registry_is_imported_from_the_page(planner, client):
    client.force_login(planner)
    uscc = make_uscc(COUNTY_A, 901)
    upload = SimpleUploadedFile(
        "r.csv",
        f"统一社会信用代码,名称,登记区划,监管领域,风险等级\n{uscc},页面导入商户,{COUNTY_A},市场监管,中风险\n".encode(),
    )
    response = client.post("/enforcement/inspections/entities/import/", {"file": upload})
    assert response.status_code == 302
    assert RegulatedEntity.objects.get(uscc=uscc).risk_level == "medium"
    bad = SimpleUploadedFile("r.csv", "名称\n某某\n".encode())
    page = client.post("/enforcement/inspections/entities/import/", {"file": bad}).content.decode()
    assert "缺少列" in page


def test_a_plan_is_created_and_edited_on_its_pages_until_committed(planner, pool, registry, client):
    client.force_login(planner)
    form = {
        "name": "页面新建计划",
        "domain": MARKET,
        "jurisdiction": "",
        "high": "1",
        "medium": "0.3",
        "low": "0.05",
        "officers_per_inspection": "2",
    }
    response = client.post("/enforcement/inspections/new/", form)
    assert response.status_code == 302
    plan = InspectionPlan.objects.get(name="页面新建计划")
    assert (
        plan.sampling_ratios == {"high": 1.0, "medium": 0.3, "low": 0.05} and plan.jurisdiction_id == COUNTY_A
    )
    response = client.post(f"/enforcement/inspections/{plan.pk}/edit/", {**form, "name": "页面修改计划"})
    assert response.status_code == 302 and fresh(plan).name == "页面修改计划"
    client.post(f"/enforcement/inspections/{plan.pk}/act/commit/")
    page = client.post(f"/enforcement/inspections/{plan.pk}/edit/", {**form, "name": "存证后修改"})
    assert "不得再修改" in page.content.decode() and fresh(plan).name == "页面修改计划"
    listing = client.get("/enforcement/inspections/", {"status": "committed"}).content.decode()
    assert "页面修改计划" in listing


def test_the_officers_tile_lists_pending_inspections(plan, planner):
    from smartjustice.enforcement.module import pending_inspections

    drawn(plan, planner)
    inspection = Inspection.objects.filter(plan=plan).first()
    officer = inspection.officers.order_by("id").first()
    before = pending_inspections(officer.user)
    assert before.count >= 1 and any(inspection.entity.name == item.title for item in before.items)
    inspections.record_result(inspection, actor=officer.user, result=InspectionResult.PASSED)
    assert pending_inspections(officer.user).count == before.count - 1


def test_conflicts_are_recorded_on_their_page(planner, pool, registry, client):
    client.force_login(planner)
    assert "回避关系" in client.get("/enforcement/inspections/").content.decode()
    form = {"officer": str(pool[0].pk), "uscc": registry[0].uscc.lower(), "reason": "配偶任该企业监事"}
    assert client.post("/enforcement/inspections/conflicts/", form).status_code == 302
    page = client.get("/enforcement/inspections/conflicts/").content.decode()
    assert registry[0].name in page and "配偶任该企业监事" in page
    again = client.post("/enforcement/inspections/conflicts/", form).content.decode()
    assert "已登记" in again
    missing = client.post("/enforcement/inspections/conflicts/", {**form, "uscc": make_uscc(COUNTY_B, 99)})
    assert "名录中没有" in missing.content.decode()
    client.force_login(pool[1].user)  # an officer: no access to the conflicts of the agency
    assert client.get("/enforcement/inspections/conflicts/").status_code == 403
