"""In/Out/Filter schemas of the command dashboard, statistics, risk scores and 脱管 incidents (names prefixed so they
stay unique across the whole API)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from smartjustice.core.api.blocks import TransitionRecordOut
from smartjustice.core.pagination import Id

from .models import IncidentOutcome, IncidentStatus, RiskLevel


class CommandCountsOut(Schema):
    subjects: int = Field(..., description="在矫人数")
    open_alerts: int = Field(..., description="待处置预警")
    overdue_alerts: int = Field(..., description="超过处置期限的预警")
    alerts_today: int = Field(..., description="今日新增预警")
    open_incidents: int = Field(..., description="在办脱管查找")
    overdue_incidents: int = Field(..., description="超过期限的脱管查找")
    high_risk: int = Field(..., description="高风险对象")
    as_of: datetime


class CommandFeedFilter(Schema):
    after: int = Field(0, ge=0, le=2**63 - 1, description="只返回编号大于该值的预警（上次收到的最后一条）")
    limit: int = Field(50, ge=1, le=50, description="最多返回条数")


class CommandFeedItemOut(Schema):
    id: int
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    why: str
    started_at: datetime
    handle_by: datetime
    subject_id: int
    subject_name: str = Field(..., alias="subject.name")
    subject_number: str = Field(..., alias="subject.number")
    jurisdiction_code: str = Field(..., alias="jurisdiction_id")
    jurisdiction_name: str = Field(..., alias="jurisdiction.name")
    url: str = Field("", description="预警处置页面")


class CorrectionChartRow(Schema):
    code: str
    name: str
    value: int


class CorrectionTrendOut(Schema):
    months: list[str]
    intake: list[int] = Field(..., description="入矫人数")
    released: list[int] = Field(..., description="解矫（含终止）人数")
    alerts: list[int] = Field(..., description="产生的预警")


class CorrectionStatisticsOut(Schema):
    active: int = Field(..., description="在矫人数")
    minors: int = Field(..., description="在矫未成年人")
    total: int = Field(..., description="全部对象（含已解矫、终止）")
    unscored: int = Field(..., description="尚未评估风险的在矫对象")
    by_category: list[CorrectionChartRow]
    by_level: list[CorrectionChartRow]
    by_offence: list[CorrectionChartRow]
    by_status: list[CorrectionChartRow]
    by_risk: list[CorrectionChartRow]
    by_alert_kind: list[CorrectionChartRow]
    by_region: list[CorrectionChartRow]
    trend: CorrectionTrendOut


class RiskFactorOut(Schema):
    code: str
    label: str
    input: str = Field(..., description="该因素的输入")
    points: int = Field(..., description="贡献的分数")
    max_points: int
    note: str = ""


class RiskScoreOut(Schema):
    id: int
    subject_id: int
    subject_name: str = Field(..., alias="subject.name")
    subject_number: str = Field(..., alias="subject.number")
    computed_at: datetime
    score: float = Field(..., description="风险评分（各因素分数之和）")
    level: str
    level_label: str = Field(..., alias="get_level_display")
    probability: float = Field(..., description="估计概率（示意，未经本地数据校准）")
    model_version: str
    alert_id: int | None = None
    factors: list[RiskFactorOut]


class RiskScoreFilter(Schema):
    subject: Id | None = Field(None, description="社区矫正对象 ID")
    level: RiskLevel | Literal[""] = Field("", description="风险等级")


class RiskAssessIn(Schema):
    subject_id: Id = Field(..., description="社区矫正对象 ID")


class IncidentNoteOut(Schema):
    at: str
    by: str
    kind: str
    text: str


class IncidentOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    subject_id: int
    subject_name: str = Field(..., alias="subject.name")
    subject_number: str = Field(..., alias="subject.number")
    alert_id: int | None = None
    opened_at: datetime
    escalate_by: datetime
    report_by: datetime
    escalated_at: datetime | None = None
    police_unit: str
    reported_at: datetime | None = None
    closed_at: datetime | None = None
    outcome: str
    found_at: datetime | None = None
    jurisdiction_code: str = Field(..., alias="jurisdiction_id")


class IncidentDetailOut(IncidentOut):
    report: str
    notes: list[IncidentNoteOut]
    history: list[TransitionRecordOut] = Field(default_factory=list, alias="_history")


class IncidentFilter(Schema):
    status: IncidentStatus | Literal["", "open"] = Field("", description="状态（open：在办）")
    region: str = Field("", max_length=12, description="区划代码（含下级）")
    subject: Id | None = Field(None, description="社区矫正对象 ID")
    q: str = Field("", max_length=100, description="编号或对象姓名")


class IncidentOpenIn(Schema):
    subject_id: Id = Field(..., description="社区矫正对象 ID")
    alert_id: Id | None = Field(None, description="由哪条预警转入")
    note: str = Field("", max_length=2000, description="失去联系的情况")


class IncidentNoteIn(Schema):
    text: str = Field(..., min_length=1, max_length=2000, description="查找情况")
    found: bool = Field(False, description="已查找到该对象")


class IncidentEscalateIn(Schema):
    police_unit: str = Field(..., min_length=2, max_length=100, description="协助查找的公安机关")
    note: str = Field("", max_length=2000, description="说明")


class IncidentReportIn(Schema):
    report: str = Field(..., min_length=2, max_length=5000, description="查找情况报告")


class IncidentCloseIn(Schema):
    outcome: IncidentOutcome = Field(..., description="处置结果")
    note: str = Field("", max_length=2000, description="说明")


INCIDENT_TRANSITION_INPUTS = {
    "escalate": IncidentEscalateIn,
    "report": IncidentReportIn,
    "close": IncidentCloseIn,
}
