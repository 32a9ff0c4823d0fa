"""Every write of the power list (权责清单): items, their basis and sanctions, proposals from the statute library,
the review (draft → submitted → published) and discretion benchmarks (裁量基准)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from smartjustice.core import access, audit, workflow
from smartjustice.core.choices import WorkDomain
from smartjustice.core.citations import Citation
from smartjustice.core.errors import Conflict, PermissionDenied, ValidationFailed
from smartjustice.core.models import Organisation

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


def _validate_item(item: EnforcementItem) -> None:
    item.code = (item.code or "").strip()
    item.name = (item.name or "").strip()
    if not item.code:
        raise _invalid("code", "请填写事项编码")
    if not item.name:
        raise _invalid("name", "请填写事项名称")
    if item.item_type not in ItemType.values:
        raise _invalid("item_type", "事项类型无效，应为行政处罚、行政许可、行政强制等之一")
    if item.domain and item.domain not in WorkDomain.values:
        raise _invalid("domain", "执法领域无效")
    if not isinstance(item.levels, list) or any(
        level not in ImplementingLevel.values for level in item.levels
    ):
        raise _invalid("levels", "行使层级无效，应为 province、city、county、town 中的一项或多项")
    if EnforcementItem.objects.filter(code=item.code).exclude(pk=item.pk).exists():
        raise _invalid("code", f"事项编码 {item.code} 已被使用")


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
    code: str,
    name: str,
    item_type: str,
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


def _proposal_code(source: str) -> str:
    return "XZCF-" + hashlib.sha256(source.encode()).hexdigest()[:10].upper()


@transaction.atomic
def propose_items(*, law: str, actor, organisation_id: int | None = None, domain: str = "") -> dict:
    """Draft one 行政处罚 item per article of `law` that provides for sanctions, sanctions pre-filled and that
    article as the basis. Idempotent: an article already proposed (in any state) is left as staff corrected it."""
    access.require(actor, "add", EnforcementItem)
    organisation = _organisation_for(actor, organisation_id)
    created, existing, skipped = [], 0, 0
    _, articles = library.penalty_articles(law=law)
    for article in articles:
        sanctions = extract_sanctions(article.text)
        citation = library.article_citation(article.id)
        if not sanctions or citation is None:
            skipped += 1
            continue
        title, number = citation
        source = f"《{title}》{Citation(title, number).article_label}"
        if EnforcementItem.objects.filter(source=source).exists():
            existing += 1
            continue
        item = create_item(
            actor=actor,
            code=_proposal_code(source),
            name=f"对违反{source}规定行为的行政处罚",
            item_type=ItemType.PENALTY,
            organisation_id=organisation.pk,
            domain=domain,
            description=article.text[:2000],
            bases=[{"law": title, "article": number}],
            sanctions=[{name: getattr(s, name) for name in SANCTION_FIELDS} for s in sanctions],
            source=source,
            event=EnforcementAuditEvent.ITEM_PROPOSED,
        )
        created.append(item)
    return {"created": created, "existing": existing, "skipped": skipped}


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
