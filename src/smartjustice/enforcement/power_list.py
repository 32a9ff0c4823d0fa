"""Every write of the power list (权责清单): items, their basis and sanctions, proposals from the statute library,
the review (draft → submitted → published) and discretion benchmarks (裁量基准).

Item codes (事项编码). An item created without a code gets one in the style of the Guangdong power-list catalogue,
``<type>-<division>-<domain>-<sequence>``, e.g. ``CF-440106-SC-0001``:

* type — the item type's catalogue abbreviation (``TYPE_PREFIXES``): CF 行政处罚, XK 行政许可, QZ 行政强制,
  JC 行政检查, ZS 行政征收, JF 行政给付, QR 行政确认, JL 行政奖励, QT 其他;
* division — the first six digits of the implementing agency's division code (县级区划, e.g. 440106 天河区);
* domain — two letters of the 执法领域 (``DOMAIN_SEGMENTS``: SC 市场监管, HJ 生态环境, CG 城市管理 …; 00 none);
* sequence — four digits, the next free number under that prefix (allocated under a lock on the division row).

A code typed by staff is kept as typed (letters, digits and hyphens, unique). Levels (行使层级) are
``ImplementingLevel`` codes, stored in the order province → city → county → town. Sanctions and discretion
benchmarks belong to 行政处罚 items only; every other type (许可、强制、检查 …) rests on its basis alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from smartjustice.core import access, audit, workflow
from smartjustice.core.choices import JurisdictionLevel, WorkDomain
from smartjustice.core.citations import Citation
from smartjustice.core.errors import Conflict, PermissionDenied, ValidationFailed
from smartjustice.core.models import Jurisdiction, Organisation

from . import library, rules
from .choices import (
    BasisStatus,
    DiscretionGrade,
    EnforcementAuditEvent,
    ExemptionList,
    ImplementingLevel,
    ItemStatus,
    ItemType,
)
from .extraction import SanctionKind, extract_sanctions
from .models import DiscretionBenchmark, EnforcementItem, ItemBasis, ItemSanction

ITEM_FIELDS = ("code", "name", "item_type", "domain", "levels", "description", "organisation_id")
EDITABLE = (ItemStatus.DRAFT, ItemStatus.RETURNED, ItemStatus.WITHDRAWN)
SANCTION_FIELDS = ("kind", "lower", "upper", "multiple_of", "multiple_lower", "multiple_upper", "unit")
# The worst verdict wins: an item is flagged by its worst basis.
_SEVERITY = [
    BasisStatus.NONE,
    BasisStatus.VALID,
    BasisStatus.AMENDED,
    BasisStatus.NOT_IN_FORCE,
    BasisStatus.NOT_FOUND,
]


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


# --- item codes (事项编码, see the module docstring) -----------------------------------------------------------------

TYPE_PREFIXES = {
    ItemType.PENALTY: "CF",
    ItemType.LICENSING: "XK",
    ItemType.COMPULSION: "QZ",
    ItemType.INSPECTION: "JC",
    ItemType.LEVY: "ZS",
    ItemType.BENEFIT: "JF",
    ItemType.CONFIRMATION: "QR",
    ItemType.REWARD: "JL",
    ItemType.OTHER: "QT",
}
DOMAIN_SEGMENTS = {
    "market_regulation": "SC",
    "ecology_environment": "HJ",
    "urban_management": "CG",
    "transport": "JT",
    "emergency_management": "YJ",
    "agriculture": "NY",
    "culture_tourism": "WH",
    "human_resources": "RS",
    "health": "WS",
    "natural_resources": "ZR",
    "justice": "SF",
}
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")
_SEQUENCE = re.compile(r"-(\d{4,})$")


def code_prefix(item_type: str, organisation: Organisation, domain: str = "") -> str:
    """CF-440106-SC-: the part of a generated code before its sequence number."""
    division = str(organisation.jurisdiction_id or "440000000000")[:6]
    return f"{TYPE_PREFIXES[ItemType(item_type)]}-{division}-{DOMAIN_SEGMENTS.get(domain or '', '00')}-"


def next_code(item_type: str, organisation: Organisation, domain: str = "") -> str:
    """The next free code under the item's prefix (call inside the creating transaction)."""
    prefix = code_prefix(item_type, organisation, domain)
    # Two editors of one division creating at once: the second waits here, then sees the first's code.
    list(Jurisdiction.objects.select_for_update().filter(pk=organisation.jurisdiction_id).values_list("pk"))
    used = EnforcementItem.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(m[1]) for code in used if (m := _SEQUENCE.search(code))]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _ordered_levels(levels) -> list[str]:
    if not isinstance(levels, (list, tuple)) or any(
        level not in ImplementingLevel.values for level in levels
    ):
        raise _invalid(
            "levels",
            "行使层级无效，应为省级（province）、市级（city）、县级（county）、乡镇（town）中的一项或多项",
        )
    return [level for level in ImplementingLevel.values if level in levels]


