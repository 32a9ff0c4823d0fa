"""The registry of 双随机抽查 (监管对象名录) and conflicts of interest (回避关系): registering an entity by its
统一社会信用代码, importing the registry from CSV (all rows or none), recording a conflict. Re-exported by
enforcement/inspections.py, so callers use ``inspections.register_entity`` and friends."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from smartjustice.core import access, audit
from smartjustice.core.choices import EnforcementDomain
from smartjustice.core.errors import PermissionDenied, ValidationFailed
from smartjustice.core.models import Jurisdiction
from smartjustice.core.validators import normalize_uscc

from .choices import CaseAuditEvent, RiskLevel
from .models import ConflictOfInterest, EnforcementOfficer, RegulatedEntity


def _fail(field_name: str, message: str):
    return ValidationFailed(message, fields={field_name: [message]})


_RISK_WORDS = {
    **{c: c for c in RiskLevel.values},
    **{str(label): value for value, label in RiskLevel.choices},
    "高": RiskLevel.HIGH,
    "中": RiskLevel.MEDIUM,
    "低": RiskLevel.LOW,
}
_DOMAIN_WORDS = {
    **{c: c for c in EnforcementDomain.values},
    **{str(lb): v for v, lb in EnforcementDomain.choices},
}


def _clean_domains(domains) -> list[str]:
    if isinstance(domains, str):
        for separator in "、，,;；| ":
            domains = domains.replace(separator, "\n")
        domains = domains.split("\n")
    found, unknown = [], []
    for word in domains or ():
        word = str(word).strip()
        if not word:
            continue
        code = _DOMAIN_WORDS.get(word)
        if code is None:
            unknown.append(word)
        elif code not in found:
            found.append(code)
    if unknown:
        raise _fail("domains", f"未定义的监管领域：{'、'.join(unknown)}")
    if not found:
        raise _fail("domains", "请填写监管领域")
    return found


def _entity_values(
    *,
    uscc,
    name,
    jurisdiction,
    domains,
    risk_level=RiskLevel.LOW,
    legal_representative="",
    business_address="",
    is_active=True,
) -> dict:
    """The cleaned fields of an entity, or ValidationFailed naming every bad field."""
    errors: dict[str, list[str]] = {}
    values: dict = {}
    try:
        values["uscc"] = normalize_uscc(uscc)
    except DjangoValidationError as error:
        errors["uscc"] = list(error.messages)
    name = (name or "").strip()
    if not name or len(name) > 200:
        errors["name"] = ["请填写名称（200字以内）"]
    values["name"] = name
    code = jurisdiction.code if isinstance(jurisdiction, Jurisdiction) else str(jurisdiction or "").strip()
    place = Jurisdiction.objects.filter(code=code).first() if code else None
    if place is None:
        errors["jurisdiction"] = ["登记区划代码不存在"]
    values["jurisdiction"] = place
    try:
        values["domains"] = _clean_domains(domains)
    except ValidationFailed as error:
        errors.update(error.fields)
    risk = _RISK_WORDS.get(str(risk_level or RiskLevel.LOW).strip())
    if risk is None:
        errors["risk_level"] = ["风险等级须为高风险、中风险或低风险"]
    values["risk_level"] = risk
    for key, value, limit in (
        ("legal_representative", legal_representative, 100),
        ("business_address", business_address, 300),
    ):
        value = (value or "").strip()
        if len(value) > limit:
            errors[key] = [f"不能超过{limit}字"]
        values[key] = value
    values["is_active"] = bool(is_active)
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, fields=errors)
    return values


def _require_place(actor, place: Jurisdiction) -> None:
    if not access.may_act_in(actor, place.code):
        raise PermissionDenied("您只能登记本辖区的监管对象")


@transaction.atomic
def register_entity(*, actor, **fields) -> RegulatedEntity:
    """Register a 市场主体 in the registry, or update the one with the same 统一社会信用代码."""
    access.require(actor, "add", RegulatedEntity)
    values = _entity_values(**fields)
    _require_place(actor, values["jurisdiction"])
    entity = RegulatedEntity.objects.select_for_update().filter(uscc=values["uscc"]).first()
    if entity is None:
        with audit.operation(CaseAuditEvent.ENTITY_REGISTERED, obj=audit.NEW, actor=actor):
            return RegulatedEntity.objects.create(**values)
    if not access.can(actor, "change", entity):
        raise PermissionDenied("该统一社会信用代码已由其他辖区登记，您不能修改")
    with audit.operation(CaseAuditEvent.ENTITY_UPDATED, obj=entity, actor=actor):
        for key, value in values.items():
            setattr(entity, key, value)
        entity.save()
    return entity


@dataclass
class ImportReport:
    """What an import did: rows read, entities created and updated."""

    rows: int = 0
    created: int = 0
    updated: int = 0


_COLUMNS = {
    "uscc": ("统一社会信用代码", "uscc"),
    "name": ("名称", "企业名称", "name"),
    "jurisdiction": ("登记区划", "区划代码", "jurisdiction"),
    "domains": ("监管领域", "domains"),
    "risk_level": ("风险等级", "risk_level"),
    "legal_representative": ("法定代表人", "legal_representative"),
    "business_address": ("经营场所", "business_address"),
    "is_active": ("存续", "is_active"),
}
_FALSE_WORDS = {"0", "false", "no", "否", "注销", "吊销"}
MAX_IMPORT_ERRORS = 20


def _csv_text(source) -> str:
    if hasattr(source, "read"):
        source = source.read()
    if isinstance(source, bytes | bytearray):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return bytes(source).decode(encoding)
            except UnicodeDecodeError:
                continue
        raise _fail("file", "文件编码无法识别（请使用 UTF-8 或 GB18030 编码的 CSV）")
    return str(source).lstrip("\ufeff")


@transaction.atomic
def import_entities(source, *, actor, progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import the registry from CSV (统一社会信用代码,名称,登记区划,监管领域,风险等级,法定代表人,经营场所[,存续]):
    every row is checked first and nothing is stored unless all are valid; existing USCCs are updated."""
    access.require(actor, "add", RegulatedEntity)
    text = _csv_text(source)
    if "\x00" in text:
        raise _fail("file", "文件中含有空字符（\\0），不是有效的 CSV 文件")
    try:
        table = [
            (line, row)
            for line, row in enumerate(csv.reader(io.StringIO(text)), start=1)
            if any(cell.strip() for cell in row)
        ]
    except csv.Error as error:
        raise _fail("file", f"CSV 格式错误：{error}") from None
    if not table:
        raise _fail("file", "CSV 文件为空")
    header, rows = [h.strip() for h in table[0][1]], table[1:]
    positions = {}
    for key, names in _COLUMNS.items():
        for i, title in enumerate(header):
            if title in names:
                positions[key] = i
    optional = ("is_active", "legal_representative", "business_address")
    missing = [names[0] for key, names in _COLUMNS.items() if key not in positions and key not in optional]
    if missing:
        raise _fail("file", f"CSV 缺少列：{'、'.join(missing)}")
    total = len(rows)
    errors: list[str] = []
    failed = 0
    cleaned: dict[str, dict] = {}
    for line, row in rows:
        cells = {key: (row[i].strip() if i < len(row) else "") for key, i in positions.items()}
        if "is_active" in cells:
            cells["is_active"] = cells["is_active"].lower() not in _FALSE_WORDS
        try:
            values = _entity_values(**cells)
            _require_place(actor, values["jurisdiction"])
        except (ValidationFailed, PermissionDenied) as error:
            problem = error.message
        else:
            problem = f"统一社会信用代码{values['uscc']}重复" if values["uscc"] in cleaned else ""
        if problem:
            failed += 1
            if len(errors) < MAX_IMPORT_ERRORS:
                errors.append(f"第{line}行：{problem}")
            continue
        cleaned[values["uscc"]] = values
    if failed:
        raise ValidationFailed(f"导入失败，共{failed}行有错误：" + "；".join(errors), fields={"file": errors})
    report = ImportReport(rows=total)
    existing = {e.uscc: e for e in RegulatedEntity.objects.select_for_update().filter(uscc__in=list(cleaned))}
    for entity in existing.values():
        if not access.can(actor, "change", entity):
            raise _fail("file", f"统一社会信用代码{entity.uscc}已由其他辖区登记，您不能修改")
    with audit.operation(
        CaseAuditEvent.ENTITIES_IMPORTED,
        obj=None,
        actor=actor,
        object_type="enforcement.regulatedentity",
        jurisdiction_code=actor.jurisdiction_id,
        detail=f"导入{total}行",
    ):
        new = []
        for done, (uscc, values) in enumerate(cleaned.items(), start=1):
            entity = existing.get(uscc)
            if entity is None:
                new.append(RegulatedEntity(**values))
            else:
                for key, value in values.items():
                    setattr(entity, key, value)
                entity.save()
                report.updated += 1
            if progress:
                progress(done, total)
        for offset in range(0, len(new), 1000):
            batch = RegulatedEntity.objects.bulk_create(new[offset : offset + 1000])
            audit.record_created_many(batch)
        report.created = len(new)
    return report


@transaction.atomic
def register_conflict(*, actor, officer: EnforcementOfficer, entity: RegulatedEntity, reason: str):
    """Record that `officer` must not inspect `entity` (回避)."""
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        raise _fail("reason", "请填写回避事由（200字以内）")
    access.require(actor, "add", ConflictOfInterest)
    if not access.can(actor, "view", officer) or (
        not actor.is_superuser and actor.organisation_id != officer.agency_id
    ):
        raise PermissionDenied("您只能为本单位的执法人员登记回避关系")
    if not access.can(actor, "view", entity):
        raise PermissionDenied("您不能查看该监管对象")
    if ConflictOfInterest.objects.filter(officer=officer, entity=entity).exists():
        raise _fail("entity", f"{officer}与{entity}的回避关系已登记")
    with audit.operation(CaseAuditEvent.CONFLICT_REGISTERED, obj=audit.NEW, actor=actor):
        return ConflictOfInterest.objects.create(officer=officer, entity=entity, reason=reason)
