"""The ordinary procedure (普通程序) of the 行政处罚法 through the services of enforcement/cases.py: a case from lead to
archive, and the steps the law refuses (第二十九条、第三十六条、第四十二条、第四十四条、第四十五条、第五十七条、第五十八条、
第六十二条、第六十三条、第六十四条)."""

import datetime
from contextlib import contextmanager
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from smartjustice.core.assignments import APPROVER, HANDLER, REVIEWER, assignee_ids
from smartjustice.core.errors import PermissionDenied, TransitionNotAllowed, ValidationFailed
from smartjustice.core.models import Role
from smartjustice.core.testing import COUNTY_A, COUNTY_B, assert_audited, assert_max_queries, make_staff
from smartjustice.enforcement import case_queries, cases, officers, rules
from smartjustice.enforcement.choices import (
    CaseAuditEvent,
    CaseStatus,
    DiscretionGrade,
    EvidenceKind,
    ItemStatus,
    PartyKind,
    PaymentKind,
    ServiceMethod,
)
from smartjustice.enforcement.models import (
    DiscretionBenchmark,
    EnforcementCase,
    EnforcementItem,
    EnforcementOfficer,
    ItemBasis,
    ItemSanction,
)
from smartjustice.hub.models import HubRecord
from smartjustice.ledger.models import LedgerEntry
from tests.enforcement import mobile_makers as makers

pytestmark = pytest.mark.django_db

MARKET = "market_regulation"


# --- the agency, its people and its power list -----------------------------------------------------------------


@pytest.fixture(autouse=True)
def public_url(settings):
    settings.CREDENTIALS_PUBLIC_URL = "http://testserver"


@pytest.fixture
def agency(db):
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


@pytest.fixture
def reviewer(agency):
    return make_staff(COUNTY_A, "case_legal_reviewer", organisation=agency, real_name="赵法制")


def published_item(agency, *, lower=1000, upper=100000, multiple=None) -> EnforcementItem:
    """A published 行政处罚 item of `agency` with one fine provision (absolute, or a multiple of 违法所得)."""
    item = EnforcementItem.objects.create(
        code=f"T-ITEM-{EnforcementItem.objects.count() + 1:04d}",
        name="对经营者不按照规定明码标价的行政处罚",
        item_type="penalty",
        domain=MARKET,
        organisation=agency,
        status=ItemStatus.PUBLISHED,
    )
    ItemBasis.objects.create(item=item, law="中华人民共和国价格法", article=42)
    if multiple:
        ItemSanction.objects.create(
            item=item,
            kind="罚款",
            multiple_of="违法所得",
            multiple_lower=multiple[0],
            multiple_upper=multiple[1],
        )
    else:
        ItemSanction.objects.create(item=item, kind="罚款", lower=lower, upper=upper, unit="元")
    return item


@pytest.fixture
def item(agency):
    return published_item(agency)