def _validate_item(item: EnforcementItem) -> None:
    item.code = (item.code or "").strip()
    item.name = (item.name or "").strip()
    if not item.name:
        raise _invalid("name", "请填写事项名称")
    if item.item_type not in ItemType.values:
        raise _invalid(
            "item_type",
            "事项类型无效，应为行政处罚、行政许可、行政强制、行政检查、行政征收、行政给付、行政确认、行政奖励或其他",
        )
    if item.domain and item.domain not in WorkDomain.values:
        raise _invalid("domain", "执法领域无效")
    item.levels = _ordered_levels(item.levels)
    if not item.code:
        item.code = next_code(item.item_type, item.organisation, item.domain)
    if not CODE_PATTERN.match(item.code):
        raise _invalid("code", "事项编码只能由字母、数字和连字符组成，不超过64位，如 CF-440106-SC-0001")
    if EnforcementItem.objects.filter(code=item.code).exclude(pk=item.pk).exists():
        raise _invalid("code", f"事项编码 {item.code} 已被使用")


def _require_penalty_for_sanctions(item: EnforcementItem, sanctions: list[dict] | None) -> None:
    """Sanctions and benchmarks are the 行政处罚's: a 许可、检查 … item carries neither."""
    if item.item_type == ItemType.PENALTY:
        return
    label = ItemType(item.item_type).label
    if sanctions:
        raise _invalid("sanctions", f"只有行政处罚事项可以设定处罚种类与幅度，本事项为{label}")
    if item.pk and sanctions is None and item.sanctions.exists():
        raise _invalid("item_type", f"该事项已设定处罚种类与幅度，改为{label}前请先清空处罚种类与幅度")
    if item.pk and item.benchmarks.exists():
        raise _invalid("item_type", f"该事项已制定裁量基准，改为{label}前请先删除裁量基准")


def _organisation_for(actor, organisation_id: int | None) -> Organisation:
    organisation = (
        Organisation.objects.filter(pk=organisation_id).first()
        if organisation_id
        else getattr(actor, "organisation", None)
    )
    if organisation is None:
        raise _invalid("organisation_id", "请选择实施主体（执法机关）")
    if not access.may_act_in(actor, organisation.jurisdiction_id):
        raise PermissionDenied("不能为本辖区以外的执法机关维护权责清单")
    return organisation


def _clean_bases(bases: Iterable[dict]) -> list[dict]:
    cleaned = []
    for basis in bases:
        law = str(basis.get("law") or "").strip().strip("《》")
        article = basis.get("article")
        if not law or not isinstance(article, int) or article < 1:
            raise _invalid("bases", "执法依据须写明法律法规名称和条号")
        paragraph = basis.get("paragraph") or None
        cleaned.append({"law": law, "article": article, "paragraph": paragraph})
    return cleaned


