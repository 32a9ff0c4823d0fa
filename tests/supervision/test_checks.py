"""The supervision checks: each rule fires on a case crafted to break it and stays silent on a lawful one; the
set-based scan and the naive per-case scan find exactly the same (rule, case, evidence)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from smartjustice.core.testing import COUNTY_A, assert_audited
from smartjustice.enforcement.choices import CaseStatus, PartyKind, PaymentKind
from smartjustice.enforcement.models import CasePayment
from smartjustice.supervision import checks
from smartjustice.supervision.choices import FlagRule, FlagStatus, SupervisionAuditEvent
from smartjustice.supervision.models import SupervisionFlag
from tests.supervision import makers

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world(db):
    org = makers.agency(COUNTY_A)
    a, b = makers.officer(org, name="李执法"), makers.officer(org, name="王执法")
    uncertified = makers.officer(org, name="赵未发证", certified=False)
    it = makers.item(org)
    today = makers.today()
    w = {"org": org, "a": a, "b": b, "item": it}
    pair = (a, b)
    w["clean"] = makers.decided(org, handlers=pair, it=it)
    w["clean_served_paid"] = makers.decided(
        org,
        handlers=pair,
        it=it,
        status=CaseStatus.EXECUTED,
        served_on=today - 50 * DAY,
        payment_due_on=today - 35 * DAY,
        executed_on=today - 36 * DAY,
    )
    CasePayment.objects.create(
        case=w["clean_served_paid"],
        kind=PaymentKind.FINE,
        amount=Decimal("8000.00"),
        paid_on=today - 36 * DAY,
        receipt_number="PJ-0001",
        recorded_by=a.user,
    )
    w["clean_paused"] = makers.case(
        org,
        handlers=pair,
        clock_code="decision",
        clock_due_on=today - 3 * DAY,
        clock_paused_on=today - 10 * DAY,
    )
    w[FlagRule.STAGE_OVERDUE] = makers.case(
        org, handlers=pair, clock_code="decision", clock_due_on=today - DAY
    )
    w[FlagRule.FINE_OUT_OF_RANGE] = makers.decided(
        org, handlers=pair, it=it, fine=Decimal("60000.00"), hearing_offered=True, benchmark=None
    )
    w[FlagRule.FINE_OUTSIDE_BENCHMARK] = makers.decided(
        org, handlers=pair, it=it, fine=Decimal("25000.00"), hearing_offered=True
    )
    w[FlagRule.UNCERTIFIED_HANDLER] = makers.case(org, handlers=(a, uncertified))
    w[FlagRule.SINGLE_OFFICER] = makers.case(org, handlers=(a,))
    w[FlagRule.LEGAL_REVIEW_MISSING] = makers.decided(org, handlers=pair, it=it, legal_review_required=True)
    w[FlagRule.HEARING_NOTICE_MISSING] = makers.decided(
        org,
        handlers=pair,
        fine=Decimal("15000.00"),
        hearing_offered=False,
        party_obj=makers.party(org, kind=PartyKind.PERSON),
    )
    first = makers.decided(org, handlers=pair, it=it)
    w[FlagRule.FINED_TWICE] = makers.decided(
        org, handlers=pair, it=it, party_obj=first.party, conduct_key=first.conduct_key
    )
    w["twice_first"] = first
    w[FlagRule.UNEXECUTED] = makers.decided(
        org,
        handlers=pair,
        it=it,
        status=CaseStatus.SERVED,
        served_on=today - 50 * DAY,
        payment_due_on=today - 35 * DAY,
    )
    w[FlagRule.OPEN_TOO_LONG] = makers.case(org, handlers=pair, filed_on=today - 100 * DAY)
    return w


def test_every_rule_fires_on_its_crafted_case(world):
    found = checks.scan(write=False).found
    for code in FlagRule.values:
        assert world[code].pk in found[code], f"{code} did not fire on its case"


@pytest.mark.parametrize("name", ["clean", "clean_served_paid", "clean_paused"])
def test_a_lawful_case_raises_nothing(world, name):
    found = checks.scan(write=False).found
    fired = [code for code, cases in found.items() if world[name].pk in cases]
    assert fired == [], f"{name} raised {fired}: {[found[c][world[name].pk] for c in fired]}"


def test_each_crafted_case_breaks_only_what_it_was_built_to_break(world):
    found = checks.scan(write=False).found
    expected_extra = {
        # a fine of 60 000 元 on a person is also a 较大数额; hearing_offered is set, so only the range rule fires
        FlagRule.FINE_OUT_OF_RANGE: set(),
        FlagRule.FINED_TWICE: set(),
        # the stage clocks (enforcement/case_workflow.py) run out too: 第六十条's decision clock, the payment clock
        FlagRule.OPEN_TOO_LONG: {FlagRule.STAGE_OVERDUE},
        FlagRule.UNEXECUTED: {FlagRule.STAGE_OVERDUE},
    }
    for code in FlagRule.values:
        fired = {c for c, cases in found.items() if world[code].pk in cases} - {code}
        assert fired == expected_extra.get(code, set()), f"{code}'s case also raised {fired}"


def test_the_evidence_says_why(world):
    found = checks.scan(write=False).found
    assert found[FlagRule.FINE_OUT_OF_RANGE][world[FlagRule.FINE_OUT_OF_RANGE].pk]["ranges"] == [
        [5000, 50000]
    ]
    handlers = found[FlagRule.UNCERTIFIED_HANDLER][world[FlagRule.UNCERTIFIED_HANDLER].pk]["handlers"]
    assert [h["name"] for h in handlers] == ["赵未发证"]
    assert "未取得行政执法证" in handlers[0]["reason"]
    twice = found[FlagRule.FINED_TWICE][world[FlagRule.FINED_TWICE].pk]
    assert [o["case_id"] for o in twice["others"]] == [world["twice_first"].pk]
    unpaid = found[FlagRule.UNEXECUTED][world[FlagRule.UNEXECUTED].pk]
    assert unpaid["paid"] == "0.00" and unpaid["fine_amount"] == "8000.00"
    assert checks.explain(
        FlagRule.SINGLE_OFFICER, found[FlagRule.SINGLE_OFFICER][world[FlagRule.SINGLE_OFFICER].pk]
    ) == ("普通程序案件处于“调查取证”阶段，承办人 1 人，少于 2 人")


def test_scan_and_naive_scan_find_the_same(world):
    fast = checks.scan(write=False)
    slow = checks.scan_naive(write=False)
    assert fast.found == slow.found
    assert fast.total >= len(FlagRule.values)


def test_both_scans_write_the_same_flags(world):
    def flags():
        return sorted(
            SupervisionFlag.objects.values_list("case_id", "rule", "status", "evidence", "agency_id")
        )

    checks.scan()
    by_scan = flags()
    SupervisionFlag._base_manager.all().delete()
    checks.scan_naive()
    assert flags() == by_scan
    assert len(by_scan) == checks.scan(write=False).total


def test_a_scan_is_one_audit_entry_and_a_rerun_creates_nothing(world):
    first = checks.scan()
    assert first.created == first.total
    assert_audited(SupervisionAuditEvent.SCAN_COMPLETED, count=1)
    again = checks.scan()
    assert (again.created, again.refreshed, again.resolved) == (0, first.total, 0)


def test_a_fixed_case_resolves_its_flag_and_a_dismissed_flag_stays_dismissed(world):
    checks.scan()
    case = world[FlagRule.SINGLE_OFFICER]
    makers.assignments.assign(case, user=world["b"].user, role="handler", actor=world["a"].user)
    dismissed = SupervisionFlag.objects.get(case=world[FlagRule.OPEN_TOO_LONG], rule=FlagRule.OPEN_TOO_LONG)
    SupervisionFlag._base_manager.filter(pk=dismissed.pk).update(status=FlagStatus.DISMISSED)
    result = checks.scan()
    flag = SupervisionFlag.objects.get(case=case, rule=FlagRule.SINGLE_OFFICER)
    assert flag.status == FlagStatus.RESOLVED and flag.resolved_at is not None
    assert result.resolved == 1
    assert not SupervisionFlag.objects.filter(
        case=world[FlagRule.OPEN_TOO_LONG], rule=FlagRule.OPEN_TOO_LONG, status=FlagStatus.OPEN
    ).exists()


def test_a_revoked_certificate_fires_at_once(world):
    from smartjustice.core.testing import make_staff
    from smartjustice.credentials import services as credentials

    case = world["clean"]
    issuer = make_staff(COUNTY_A, "credential_officer")
    credentials.revoke_credential(world["b"].credential, actor=issuer, reason="调离执法岗位")
    found = checks.scan(write=False, rules=[FlagRule.UNCERTIFIED_HANDLER]).found
    assert "吊销" in found[FlagRule.UNCERTIFIED_HANDLER][case.pk]["handlers"][0]["reason"]
    assert checks.scan_naive(write=False, rules=[FlagRule.UNCERTIFIED_HANDLER]).found == found


def test_an_officer_outside_the_domain_is_not_certified_for_the_case(world):
    org = world["org"]
    org.domains = ["transport"]  # the agency also enforces in transport; this officer only there
    org.save(update_fields=["domains"])
    transport = makers.officer(org, name="钱交通", domains=("transport",))
    case = makers.case(org, handlers=(world["a"], transport))
    found = checks.scan(write=False, rules=[FlagRule.UNCERTIFIED_HANDLER]).found
    assert [h["name"] for h in found[FlagRule.UNCERTIFIED_HANDLER][case.pk]["handlers"]] == ["钱交通"]


def test_an_instalment_not_yet_due_is_not_unexecuted(world):
    case = world[FlagRule.UNEXECUTED]
    CasePayment.objects.create(
        case=case,
        kind=PaymentKind.INSTALMENT,
        amount=Decimal("4000.00"),
        due_on=timezone.localdate() + 10 * DAY,
        recorded_by=world["a"].user,
    )
    assert case.pk not in checks.scan(write=False).found[FlagRule.UNEXECUTED]
    assert case.pk not in checks.scan_naive(write=False).found[FlagRule.UNEXECUTED]


def test_the_rules_cite_the_articles():
    from smartjustice.supervision import rules

    assert str(rules.FINED_TWICE.citation).endswith("第二十九条")
    assert rules.DECISION_PERIOD.days == 90 and "第六十条" in str(rules.DECISION_PERIOD.citation)
    assert "行政强制法" in str(rules.EXECUTION_GRACE.citation) and rules.EXECUTION_GRACE.days == 30
    assert set(rules.RULES) == set(FlagRule.values)


def test_a_licence_revocation_needs_the_hearing_notice_whatever_the_fine(world):
    org = world["org"]
    revoked = makers.decided(
        org,
        handlers=(world["a"], world["b"]),
        fine=Decimal("2000.00"),
        other_sanctions=["吊销许可证件"],
        hearing_offered=False,
    )
    offered = makers.decided(
        org,
        handlers=(world["a"], world["b"]),
        fine=Decimal("2000.00"),
        other_sanctions=["吊销许可证件"],
        hearing_offered=True,
    )
    warned = makers.decided(
        org, handlers=(world["a"], world["b"]), fine=Decimal("2000.00"), other_sanctions=["警告、通报批评"]
    )
    found = checks.scan(write=False, rules=[FlagRule.HEARING_NOTICE_MISSING]).found[
        FlagRule.HEARING_NOTICE_MISSING
    ]
    assert found[revoked.pk]["sanctions"] == ["吊销许可证件"]
    assert offered.pk not in found and warned.pk not in found
    assert (
        checks.scan_naive(write=False, rules=[FlagRule.HEARING_NOTICE_MISSING]).found[
            FlagRule.HEARING_NOTICE_MISSING
        ]
        == found
    )
