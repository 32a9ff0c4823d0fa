"""In/out schemas of the 行政执法 API: the power list (items, basis, sanctions, benchmarks)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from ninja import Field, Schema

from smartjustice.core.pagination import Id
from smartjustice.core.schemas import PatchSchema

from .models import EnforcementItem

# --- power list (权责清单) ---------------------------------------------------------------------------------------------


class ItemBasisIn(Schema):
    law: str = Field(
        ..., min_length=2, max_length=300, description="法律法规全称，如 中华人民共和国行政处罚法"
    )
    article: int = Field(..., ge=1, le=9999, description="条号（阿拉伯数字）")
    paragraph: int | None = Field(None, ge=1, le=99, description="款号（可不填）")


class ItemBasisOut(Schema):
    law: str
    article: int
    paragraph: int | None
    label: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    message: str
    url: str
    flagged: bool

    @staticmethod
    def resolve_label(obj) -> str:
        return str(obj)


class ItemSanctionIn(Schema):
    kind: str = Field(
        ..., max_length=32, description="处罚种类，如 罚款、没收违法所得、吊销许可证件、行政拘留"
    )
    lower: int | None = Field(None, ge=0, le=10**13)
    upper: int | None = Field(None, ge=0, le=10**13)
    multiple_of: str = Field("", max_length=64, description="倍数基数，如 违法所得")
    multiple_lower: float | None = Field(None, ge=0, le=1000)
    multiple_upper: float | None = Field(None, ge=0, le=1000)
    unit: str = Field("", max_length=16)


class ItemSanctionOut(Schema):
    kind: str
    lower: int | None
    upper: int | None
    multiple_of: str
    multiple_lower: float | None
    multiple_upper: float | None
    unit: str
    text: str = Field(..., alias="describe")


class DiscretionBenchmarkIn(Schema):
    circumstance: str = Field(..., min_length=1, max_length=500, description="违法情节")
    grade: str = Field(..., description="no_penalty 不予处罚 / lighter 从轻 / ordinary 一般 / heavier 从重")
    fine_lower: int | None = Field(None, ge=0, le=10**13, description="罚款下限（元）")
    fine_upper: int | None = Field(None, ge=0, le=10**13, description="罚款上限（元）")
    exemption_list: str = Field("", description="'' / no_penalty 不予处罚清单 / first_violation 首违不罚清单")
    other_sanctions: str = Field("", max_length=300)


class DiscretionBenchmarkOut(Schema):
    id: int
    circumstance: str
    grade: str
    grade_label: str = Field(..., alias="get_grade_display")
    fine_lower: int | None
    fine_upper: int | None
    exemption_list: str
    exemption_list_label: str = Field(..., alias="get_exemption_list_display")
    other_sanctions: str


class EnforcementItemOut(Schema):
    id: int
    code: str
    name: str
    item_type: str
    item_type_label: str = Field(..., alias="get_item_type_display")
    domain: str
    levels: list[str]
    level_labels: list[str]
    organisation_id: int
    organisation_name: str = Field(..., alias="organisation.name")
    description: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    basis_status: str
    basis_status_label: str = Field(..., alias="get_basis_status_display")
    basis_flagged: bool
    bases: list[ItemBasisOut]
    sanctions: list[ItemSanctionOut]
    benchmarks: list[DiscretionBenchmarkOut]
    published_at: datetime | None

    @staticmethod
    def resolve_level_labels(obj) -> list[str]:
        return obj.level_labels

    @staticmethod
    def resolve_bases(obj):
        return list(obj.bases.all())

    @staticmethod
    def resolve_sanctions(obj):
        return list(obj.sanctions.all())

    @staticmethod
    def resolve_benchmarks(obj):
        return list(obj.benchmarks.all())


ITEM_TYPES = (
    "penalty 行政处罚 / licensing 行政许可 / compulsion 行政强制 / inspection 行政检查 / levy 行政征收 / "
    "benefit 行政给付 / confirmation 行政确认 / reward 行政奖励 / other 其他"
)


class EnforcementItemIn(Schema):
    code: str = Field(
        "", max_length=64, description="事项编码；不填则按“类型-区划-领域-序号”生成，如 CF-440106-SC-0001"
    )
    name: str = Field(..., min_length=1, max_length=300)
    item_type: str = Field(..., description=ITEM_TYPES + "（处罚种类与幅度、裁量基准仅限行政处罚事项）")
    organisation_id: Id | None = Field(None, description="实施主体；不填为本人所在机关")
    domain: str = Field("", description="执法领域代码，如 market_regulation")
    levels: list[str] = Field(
        default_factory=list,
        max_length=4,
        description="行使层级：province 省级 / city 市级 / county 县级 / town 乡镇（街道）",
    )
    description: str = Field("", max_length=5000)
    bases: list[ItemBasisIn] = Field(default_factory=list, max_length=50)
    sanctions: list[ItemSanctionIn] = Field(default_factory=list, max_length=50)


class EnforcementItemPatch(PatchSchema):
    patch_model: ClassVar = EnforcementItem

    code: str | None = Field(None, max_length=64, description="留空则重新生成")
    name: str | None = Field(None, min_length=1, max_length=300)
    item_type: str | None = None
    organisation_id: Id | None = None
    domain: str | None = None
    levels: list[str] | None = Field(None, max_length=4)
    description: str | None = Field(None, max_length=5000)
    bases: list[ItemBasisIn] | None = Field(None, max_length=50)
    sanctions: list[ItemSanctionIn] | None = Field(None, max_length=50)


class EnforcementItemFilter(Schema):
    q: str = Field("", max_length=100, description="搜索词（事项名称、编码或依据法规）")
    item_type: str = Field("", description="事项类型代码")
    domain: str = Field("", description="执法领域代码")
    level: str = Field(
        "", pattern=r"^(province|city|county|town)?$", description="行使层级：province / city / county / town"
    )
    organisation_id: Id | None = Field(None, description="实施主体")
    flagged: bool | None = Field(None, description="true：只看依据已修改、失效或未找到的事项")


class EnforcementItemManageFilter(EnforcementItemFilter):
    status: str = Field("", description="draft / submitted / returned / published / withdrawn")


class ItemProposalIn(Schema):
    law: str = Field(..., min_length=2, max_length=300, description="法规库中的法律法规名称（可为部分）")
    organisation_id: Id | None = None
    domain: str = ""
    articles: list[int | str] | None = Field(
        None,
        max_length=500,
        description="只采纳这些条：条号，或《法律》第N条（law 匹配多部法律时）；不填则采纳全部建议",
    )
    corrections: dict[str, list[ItemSanctionIn]] | None = Field(
        None, description="条号或《法律》第N条 → 更正后的处罚种类与幅度（代替自动提取的结果）"
    )


class ProposalFilter(Schema):
    law: str = Field(..., min_length=2, max_length=300, description="法规库中的法律法规名称（可为部分）")


class ItemProposalRow(Schema):
    id: int = Field(..., description="法规库条文编号")
    law: str
    article: int
    source: str
    text: str
    sanctions: list[ItemSanctionIn]
    descriptions: list[str]
    existing_id: int | None


class ItemProposalOut(Schema):
    created: list[EnforcementItemOut]
    existing: int
    skipped: int


class EnforcementItemStepIn(Schema):
    """A review step's input (submit / publish / withdraw): a comment kept in the review record."""

    comment: str = Field("", max_length=500, description="意见（可不填）")


class EnforcementItemReturnIn(Schema):
    comment: str = Field(..., min_length=1, max_length=500, description="退回理由")


TRANSITION_INPUTS = {
    "submit": EnforcementItemStepIn,
    "publish": EnforcementItemStepIn,
    "return": EnforcementItemReturnIn,
    "withdraw": EnforcementItemStepIn,
}
