"""Generated API access and audit tests of 双随机、一公开 (core.testing.ApiModelTests)."""

import pytest

from smartjustice.core.choices import OrganisationKind
from smartjustice.core.testing import ApiModelTests, Place, organisation_in
from smartjustice.enforcement.choices import CaseAuditEvent
from smartjustice.enforcement.models import ConflictOfInterest, Inspection, InspectionPlan, RegulatedEntity
from tests.enforcement import inspection_makers
from tests.enforcement.officer_makers import agency_in


class _AgencyPlaces:
    """Records belong to 行政执法主体: the own and peer organisations are enforcement agencies."""

    @pytest.fixture(autouse=True)
    def _api_model_places(self, db):
        self.own = Place(self.own_code, agency_in(self.own_code))
        self.peer = Place(self.peer_code, agency_in(self.peer_code))
        self.other_organisation = Place(
            self.own_code, organisation_in(self.own_code, OrganisationKind.NOTARY_OFFICE)
        )


class TestRegulatedEntityApi(_AgencyPlaces, ApiModelTests):
    model = RegulatedEntity
    list_url = "enforcement/entities"
    detail_url = "enforcement/entities/{pk}"
    roles = ("inspection_planner",)
    factory = inspection_makers.entity
    create_payload = inspection_makers.entity_payload
    create_event = CaseAuditEvent.ENTITY_REGISTERED


class TestInspectionPlanApi(_AgencyPlaces, ApiModelTests):
    model = InspectionPlan
    list_url = "enforcement/plans"
    detail_url = "enforcement/plans/{pk}"
    roles = ("inspection_planner",)
    factory = inspection_makers.plan
    create_payload = inspection_makers.plan_payload
    create_event = CaseAuditEvent.PLAN_CREATED
    update_payload = {"name": "2026年市场监管双随机抽查（修订）"}
    update_event = CaseAuditEvent.PLAN_UPDATED


class TestInspectionApi(_AgencyPlaces, ApiModelTests):
    model = Inspection
    list_url = "enforcement/inspections"
    detail_url = "enforcement/inspections/{pk}"
    roles = ("inspection_planner",)
    factory = inspection_makers.inspection


class TestConflictOfInterestApi(_AgencyPlaces, ApiModelTests):
    model = ConflictOfInterest
    list_url = "enforcement/conflicts"
    detail_url = "enforcement/conflicts/{pk}"
    roles = ("inspection_planner",)
    factory = inspection_makers.conflict
    create_payload = inspection_makers.conflict_payload
    create_event = CaseAuditEvent.CONFLICT_REGISTERED