def _clean_sanctions(sanctions: Iterable[dict]) -> list[dict]:
    cleaned = []
    for sanction in sanctions:
        row = {name: sanction.get(name) for name in SANCTION_FIELDS}
        if row["kind"] not in {kind.value for kind in SanctionKind}:
            raise _invalid("sanctions", f"处罚种类无效：{row['kind']}")
        for low, high in (("lower", "upper"), ("multiple_lower", "multiple_upper")):
            if any(row[n] is not None and row[n] < 0 for n in (low, high)):
                raise _invalid("sanctions", "处罚幅度不能为负数")
            if row[low] is not None and row[high] is not None and row[low] > row[high]:
                raise _invalid("sanctions", f"{row['kind']}的下限不能高于上限")
        row["multiple_of"] = row["multiple_of"] or ""
        row["unit"] = row["unit"] or (
            "元" if row["kind"] == SanctionKind.FINE and not row["multiple_of"] else ""
        )
        cleaned.append(row)
    return cleaned


def _store_bases(item: EnforcementItem, bases: list[dict], *, actor) -> None:
    """Replace the item's basis, each article checked in the statute library, and flag the item by the worst."""
    item.bases.all().delete()
    worst = BasisStatus.NONE
    for basis in bases:
        check = library.check_basis(basis["law"], basis["article"], basis["paragraph"])
        status = check.status if check.status in BasisStatus.values else BasisStatus.NOT_FOUND
        ItemBasis.objects.create(
            item=item, status=status, message=check.message[:300], url=check.url, **basis
        )
        worst = max(worst, status, key=_SEVERITY.index)
    item.basis_status = worst
    library.register_basis(
        item, [Citation(b["law"], b["article"], paragraph=b["paragraph"]) for b in bases], actor=actor
    )


def _store_sanctions(item: EnforcementItem, sanctions: list[dict]) -> None:
    item.sanctions.all().delete()
    ItemSanction.objects.bulk_create([ItemSanction(item=item, **row) for row in sanctions])


@transaction.atomic
def create_item(
    *,
    actor,
    name: str,
    item_type: str,
    code: str = "",
    organisation_id: int | None = None,
    domain: str = "",
    levels: list[str] | None = None,
    description: str = "",
    bases: Iterable[dict] = (),
    sanctions: Iterable[dict] = (),
    source: str | None = None,
    event=EnforcementAuditEvent.ITEM_CREATED,
) -> EnforcementItem:
    """Add an item to an agency's power list (a draft until a reviewer publishes it)."""
    access.require(actor, "add", EnforcementItem)
    organisation = _organisation_for(actor, organisation_id)
    item = EnforcementItem(
        code=code,
        name=name,
        item_type=item_type,
        organisation=organisation,
        domain=domain or "",
        levels=list(levels or []),
        description=description or "",
        source=source,
    )
    _validate_item(item)
    bases, sanctions = _clean_bases(bases), _clean_sanctions(sanctions)
    _require_penalty_for_sanctions(item, sanctions)
    with audit.operation(event, obj=item, actor=actor):
        item.save()
        _store_bases(item, bases, actor=actor)
        _store_sanctions(item, sanctions)
        item.save(update_fields=["basis_status", "updated_at"])
    return item


def _require_editable(item: EnforcementItem) -> None:
    if item.status not in EDITABLE:
        raise Conflict("该事项待审核或已发布，不能直接修改：已发布的请先撤回，待审核的请等待退回后修改")


