"""The 行政执法 demo (`smartjustice load_demo`): certified officers in several cities, a case in every stage of the
ordinary procedure and on-the-spot cases of the simplified one, a published 双随机 plan — all through the services."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from smartjustice.core import demo
from smartjustice.core.models import AuditEntry, Organisation
from smartjustice.enforcement import demo as enforcement_demo
from smartjustice.enforcement.choices import CaseStatus, InspectionPlanStatus, InspectionResult, Procedure
from smartjustice.enforcement.eligibility import is_eligible
from smartjustice.enforcement.models import (
    EnforcementCase,
    EnforcementItem,
    EnforcementOfficer,
    Inspection,
    InspectionPlan,
)

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The full demo, loaded once for this module inside a transaction that is rolled back afterwards, with the laws
    the demo power list is drafted from imported into the statute library."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        call_command("laws", "import", "--laws", *enforcement_demo.spec()["power_list"]["laws"], verbosity=0)
        demo.load()
        steps = {step.label: step for step in demo.load_domains()}
        yield steps
        transaction.set_rollback(True)


def test_the_power_list_publishes_the_items_the_cases_cite_with_benchmarks_and_keeps_the_rest_as_drafts(
    loaded,
):
    entry = enforcement_demo.spec()["power_list"]
    items = EnforcementItem.objects.filter(organisation__name=entry["agency"])
    published = items.filter(status="published")
    assert set(published.values_list("source", flat=True)) == set(entry["publish"])
    assert all(item.benchmarks.exists() for item in published)
    assert items.filter(status="draft").exists()
    cited = {case.item.source for case in EnforcementCase.objects.exclude(item=None).select_related("item")}
    assert cited == set(entry["publish"])


def test_every_stage_of_the_ordinary_procedure_has_a_case(loaded):
    ordinary = set(
        EnforcementCase.objects.filter(procedure=Procedure.ORDINARY).values_list("status", flat=True)
    )
    assert ordinary == set(CaseStatus.values)


def test_the_simplified_procedure_has_cases_decided_on_the_spot_and_carried_to_the_archive(loaded):
    simplified = EnforcementCase.objects.filter(procedure=Procedure.SIMPLIFIED)
    assert set(simplified.values_list("status", flat=True)) == {
        CaseStatus.SERVED,
        CaseStatus.EXECUTED,
        CaseStatus.CLOSED,
        CaseStatus.ARCHIVED,
    }
    assert all(case.decision_number and case.served_on for case in simplified)
    assert simplified.filter(signature_refused=True).exists()
    assert simplified.filter(party_signature__isnull=False).exists()


def test_every_case_was_made_through_the_services(loaded):
    # Each case has its creation entry (登记线索 or 当场处罚) and, once filed, two certified handlers.
    cases = EnforcementCase.objects.all()
    audited = set(
        AuditEntry.objects.filter(object_type="enforcement.enforcementcase").values_list(
            "object_id", flat=True
        )
    )
    assert {str(pk) for pk in cases.values_list("pk", flat=True)} <= audited
    for case in cases.exclude(status__in=(CaseStatus.LEAD, CaseStatus.NOT_FILED)):
        assert case.number, case


def test_officers_in_several_cities_hold_valid_certificates(loaded):
    officers = EnforcementOfficer.objects.select_related("user", "jurisdiction", "credential", "agency")
    cities = {officer.jurisdiction_id[:4] for officer in officers}
    assert {"4401", "4403", "4402"} <= cities
    for officer in officers:
        domain = officer.domains[0]
        assert is_eligible(officer, domain, officer.jurisdiction_id), officer
        assert officer.credential.issuer.kind == "justice_bureau"


def test_the_random_inspection_plan_is_drawn_inspected_and_published(loaded):
    plan = InspectionPlan.objects.get(agency=Organisation.objects.get(name="广州市天河区市场监督管理局"))
    assert plan.status == InspectionPlanStatus.PUBLISHED and plan.seed_commitment
    inspections = Inspection.objects.filter(plan=plan)
    assert inspections.exists()
    assert not inspections.filter(result=InspectionResult.PENDING).exists()
    failed = inspections.filter(result=InspectionResult.FAILED)
    assert all(inspection.case_id for inspection in failed)


def test_loading_again_creates_nothing(loaded):
    counts = (
        EnforcementCase.objects.count(),
        EnforcementOfficer.objects.count(),
        InspectionPlan.objects.count(),
    )
    again = enforcement_demo.load()
    assert again.created == 0 and again.existing > 0
    assert (
        EnforcementCase.objects.count(),
        EnforcementOfficer.objects.count(),
        InspectionPlan.objects.count(),
    ) == counts