@pytest.fixture
def benchmark(item):
    return DiscretionBenchmark.objects.create(
        item=item,
        circumstance="首次违法且及时改正",
        grade=DiscretionGrade.LIGHTER,
        fine_lower=1000,
        fine_upper=3000,
    )


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@contextmanager
def on(day: datetime.date):
    """Travel to 10:00 Beijing time on `day` (time frozen)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    with time_machine.travel(moment, tick=False):
        yield


def new_case(agency, officer, item=None, *, kind=PartyKind.ORGANISATION, party=None, occurred=-2, **fields):
    """A lead discovered three days ago (or on `discovered_on`); the conduct `occurred` days before discovery."""
    discovered_on = fields.pop("discovered_on", days(-3))
    party = party or cases.register_party(
        agency=agency,
        actor=officer,
        **(makers.organisation() if kind == PartyKind.ORGANISATION else makers.person()),
    )
    return cases.register_case(
        agency=agency,
        party=party,
        cause=fields.pop("cause", "未按规定明码标价"),
        domain=MARKET,
        discovered_on=discovered_on,
        occurred_on=discovered_on + datetime.timedelta(days=occurred) if occurred is not None else None,
        item=item,
        actor=officer,
        **fields,
    )


def filed(agency, handlers, head, item=None, *, filed_on=None, **fields):
    if filed_on is not None:
        fields.setdefault("discovered_on", filed_on)
    case = new_case(agency, handlers[0].user, item, **fields)
    return cases.file_case(case, officers=handlers, actor=head, filed_on=filed_on)


def notified(
    agency, handlers, head, item, *, fine="2000", grave=False, reviewer=None, notified_on=None, **fields
):
    """A filed case with a penalty proposed and the prior notice served (today, or on `notified_on`)."""
    case = filed(agency, handlers, head, item, filed_on=notified_on, **fields)
    officer = handlers[0].user
    cases.propose_penalty(case, fine_amount=fine, grave=grave, actor=officer)
    if case.legal_review_required:
        cases.submit_for_review(case, actor=officer)
        cases.give_legal_review(case, passed=True, opinion="事实清楚，证据确凿，适用依据正确", actor=reviewer)
    return cases.serve_prior_notice(case, actor=officer, notified_on=notified_on)


# --- the whole ordinary procedure ------------------------------------------------------------------------------


def test_a_case_walks_from_lead_to_archive_through_every_stage(
    agency, handlers, officer, head, reviewer, item
):
    start = timezone.localdate()
    party = cases.register_party(
        agency=agency, actor=officer, **makers.organisation(name="广州明码商贸有限公司")
    )
    case = cases.register_case(
        agency=agency,
        party=party,
        cause="销售商品未按规定明码标价",
        domain=MARKET,
        discovered_on=days(-3),
        occurred_on=days(-5),
        item=item,
        facts="经营场所内陈列的20种商品均未标明价格",
        actor=officer,
    )
    assert case.status == CaseStatus.LEAD
    assert case.clock_code == "filing" and case.clock_due_on == rules.FILING_PERIOD.ends(days(-3))
    assert_audited(CaseAuditEvent.CASE_REGISTERED, obj=case, actor=officer, count=1)

    cases.file_case(case, officers=handlers, actor=head)
    assert case.status == CaseStatus.INVESTIGATING and case.filed_on == start
    assert case.number.startswith("天市监立〔")
    assert case.clock_code == "decision" and case.clock_due_on == rules.DECISION_PERIOD.ends(start)
    assert assignee_ids(case, HANDLER) == {h.user_id for h in handlers}

    cases.record_evidence(
        case,
        kind=EvidenceKind.PHOTO,
        title="经营场所照片",
        file=makers.png(),
        filename="scene.png",
        actor=officer,
    )
    cases.record_evidence(
        case, kind=EvidenceKind.INQUIRY_RECORD, title="询问笔录", content="问：……答：……", actor=officer
    )

    # 60,000 yuan on an organisation: a large fine (hearing right) and so legal review is required.
    cases.propose_penalty(case, fine_amount="60000", grave=True, actor=officer)
    assert case.legal_review_required and case.legal_basis == "《中华人民共和国价格法》第四十二条"
    cases.submit_for_review(case, actor=officer)
    cases.give_legal_review(case, passed=True, opinion="事实清楚，证据确凿，程序合法", actor=reviewer)
    assert case.legal_review_passed is True and reviewer.pk in assignee_ids(case, REVIEWER)

    cases.serve_prior_notice(case, actor=officer)
    assert (
        case.status == CaseStatus.NOTIFIED
        and case.hearing_offered
        and case.notice_number.startswith("天市监罚告")
    )
    cases.record_statement(case, statement="当事人称系新员工疏忽，已整改", actor=officer)

    with on(start + datetime.timedelta(days=2)):
        cases.request_hearing(case, actor=officer, hearing_on=start + datetime.timedelta(days=12))
    assert case.status == CaseStatus.HEARING
    assert case.clock_code == "decision"  # hearing time is not excluded (第六十条)

    with on(start + datetime.timedelta(days=12)):
        cases.record_hearing(case, record="当事人对事实无异议，请求从轻处罚", actor=officer)
        cases.record_discussion(case, record="经集体讨论，维持拟处罚意见", actor=officer)
        cases.decide(case, actor=head)
        assert case.status == CaseStatus.DECIDED and case.decision_number.startswith("天市监罚决")
        assert case.clock_code == "service" and case.clock_due_on == rules.SERVICE_PERIOD.ends(
            case.decided_on
        )
        assert head.pk in assignee_ids(case, APPROVER)

        cases.serve_decision(case, method=ServiceMethod.IN_PERSON, actor=officer)
        assert case.payment_due_on == rules.PAYMENT_PERIOD.ends(case.served_on)
        assert case.clock_code == "payment" and case.clock_due_on == case.payment_due_on

    with on(start + datetime.timedelta(days=20)):
        cases.record_payment(case, amount="60000", receipt_number="GZ-2026-0001", actor=officer)
        assert case.amount_due == 0 and case.surcharge_amount == 0
        cases.execute_case(case, actor=officer)
        cases.close_case(case, actor=officer)
        cases.archive_case(case, actor=officer)

    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED and case.executed_on and case.closed_on and case.archived_on
    assert_audited(CaseAuditEvent.CASE_DECIDED, obj=case, actor=head, count=1)
    statuses = list(
        HubRecord.objects.filter(record_key=case.number).order_by("pk").values_list("data", flat=True)
    )
    assert [d["status"] for d in statuses] == ["已决定", "已结案"]


def test_the_decision_is_published_to_the_hub_as_the_catalogue_describes_it(agency, handlers, head, item):
    case = notified(agency, handlers, head, item, fine="2000", notified_on=days(-10))
    cases.decide(case, actor=head)
    record = HubRecord.objects.get(record_key=case.number)
    assert record.dataset.code == "enforcement.case" and record.jurisdiction_code == COUNTY_A
    assert record.data == {
        "case_number": case.number,
        "case_type": "行政处罚",
        "cause": "未按规定明码标价",
        "party_type": "法人",
        "party_name": case.party.name,
        "party_id_number": case.party.id_number,
        "enforcement_agency": "广州市天河区市场监督管理局",
        "filed_on": case.filed_on.isoformat(),
        "status": "已决定",
        "decided_on": timezone.localdate().isoformat(),
        "fine_amount": 2000.0,
        "decision_number": case.decision_number,
    }


def test_evidence_hash_is_appended_to_the_evidence_ledger(agency, handlers, head, officer):
    case = filed(agency, handlers, head)
    evidence = cases.record_evidence(
        case, kind=EvidenceKind.PHOTO, title="现场照片", file=makers.png(), filename="a.png", actor=officer
    )
    assert evidence.sha256 == evidence.attachment.sha256 and len(evidence.sha256) == 64
    entry = LedgerEntry.objects.get(log__name=cases.LEDGER_LOG, index=evidence.ledger_index)
    assert evidence.ledger_log == "enforcement-evidence" and entry.kind == "evidence"
    assert bytes(entry.payload) == cases.evidence_payload(evidence)
    assert evidence.sha256.encode() in bytes(entry.payload)
    assert_audited(CaseAuditEvent.EVIDENCE_RECORDED, obj=case, actor=officer, count=1)


def test_evidence_is_recorded_by_the_certified_handlers_only(agency, handlers, head):
    case = filed(agency, handlers, head)
    clerk = make_staff(COUNTY_A, "enforcement_officer", organisation=agency)
    with pytest.raises(PermissionDenied, match="行政执法"):
        cases.record_evidence(case, kind=EvidenceKind.OTHER, title="x", content="y", actor=clerk)
    other = makers.certified_officer(COUNTY_A, agency=agency)
    with pytest.raises(PermissionDenied, match="承办人员"):
        cases.record_evidence(case, kind=EvidenceKind.OTHER, title="x", content="y", actor=other.user)


def wrong_check_digit(number: str) -> str:
    return number[:17] + ("1" if number[17] != "1" else "2")


# --- parties ---------------------------------------------------------------------------------------------------


def test_a_party_is_found_again_by_id_number_and_its_number_is_validated(agency, officer):
    fields = makers.person(name="李某")
    party = cases.register_party(agency=agency, actor=officer, **fields)
    again = cases.register_party(agency=agency, actor=officer, **{**fields, "phone": "13700001111"})
    assert again.pk == party.pk and again.phone == "13700001111"
    assert_audited(CaseAuditEvent.PARTY_UPDATED, obj=party, actor=officer, count=1)
    with pytest.raises(ValidationFailed) as error:
        cases.register_party(
            agency=agency, actor=officer, **{**fields, "id_number": wrong_check_digit(fields["id_number"])}
        )
    assert "id_number" in error.value.fields
    with pytest.raises(ValidationFailed):
        cases.register_party(agency=agency, actor=officer, **makers.organisation(id_number="9144010612345"))


def test_queries_find_parties_and_order_cases_by_days_left(agency, handlers, head, officer, item):
    lead = new_case(agency, officer, item, discovered_on=days(-10))
    case = filed(agency, handlers, head, item)
    assert list(case_queries.list_cases(officer)) == [lead, case]  # the lead's filing clock ends first
    assert list(case_queries.list_cases(officer, status=CaseStatus.LEAD)) == [lead]
    assert list(case_queries.list_cases(officer, q=case.number)) == [case]
    assert case_queries.get_case_for(officer, case.pk) == case
    assert list(case_queries.find_parties(officer, case.party.id_number.lower())) == [case.party]
    stranger = make_staff(COUNTY_B, "enforcement_officer", organisation=makers.agency_in(COUNTY_B))
    assert not case_queries.list_cases(stranger).exists()
    assert not case_queries.find_parties(stranger, case.party.name).exists()


# --- refusals --------------------------------------------------------------------------------------------------


def test_filing_needs_two_certified_officers(agency, handlers, head, officer):
    case = new_case(agency, officer)
    with pytest.raises(TransitionNotAllowed, match="第四十二条"):
        cases.file_case(case, officers=handlers[:1], actor=head)
    case.refresh_from_db()
    assert case.status == CaseStatus.LEAD and case.number is None


def test_an_officer_whose_certificate_expired_is_not_assigned(agency, handlers, head, officer):
    user = make_staff(COUNTY_A, "enforcement_officer", organisation=agency, real_name="过期执法")
    expiring = officers.issue_certificate(
        EnforcementOfficer.objects.create(
            user=user, agency=agency, domains=[MARKET], jurisdiction_id=COUNTY_A
        ),
        actor=makers.issuer(COUNTY_A),
        valid_until=timezone.now() + datetime.timedelta(hours=1),
    )
    with on(days(2)):
        case = new_case(agency, officer)
        with pytest.raises(ValidationFailed, match="过期"):
            cases.file_case(case, officers=[handlers[0], expiring], actor=head)


def test_only_the_head_files_and_decides(agency, handlers, officer):
    case = new_case(agency, officer)
    with pytest.raises(PermissionDenied):
        cases.file_case(case, officers=handlers, actor=officer)


def test_a_conduct_not_discovered_within_two_years_is_not_punished(agency, handlers, head, officer):
    case = new_case(agency, officer, occurred=-800)
    with pytest.raises(TransitionNotAllowed, match="第三十六条"):
        cases.file_case(case, officers=handlers, actor=head)
    cases.file_case(
        case, officers=handlers, actor=head, extended_limitation=True
    )  # 五年: life, health, finance
    assert case.status == CaseStatus.INVESTIGATING


def test_a_fine_outside_the_statutory_range_is_refused_citing_the_basis(
    agency, handlers, head, officer, item, benchmark
):
    case = filed(agency, handlers, head, item)
    with pytest.raises(ValidationFailed, match="价格法》第四十二条") as error:
        cases.propose_penalty(case, fine_amount="100001", actor=officer)
    assert "fine_amount" in error.value.fields and "第四条" in error.value.message
    with pytest.raises(ValidationFailed, match="第三十四条"):
        cases.propose_penalty(case, fine_amount="5000", benchmark=benchmark, actor=officer)
    cases.propose_penalty(case, fine_amount="3000", benchmark=benchmark, actor=officer)
    assert case.discretion_grade == DiscretionGrade.LIGHTER


def test_a_fine_as_a_multiple_of_illegal_gains_needs_the_gains(agency, handlers, head, officer):
    item = published_item(agency, multiple=(1, 5))
    case = filed(agency, handlers, head, item)
    with pytest.raises(ValidationFailed, match="违法所得"):
        cases.propose_penalty(case, fine_amount="1000", actor=officer)
    with pytest.raises(ValidationFailed, match="2000元至10000元"):
        cases.propose_penalty(case, fine_amount="12000", confiscated_amount="2000", actor=officer)
    cases.propose_penalty(case, fine_amount="10000", confiscated_amount="2000", actor=officer)


def test_a_case_needing_legal_review_gets_no_notice_or_decision_without_it(
    agency, handlers, head, officer, item
):
    case = filed(agency, handlers, head, item)
    cases.propose_penalty(case, fine_amount="80000", actor=officer)
    assert case.legal_review_required
    with pytest.raises(TransitionNotAllowed, match="第五十八条"):
        cases.serve_prior_notice(case, actor=officer)
    # A case the law requires reviewed after the notice (第五十八条第一款第四项) is not decided unreviewed.
    small = notified(agency, handlers, head, item, fine="2000", notified_on=days(-10))
    EnforcementCase.objects.filter(pk=small.pk).update(legal_review_required=True)
    small.refresh_from_db()
    with pytest.raises(TransitionNotAllowed, match="第五十八条"):
        cases.decide(small, actor=head)


def test_the_reviewer_is_neither_a_handler_nor_the_decider(agency, handlers, head, officer, reviewer, item):
    case = filed(agency, handlers, head, item)
    cases.propose_penalty(case, fine_amount="80000", actor=officer)
    cases.submit_for_review(case, actor=officer)
    handler_reviewer = handlers[1].user
    handler_reviewer.roles.add(Role.objects.get(code="case_legal_reviewer"))
    handler_reviewer._role_codes = None
    with pytest.raises(TransitionNotAllowed, match="审核人不能由本事项的承办人担任"):
        cases.give_legal_review(case, passed=True, opinion="同意", actor=handler_reviewer)
    # The head who reviewed may not decide.
    double = make_staff(COUNTY_A, "agency_head", "case_legal_reviewer", organisation=agency)
    cases.give_legal_review(case, passed=True, opinion="同意", actor=double)
    case.refresh_from_db()
    cases.serve_prior_notice(case, actor=officer)
    cases.record_statement(case, waived=True, actor=officer)
    with pytest.raises(TransitionNotAllowed, match="不能由本事项的审核人担任"):
        cases.decide(case, actor=double)
    cases.decide(case, actor=head)


def test_a_returned_review_goes_back_to_investigation(agency, handlers, head, officer, reviewer, item):
    case = filed(agency, handlers, head, item)
    cases.propose_penalty(case, fine_amount="80000", actor=officer)
    cases.submit_for_review(case, actor=officer)
    cases.give_legal_review(case, passed=False, opinion="证据不足，补充调查", actor=reviewer)
    assert case.status == CaseStatus.INVESTIGATING and case.legal_review_passed is False
    cases.propose_penalty(case, fine_amount="70000", actor=officer)
    assert case.legal_review_passed is None  # the new proposal needs a new review
    cases.submit_for_review(case, actor=officer)


def test_no_decision_before_the_statement_period_ends_unless_waived(agency, handlers, head, item):
    case = notified(agency, handlers, head, item, fine="2000")
    with pytest.raises(TransitionNotAllowed, match="陈述、申辩期限"):
        cases.decide(case, actor=head)
    cases.record_statement(case, statement="无异议", actor=handlers[0].user)
    with pytest.raises(TransitionNotAllowed, match="陈述、申辩期限"):
        cases.decide(case, actor=head)
    cases.record_statement(case, waived=True, actor=handlers[0].user)
    cases.decide(case, actor=head)
    assert case.status == CaseStatus.DECIDED


def test_no_decision_without_the_prior_notice(agency, handlers, head, officer, item):
    case = filed(agency, handlers, head, item)
    cases.propose_penalty(case, fine_amount="2000", actor=officer)
    with pytest.raises(TransitionNotAllowed):
        cases.decide(case, actor=head)


def test_after_the_notice_only_a_lighter_penalty_may_be_proposed(agency, handlers, head, officer, item):
    case = notified(agency, handlers, head, item, fine="2000")
    with pytest.raises(ValidationFailed, match="第四十五条第二款"):
        cases.propose_penalty(case, fine_amount="2500", actor=officer)
    cases.propose_penalty(case, fine_amount="1500", actor=officer)


def test_a_hearing_is_offered_for_large_fines_and_asked_for_within_five_days(
    agency, handlers, head, officer, item
):
    small = notified(agency, handlers, head, item, fine="2000")
    assert not small.hearing_offered
    with pytest.raises(TransitionNotAllowed, match="第六十三条"):
        cases.request_hearing(small, actor=officer, hearing_on=days(10))
    person = new_case(agency, officer, item, kind=PartyKind.PERSON)
    cases.file_case(person, officers=handlers, actor=head)
    cases.propose_penalty(person, fine_amount="5000", actor=officer)  # 公民: 5,000 yuan is 较大数额 in 广东
    assert person.legal_review_required
    cases.submit_for_review(person, actor=officer)
    cases.give_legal_review(
        person,
        passed=True,
        opinion="同意",
        actor=make_staff(COUNTY_A, "case_legal_reviewer", organisation=agency),
    )
    cases.serve_prior_notice(person, actor=officer)
    assert person.hearing_offered
    # Five days from the notice, the last day moved past rest days (民法典第二百零三条): late the day after.
    last = rules.HEARING_REQUEST_PERIOD.ends(person.notified_on)
    assert last >= person.notified_on + datetime.timedelta(days=5)
    with on(last + datetime.timedelta(days=1)), pytest.raises(TransitionNotAllowed, match="五日内"):
        cases.request_hearing(person, actor=officer, hearing_on=last + datetime.timedelta(days=20))
    with pytest.raises(ValidationFailed, match="七日前"):
        cases.request_hearing(person, actor=officer, hearing_on=days(6))
    cases.request_hearing(person, actor=officer, hearing_on=days(7))
    with pytest.raises(TransitionNotAllowed, match="听证"):
        cases.decide(person, actor=head)


def test_a_grave_case_is_decided_after_collective_discussion(agency, handlers, head, reviewer, item):
    case = notified(
        agency, handlers, head, item, fine="2000", grave=True, reviewer=reviewer, notified_on=days(-10)
    )
    with pytest.raises(TransitionNotAllowed, match="第五十七条第二款"):
        cases.decide(case, actor=head)
    cases.record_discussion(case, record="负责人集体讨论同意", actor=handlers[0].user)
    cases.decide(case, actor=head)


def test_one_conduct_is_not_fined_twice_until_the_first_decision_is_revoked(
    agency, handlers, head, officer, item
):
    first = notified(agency, handlers, head, item, fine="2000", notified_on=days(-10))
    second = notified(agency, handlers, head, item, fine="3000", party=first.party, notified_on=days(-10))
    assert first.conduct_key == second.conduct_key
    cases.decide(first, actor=head)
    with pytest.raises(TransitionNotAllowed, match="第二十九条"):
        cases.decide(second, actor=head)
    cases.revoke_decision(first, reason="行政复议决定撤销", actor=head)
    assert HubRecord.objects.filter(record_key=first.number).latest("pk").data["status"] == "已撤销"
    cases.decide(second, actor=head)
    assert_audited(CaseAuditEvent.DECISION_REVOKED, obj=first, actor=head, count=1)


def test_a_case_is_dropped_or_not_filed_with_a_reason(agency, handlers, head, officer):
    lead = new_case(agency, officer)
    with pytest.raises(ValidationFailed):
        cases.not_file_case(lead, reason=" ", actor=head)
    cases.not_file_case(lead, reason="违法事实不成立", actor=head)
    assert lead.status == CaseStatus.NOT_FILED and lead.clock_code == ""
    case = filed(agency, handlers, head)
    cases.drop_case(case, reason="违法行为轻微并及时改正", actor=head)
    cases.close_case(case, actor=officer)
    assert case.status == CaseStatus.CLOSED


def test_another_agency_cannot_act_on_the_case(agency, handlers, head, officer):
    case = filed(agency, handlers, head)
    other_head = make_staff(
        COUNTY_A,
        "agency_head",
        organisation=makers.agency_in(COUNTY_A, "urban_management", name="广州市天河区城市管理和综合执法局"),
    )
    with pytest.raises((PermissionDenied, TransitionNotAllowed)):
        cases.drop_case(case, reason="越权", actor=other_head)


# --- payments ---------------------------------------------------------------------------------------------------


def served(agency, handlers, head, item, fine="10000"):
    case = notified(agency, handlers, head, item, fine=fine, notified_on=days(-10))
    cases.record_statement(case, waived=True, actor=handlers[0].user)
    cases.decide(case, actor=head, decided_on=days(-10))
    cases.serve_decision(case, method=ServiceMethod.IN_PERSON, actor=handlers[0].user, served_on=days(-10))
    return case


def test_a_late_payment_accrues_the_surcharge_which_must_be_paid(agency, handlers, head, officer, item):
    case = served(agency, handlers, head, item, fine="10000")
    due = case.payment_due_on
    late = due + datetime.timedelta(days=2)
    with on(late):
        assert cases.surcharge(case, late) == Decimal("600.00")  # 2 days × 3 % of 10,000
        cases.record_payment(case, amount="10000", paid_on=late, actor=officer)
        assert case.surcharge_amount == Decimal("600.00") and case.amount_due == Decimal("600.00")
        with pytest.raises(TransitionNotAllowed, match="未缴600元"):
            cases.execute_case(case, actor=officer)
        with pytest.raises(ValidationFailed):
            cases.record_payment(case, amount="601", kind=PaymentKind.SURCHARGE, actor=officer)
        cases.record_payment(case, amount="600", kind=PaymentKind.SURCHARGE, actor=officer)
        cases.execute_case(case, actor=officer)
    assert case.status == CaseStatus.EXECUTED


def test_instalments_move_the_payment_clock_and_the_surcharge_runs_per_instalment(
    agency, handlers, head, officer, item
):
    case = served(agency, handlers, head, item, fine="10000")
    first, second = days(5), days(35)
    with pytest.raises(PermissionDenied):
        cases.approve_instalments(case, plan=[(first, "4000"), (second, "6000")], actor=officer)
    with pytest.raises(ValidationFailed, match="10000元"):
        cases.approve_instalments(case, plan=[(first, "4000"), (second, "5000")], actor=head)
    cases.approve_instalments(case, plan=[(first, "4000"), (second, "6000")], actor=head)
    assert case.payment_due_on == second and case.clock_due_on == first
    cases.record_payment(case, amount="4000", kind=PaymentKind.INSTALMENT, actor=officer)
    assert case.clock_due_on == second
    assert cases.surcharge(case, second + datetime.timedelta(days=1)) == Decimal("180.00")  # 3 % of 6,000


def test_the_payment_term_over_a_holiday_ends_on_the_next_working_day(agency, handlers, head, officer, item):
    case = served(agency, handlers, head, item)
    assert case.payment_due_on == rules.PAYMENT_PERIOD.ends(case.served_on)
    assert case.payment_due_on >= case.served_on + datetime.timedelta(days=15)


def test_the_case_list_reads_its_parts_in_one_query(agency, handlers, head, officer, item):
    for _ in range(3):
        filed(agency, handlers, head, item)
    with assert_max_queries(
        3
    ):  # the user's permissions, then one query for the page with agency, party and item
        rows = [
            (c.number, c.party.name, c.agency.name, c.item.name, c.jurisdiction.name)
            for c in case_queries.list_cases(officer)
        ]
    assert len(rows) == 3


def test_a_past_hearing_is_entered_with_its_own_dates(agency, handlers, head, officer, reviewer, item):
    case = notified(agency, handlers, head, item, fine="80000", reviewer=reviewer, notified_on=days(-30))
    with pytest.raises(ValidationFailed, match="七日前"):
        cases.request_hearing(case, actor=officer, requested_on=days(-28), hearing_on=days(-22))
    cases.request_hearing(case, actor=officer, requested_on=days(-28), hearing_on=days(-21))
    cases.record_hearing(case, record="当事人到场申辩", actor=officer)
    cases.decide(case, actor=head, decided_on=days(-15))
    assert case.decided_on == days(-15) and case.clock_due_on == rules.SERVICE_PERIOD.ends(days(-15))


def test_instalments_approved_before_service_are_the_payment_term(agency, handlers, head, officer, item):
    case = notified(agency, handlers, head, item, fine="10000", notified_on=days(-10))
    cases.record_statement(case, waived=True, actor=officer)
    cases.decide(case, actor=head)
    cases.approve_instalments(
        case, plan=[{"due_on": days(10), "amount": "5000"}, (days(40), "5000")], actor=head
    )
    cases.serve_decision(case, method=ServiceMethod.POST, actor=officer)
    assert case.payment_due_on == days(40) and case.clock_due_on == days(10)
    assert_audited(CaseAuditEvent.INSTALMENTS_APPROVED, obj=case, actor=head, count=1)