@transaction.atomic
def update_item(item: EnforcementItem, *, actor, **changes) -> EnforcementItem:
    """Correct an item: its fields, and its basis and sanctions when given (each list replaced as a whole)."""
    _require_editable(item)
    bases = changes.pop("bases", None)
    sanctions = changes.pop("sanctions", None)
    for name, value in changes.items():
        if name not in ITEM_FIELDS:
            raise _invalid(name, f"字段不可修改：{name}")
        if name == "organisation_id":
            value = _organisation_for(actor, value).pk
        setattr(item, name, value)
    _validate_item(item)
    bases = _clean_bases(bases) if bases is not None else None
    sanctions = _clean_sanctions(sanctions) if sanctions is not None else None
    _require_penalty_for_sanctions(item, sanctions)
    with audit.operation(EnforcementAuditEvent.ITEM_UPDATED, obj=item, actor=actor):
        if bases is not None:
            _store_bases(item, bases, actor=actor)
        if sanctions is not None:
            _store_sanctions(item, sanctions)
        item.save()
    return item


@transaction.atomic
def check_bases(item: EnforcementItem, *, actor=None) -> EnforcementItem:
    """Check the item's basis again (the library may have imported an amendment since): the flag follows."""
    bases = list(item.bases.values("law", "article", "paragraph"))
    with audit.operation(EnforcementAuditEvent.ITEM_BASIS_CHECKED, obj=item, actor=actor):
        _store_bases(item, bases, actor=actor)
        item.save(update_fields=["basis_status", "updated_at"])
    return item


def refresh_basis_flags() -> int:
    """Check every item's basis again and re-flag the items whose verdict changed (an amendment or repeal imported
    into the library since); returns how many changed. Unchanged items are not written."""
    changed = 0
    for item in EnforcementItem.objects.exclude(basis_status=BasisStatus.NONE).prefetch_related("bases"):
        stale = any(
            library.check_basis(b.law, b.article, b.paragraph).status != b.status for b in item.bases.all()
        )
        if stale:
            check_bases(item)
            changed += 1
    return changed


# --- proposals from the statute library (enforcement.extraction) -------------------------------------------------


def article_source(title: str, number: int) -> str:
    return f"《{title}》{Citation(title, number).article_label}"


@transaction.atomic
def propose_items(
    *,
    law: str,
    actor,
    organisation_id: int | None = None,
    domain: str = "",
    articles: Iterable[int | str] | None = None,
    corrections: dict[int | str, list[dict]] | None = None,
) -> dict:
    """Draft one 行政处罚 item per article of `law` that provides for sanctions, sanctions pre-filled and that
    article as the basis — every such article, or only the `articles` staff accepted on the proposal page (article
    numbers, or sources such as 《中华人民共和国消费者权益保护法》第五十六条 when `law` names several laws), with their
    corrected sanctions (`corrections`: number or source → sanctions) in place of the extractor's.
    Idempotent: an article already proposed (in any state) is left as staff corrected it."""
    access.require(actor, "add", EnforcementItem)
    organisation = _organisation_for(actor, organisation_id)
    if domain and domain not in WorkDomain.values:
        raise _invalid("domain", "执法领域无效")
    chosen = None if articles is None else {str(key) for key in articles}
    if chosen is not None and not chosen:
        raise _invalid("articles", "请至少选择一条要采纳的建议")
    corrections = {str(key): _clean_sanctions(value) for key, value in (corrections or {}).items()}
    created, existing, skipped = [], 0, 0
    _, found = library.penalty_articles(law=law)
    for article in found:
        citation = library.article_citation(article.id)
        if citation is None:
            skipped += 1
            continue
        title, number = citation
        keys = (article_source(title, number), str(number))
        if chosen is not None and not chosen.intersection(keys):
            continue
        correction = next((corrections[key] for key in keys if key in corrections), None)
        if correction is not None:
            sanctions = correction
        else:
            sanctions = [
                {name: getattr(s, name) for name in SANCTION_FIELDS} for s in extract_sanctions(article.text)
            ]
        if not sanctions:
            skipped += 1
            continue
        source = keys[0]
        if EnforcementItem.objects.filter(source=source).exists():
            existing += 1
            continue
        item = create_item(
            actor=actor,
            name=f"对违反{source}规定行为的行政处罚",
            item_type=ItemType.PENALTY,
            organisation_id=organisation.pk,
            domain=domain,
            levels=[level_of(organisation)],
            description=article.text[:2000],
            bases=[{"law": title, "article": number}],
            sanctions=sanctions,
            source=source,
            event=EnforcementAuditEvent.ITEM_PROPOSED,
        )
        created.append(item)
    return {"created": created, "existing": existing, "skipped": skipped}


