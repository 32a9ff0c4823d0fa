"""In/Out/Filter schemas of 执法公示."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from smartjustice.core.api.blocks import TransitionOut, TransitionRecordOut
from smartjustice.core.pagination import Id

from . import metrics


class MetricOut(Schema):
    code: str
    name: str
    unit: str
    definition: str
    manual: bool
    count: str
    sum: str
    where: dict


class ReportFilter(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度")
    status: str = Field("", description="状态：draft/submitted/returned/accepted")
    q: str = Field("", max_length=100, description="区划或填报单位名称")


class ReportIn(Schema):
    year: int = Field(..., ge=2000, le=2100, description="年度")


class FigureIn(Schema):
    value: float = Field(..., ge=0, le=1e15, description="数值")
    note: str = Field("", max_length=300, description="说明（选填）")


class ReportReturnIn(Schema):
    reason: str = Field(..., min_length=2, max_length=500, description="退回理由")


class FigureOut(Schema):
    metric: str
    name: str
    unit: str
    value: float | None
    source: str
    computed_at: datetime | None
    note: str

    @staticmethod
    def resolve_name(obj) -> str:
        found = metrics.get(obj.metric)
        return found.name if found else obj.metric

    @staticmethod
    def resolve_unit(obj) -> str:
        found = metrics.get(obj.metric)
        return found.unit if found else ""


class ReportOut(Schema):
    id: int
    year: int
    level: int
    status: str
    status_label: str
    jurisdiction_code: str = Field(..., alias="jurisdiction_id")
    jurisdiction_name: str = Field(..., alias="jurisdiction.name")
    organisation_name: str = Field(..., alias="organisation.name")
    due_on: date | None
    computed_at: datetime | None
    submitted_at: datetime | None
    reviewed_at: datetime | None
    return_reason: str


class ReportDetailOut(ReportOut):
    figures: list[FigureOut]
    transitions: list[TransitionOut]
    history: list[TransitionRecordOut]

    @staticmethod
    def resolve_figures(obj) -> list:
        return list(obj.figures.all())

    @staticmethod
    def resolve_transitions(obj) -> list:
        return getattr(obj, "_transitions", [])

    @staticmethod
    def resolve_history(obj) -> list:
        return getattr(obj, "_history", [])


class CheckOut(Schema):
    metric: str
    name: str
    reported: float | None
    children: float
    own: float
    expected: float
    difference: float | None
    ok: bool
    missing: list[str]


class DrilldownCaseOut(Schema):
    id: int
    number: str | None
    cause: str
    agency_name: str = Field(..., alias="agency.name")
    procedure: str
    status: str
    filed_on: date | None
    decided_on: date | None
    fine_amount: float | None


class DecisionFilter(Schema):
    q: str = Field("", max_length=100, description="文书号、案由、执法主体或单位名称")
    region: str = Field("", max_length=12, description="区划代码（12 位）")
    year: int | None = Field(None, ge=2000, le=2100, description="决定年度")
    agency: Id | None = Field(None, description="执法主体 ID")


class DecisionOut(Schema):
    id: int = Field(..., alias="pk")
    decision_number: str
    decided_on: date | None
    agency: str
    jurisdiction: str
    party_kind: str
    party_name: str
    cause: str
    fine_amount: float | None
    confiscated_amount: float | None


class DecisionDetailOut(DecisionOut):
    party_id_number: str
    legal_representative: str
    party_address: str
    facts: str
    location: str
    legal_basis: str
    other_sanctions: list
    procedure: str
    withdrawn: bool
    revoked_on: date | None
    revocation_reason: str

    @staticmethod
    def resolve_withdrawn(obj) -> bool:
        return obj.revoked_on is not None


class PublishedRowOut(Schema):
    code: str
    name: str
    level: int
    year: int
    values: dict[str, float | None]


TRANSITION_INPUTS = {"return_report": ReportReturnIn}
