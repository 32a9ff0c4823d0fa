"""The annual enforcement data metrics (data/metrics.json) and their evaluation over enforcement cases.

A metric is data: `{"code", "name", "unit", "definition", "count": "cases" | "sum": <field>, "where": {...}}` or
`"manual": true`. `where` holds `<x>_in_year: true` (the date field x falls in the report's year) and field values.
One definition gives both evaluations, so they cannot disagree:

* `q(metric, year)` — a Q over EnforcementCase; `evaluate(cases, year, group_by=...)` puts every metric in ONE query
  as conditional aggregates (COUNT(*) FILTER (WHERE …) / SUM(…) FILTER (WHERE …)), grouped by agency, jurisdiction or
  city — set-based, whatever the number of cases;
* `matches(metric, row, year)` — the same test on one row in Python: the naive baseline
  (queries.province_aggregate_naive) and the tests' hand counts use it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

METRICS_FILE = Path(__file__).parent / "data" / "metrics.json"

# <x>_in_year → the date field of EnforcementCase it reads.
DATE_FIELDS = {
    "filed_in_year": "filed_on",
    "decided_in_year": "decided_on",
    "reviewed_in_year": "reviewed_on",
    "hearing_in_year": "hearing_on",
    "revoked_in_year": "revoked_on",
    "executed_in_year": "executed_on",
}
# Other conditions a definition may state: field values of the case.
VALUE_FIELDS = ("procedure", "grave", "hearing_offered", "legal_review_required", "domain", "source")
SUM_FIELDS = ("fine_amount", "confiscated_amount", "paid_amount", "surcharge_amount")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Metric:
    """One metric of the annual report."""

    code: str
    name: str
    unit: str
    definition: str
    manual: bool = False
    count: str = ""
    sum: str = ""
    where: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def date_fields(self) -> list[str]:
        return [DATE_FIELDS[key] for key, wanted in self.where.items() if key in DATE_FIELDS and wanted]

    def as_dict(self) -> dict:
        data = {"code": self.code, "name": self.name, "unit": self.unit, "definition": self.definition}
        if self.manual:
            data["manual"] = True
        else:
            data.update({"count": self.count} if self.count else {"sum": self.sum})
            data["where"] = dict(self.where)
        return data


class MetricDefinitionError(ValueError):
    """metrics.json states something the evaluator does not understand."""


def _parse(entry: dict) -> Metric:
    code = entry.get("code", "")
    if entry.get("manual"):
        return Metric(code, entry["name"], entry.get("unit", ""), entry.get("definition", ""), manual=True)
    where = dict(entry.get("where") or {})
    for key in where:
        if key not in DATE_FIELDS and key not in VALUE_FIELDS and key != "revoked":
            raise MetricDefinitionError(f"{code}: unknown condition {key!r}")
    if entry.get("count") not in (None, "cases"):
        raise MetricDefinitionError(f"{code}: only cases are counted")
    if entry.get("sum") and entry["sum"] not in SUM_FIELDS:
        raise MetricDefinitionError(f"{code}: cannot sum {entry['sum']!r}")
    if bool(entry.get("count")) == bool(entry.get("sum")):
        raise MetricDefinitionError(f"{code}: state either count or sum")
    if not any(key in DATE_FIELDS and wanted for key, wanted in where.items()):
        raise MetricDefinitionError(
            f"{code}: a metric must be bound to the year by one <x>_in_year condition"
        )
    return Metric(
        code,
        entry["name"],
        entry.get("unit", ""),
        entry.get("definition", ""),
        count=entry.get("count") or "",
        sum=entry.get("sum") or "",
        where=where,
    )


@lru_cache(maxsize=1)
def all_metrics() -> tuple[Metric, ...]:
    """Every metric, in the order of metrics.json."""
    data = json.loads(METRICS_FILE.read_text(encoding="utf-8"))
    found = tuple(_parse(entry) for entry in data["metrics"])
    codes = [m.code for m in found]
    if len(set(codes)) != len(codes):
        raise MetricDefinitionError("metric codes must be unique")
    return found


def computed_metrics() -> tuple[Metric, ...]:
    return tuple(m for m in all_metrics() if not m.manual)


def manual_metrics() -> tuple[Metric, ...]:
    return tuple(m for m in all_metrics() if m.manual)


def get(code: str) -> Metric | None:
    return next((m for m in all_metrics() if m.code == code), None)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


# --- set-based --------------------------------------------------------------------------------------------------


def q(metric: Metric, year: int) -> Q:
    """The cases behind `metric` in `year`, as a Q over EnforcementCase (index-friendly date ranges)."""
    start, end = year_bounds(year)
    condition = Q()
    for key, wanted in metric.where.items():
        if key in DATE_FIELDS:
            name = DATE_FIELDS[key]
            in_year = Q(**{f"{name}__gte": start, f"{name}__lte": end})
            condition &= in_year if wanted else ~in_year
        elif key == "revoked":
            condition &= Q(revoked_on__isnull=not wanted)
        else:
            condition &= Q(**{key: wanted})
    return condition


def any_in_year(year: int, metrics=None) -> Q:
    """Cases with any date a metric reads in `year`: narrows the scan before the conditional aggregates."""
    start, end = year_bounds(year)
    names = sorted({name for m in (metrics or computed_metrics()) for name in m.date_fields})
    condition = Q()
    for name in names:
        condition |= Q(**{f"{name}__gte": start, f"{name}__lte": end})
    return condition


def _aggregates(year: int, metrics) -> dict:
    aggregates = {}
    for metric in metrics:
        if metric.count:
            aggregates[metric.code] = Count("id", filter=q(metric, year))
        else:
            aggregates[metric.code] = Coalesce(
                Sum(metric.sum, filter=q(metric, year)),
                Value(Decimal(0)),
                output_field=DecimalField(max_digits=18, decimal_places=2),
            )
    return aggregates


def evaluate(cases, year: int, *, group_by: str | None = None, metrics=None) -> dict:
    """Every computed metric over the EnforcementCase queryset `cases` for `year` in one query.

    Without `group_by`: {metric code: value}. With `group_by` (a field or an annotation already on `cases`, e.g.
    "agency_id", "jurisdiction_id"): {group value: {metric code: value}}; groups without any case are absent.
    """
    metrics = tuple(metrics or computed_metrics())
    rows = cases.filter(any_in_year(year, metrics))
    aggregates = _aggregates(year, metrics)
    if group_by is None:
        result = rows.order_by().aggregate(**aggregates)
        return {code: normalise(value) for code, value in result.items()}
    grouped = {}
    for row in rows.order_by().values(group_by).annotate(**aggregates):
        key = row.pop(group_by)
        grouped[key] = {code: normalise(value) for code, value in row.items()}
    return grouped


def normalise(value) -> Decimal:
    """Counts and sums as Decimal with two places (how figures are stored and compared)."""
    return Decimal(value or 0).quantize(CENT)


# --- one row at a time (the naive baseline and hand counts) -----------------------------------------------------


def matches(metric: Metric, row, year: int) -> bool:
    """Does case `row` (a model instance or a dict of its fields) count towards `metric` in `year`?"""
    start, end = year_bounds(year)

    def read(name):
        return row[name] if isinstance(row, dict) else getattr(row, name)

    for key, wanted in metric.where.items():
        if key in DATE_FIELDS:
            value = read(DATE_FIELDS[key])
            if (value is not None and start <= value <= end) != bool(wanted):
                return False
        elif key == "revoked":
            if (read("revoked_on") is not None) != bool(wanted):
                return False
        elif read(key) != wanted:
            return False
    return True


def contribution(metric: Metric, row) -> Decimal:
    """What one matching case adds to `metric`: 1, or the summed field."""
    if metric.count:
        return Decimal(1)
    value = row[metric.sum] if isinstance(row, dict) else getattr(row, metric.sum)
    return Decimal(value or 0)


def row_fields() -> list[str]:
    """The case fields `matches` and `contribution` read."""
    names = {"id", "agency_id", "jurisdiction_id", "revoked_on", *DATE_FIELDS.values(), *SUM_FIELDS}
    for metric in computed_metrics():
        names.update(k for k in metric.where if k in VALUE_FIELDS)
    return sorted(names)