def level_of(organisation: Organisation) -> str:
    """The level an agency implements at, from its division (省级 → province … 乡镇、村 → town)."""
    level = organisation.jurisdiction.level if organisation.jurisdiction_id else JurisdictionLevel.PROVINCE
    return {
        JurisdictionLevel.PROVINCE: ImplementingLevel.PROVINCE,
        JurisdictionLevel.CITY: ImplementingLevel.CITY,
        JurisdictionLevel.COUNTY: ImplementingLevel.COUNTY,
    }.get(level, ImplementingLevel.TOWN)


# --- review (models.power_list.WORKFLOW) -------------------------------------------------------------------------


@transaction.atomic
def submit_item(item: EnforcementItem, *, actor, comment: str = "") -> EnforcementItem:
    """Send an item to review."""
    with audit.operation(EnforcementAuditEvent.ITEM_SUBMITTED, obj=item, actor=actor, detail=comment.strip()):
        workflow.transition(item, "submit", actor=actor, comment=comment.strip())
    return item


@transaction.atomic
def publish_item(item: EnforcementItem, *, actor, comment: str = "") -> EnforcementItem:
    """Review and publish an item: the public power list shows it (《行政处罚法》第五条第三款: the basis must resolve)."""
    with audit.operation(EnforcementAuditEvent.ITEM_PUBLISHED, obj=item, actor=actor, detail=comment.strip()):
        workflow.transition(item, "publish", actor=actor, comment=comment.strip())
        item.published_at = timezone.now()
        item.save(update_fields=["published_at", "updated_at"])
    return item


@transaction.atomic
def return_item(item: EnforcementItem, *, actor, comment: str = "") -> EnforcementItem:
    """Send a submitted item back for correction with the reviewer's reason."""
    with audit.operation(EnforcementAuditEvent.ITEM_RETURNED, obj=item, actor=actor, detail=comment.strip()):
        workflow.transition(
            item, "return", actor=actor, payload={"comment": comment}, comment=comment.strip()
        )
    return item


@transaction.atomic
def withdraw_item(item: EnforcementItem, *, actor, comment: str = "") -> EnforcementItem:
    """Take a published item off the public power list (kept for correction and a new review)."""
    with audit.operation(EnforcementAuditEvent.ITEM_WITHDRAWN, obj=item, actor=actor, detail=comment.strip()):
        workflow.transition(item, "withdraw", actor=actor, comment=comment.strip())
    return item


TRANSITION_SERVICES = {
    "submit": submit_item,
    "publish": publish_item,
    "return": return_item,
    "withdraw": withdraw_item,
}


# --- discretion benchmarks (裁量基准, 《行政处罚法》第三十四条) ------------------------------------------------------


def statutory_fine_range(item: EnforcementItem) -> tuple[int | None, int | None] | None:
    """The widest fixed-amount fine (元) the item's sanctions allow, or None when it sets none."""
    fines = [s for s in item.sanctions.all() if s.kind == SanctionKind.FINE and not s.multiple_of]
    fines = [s for s in fines if s.lower is not None or s.upper is not None]
    if not fines:
        return None
    lowers = [s.lower or 0 for s in fines]
    uppers = [s.upper for s in fines]
    return min(lowers), (None if any(u is None for u in uppers) else max(uppers))


def _bounding_article(item: EnforcementItem) -> str:
    basis = item.bases.first()
    return str(basis) if basis else "事项依据"


def _validate_benchmark(item: EnforcementItem, benchmark: DiscretionBenchmark) -> None:
    benchmark.circumstance = (benchmark.circumstance or "").strip()
    if not benchmark.circumstance:
        raise _invalid("circumstance", "请填写违法情节")
    if benchmark.grade not in DiscretionGrade.values:
        raise _invalid("grade", "裁量阶次应为不予处罚、从轻、一般或从重")
    if benchmark.exemption_list not in ExemptionList.values:
        raise _invalid("exemption_list", "不罚清单类型无效")
    low, high = benchmark.fine_lower, benchmark.fine_upper
    if benchmark.grade == DiscretionGrade.NO_PENALTY:
        if low is not None or high is not None:
            raise _invalid("fine_lower", "不予处罚的情节不能设定罚款幅度")
    elif benchmark.exemption_list:
        raise _invalid(
            "exemption_list",
            f"列入不予处罚或首违不罚清单的情节应为“不予处罚”（{rules.FIRST_VIOLATION.citation}）",
        )
    if low is None and high is None:
        return
    if (low is not None and low < 0) or (high is not None and high < 0):
        raise _invalid("fine_lower", "罚款幅度不能为负数")
    if low is not None and high is not None and low > high:
        raise _invalid("fine_lower", "罚款下限不能高于上限")
    statutory = statutory_fine_range(item)
    article = _bounding_article(item)
    if statutory is None:
        raise _invalid("fine_lower", f"{article}未规定固定金额的罚款幅度，裁量基准不能设定罚款金额")
    s_low, s_high = statutory
    too_low = low is not None and low < s_low or high is not None and high < s_low
    too_high = s_high is not None and (low is not None and low > s_high or high is not None and high > s_high)
    if too_low or too_high or (s_high is not None and high is None):
        bound = f"{s_low}元至{s_high}元" if s_high is not None else f"{s_low}元以上"
        raise _invalid("fine_upper", f"罚款幅度超出法定幅度：{article}规定的罚款为{bound}，裁量基准不得超出")


@transaction.atomic
def save_benchmark(
    item: EnforcementItem,
    *,
    actor,
    circumstance: str,
    grade: str,
    fine_lower: int | None = None,
    fine_upper: int | None = None,
    exemption_list: str = "",
    other_sanctions: str = "",
    benchmark_id: int | None = None,
) -> DiscretionBenchmark:
    """Add or change one discretion benchmark of an item; its fine range must lie within the statutory one."""
    _require_editable(item)
    if item.item_type != ItemType.PENALTY:
        raise _invalid(
            "circumstance",
            f"裁量基准只适用于行政处罚事项（{rules.DISCRETION_BENCHMARK.citation}），"
            f"本事项为{ItemType(item.item_type).label}",
        )
    benchmark = DiscretionBenchmark(item=item)
    if benchmark_id is not None:
        benchmark = item.benchmarks.filter(pk=benchmark_id).first()
        if benchmark is None:
            raise ValidationFailed("该裁量基准不存在")
    benchmark.circumstance = circumstance
    benchmark.grade = grade
    benchmark.fine_lower, benchmark.fine_upper = fine_lower, fine_upper
    benchmark.exemption_list = exemption_list or ""
    benchmark.other_sanctions = (other_sanctions or "").strip()
    _validate_benchmark(item, benchmark)
    with audit.operation(EnforcementAuditEvent.BENCHMARK_SAVED, obj=item, actor=actor, detail=str(benchmark)):
        benchmark.save()
        item.save(update_fields=["updated_at"])
    return benchmark


@transaction.atomic
def delete_benchmark(item: EnforcementItem, *, actor, benchmark_id: int) -> None:
    """Remove one discretion benchmark of an item."""
    _require_editable(item)
    benchmark = item.benchmarks.filter(pk=benchmark_id).first()
    if benchmark is None:
        raise ValidationFailed("该裁量基准不存在")
    with audit.operation(
        EnforcementAuditEvent.BENCHMARK_DELETED, obj=item, actor=actor, detail=str(benchmark)
    ):
        benchmark.delete()
        item.save(update_fields=["updated_at"])
