"""The supervision checks over 行政处罚案件: each rule of supervision/rules.py as one set-based query, and the scan that
turns their findings into SupervisionFlag rows in bulk.

Two implementations with one result set, so the fast one can be measured against an obvious one:

* `scan()` — one SQL query per rule over the whole case table (EXISTS / aggregate subqueries on indexed columns,
  rows streamed with `.iterator()`), evidence built only for the cases that fire, flags upserted in batches;
* `scan_naive()` — a Python loop over every case asking each rule its questions row by row (the baseline of
  benchmarks/bench_enforcement.py; never scheduled).

Both return a ScanResult whose `found` maps rule code → {case id: evidence}; the evidence is the values that made the
rule fire (dates as ISO strings, amounts as strings with two decimals), the same from both.

Flags are machine findings: the scan writes them through the plain manager in bulk (no audit row per flag) and
records one audit entry with the counts; what people do with a flag (dismiss it, 督办) is audited operation by
operation (supervision/services.py).
"""

from __future__ import annotations

import datetime
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import (
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, Substr
from django.utils import timezone

from smartjustice.core import audit
from smartjustice.core.assignments import HANDLER
from smartjustice.core.models import Assignment
from smartjustice.credentials.choices import CredentialStatus
from smartjustice.enforcement.choices import CaseStatus, PartyKind, PaymentKind, Procedure
from smartjustice.enforcement.eligibility import CERTIFICATE_TYPE, ineligibility
from smartjustice.enforcement.extraction import SanctionKind
from smartjustice.enforcement.models import (
    CasePayment,
    EnforcementCase,
    EnforcementOfficer,
    ItemSanction,
)

from . import rules
from .choices import FlagRule, FlagStatus, SupervisionAuditEvent
from .models import SupervisionFlag

CASE_TYPE = EnforcementCase._meta.label_lower  # core.Assignment.object_type of a case
S = CaseStatus
# Stages in which officers handle the case (after 立案, before execution ends it).
HANDLING = (S.INVESTIGATING, S.LEGAL_REVIEW, S.NOTIFIED, S.HEARING, S.DISCUSSION, S.DECIDED, S.SERVED)
BEFORE_DECISION = (S.INVESTIGATING, S.LEGAL_REVIEW, S.NOTIFIED, S.HEARING, S.DISCUSSION)
DECIDED = (S.DECIDED, S.SERVED, S.EXECUTED, S.CLOSED, S.ARCHIVED)
NO_PENALTY = (S.NOT_FILED, S.DROPPED)
CLOCK_STOPPED = (S.CLOSED, S.ARCHIVED, S.NOT_FILED)
FINE = SanctionKind.FINE.value
FIXED_UNITS = ("", "元")
PAID_KINDS = (PaymentKind.FINE, PaymentKind.INSTALMENT)
SCOPE = ("pk", "jurisdiction_id", "agency_id", "domain")
BATCH = 5000
SEEN_REFRESH = datetime.timedelta(
    hours=12
)  # how stale a still-firing flag's 最近发现时间 may get (PostgreSQL path)


# --- evidence values ----------------------------------------------------------------------------------------------


def _plain(value):
    """JSON-safe and identical whichever path read it: dates ISO, amounts with two decimals."""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return f"{Decimal(value):.2f}"
    return value


def _status(code: str) -> dict:
    return {"status": code, "status_label": S(code).label if code in S.values else code}


def _json_contains(text_field: str, word: str) -> Q:
    """A JSON list stored as text contains the string `word` (PostgreSQL prints jsonb with the characters, SQLite
    keeps json.dumps' \\u escapes: both spellings are matched)."""
    return Q(**{f"{text_field}__contains": json.dumps(word, ensure_ascii=False)}) | Q(
        **{f"{text_field}__contains": json.dumps(word)}
    )


# --- the checks -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One rule as a set query (`fire`) and as a per-case test (`naive`), sharing `evidence`."""

    code: str
    rule: object
    # fire(today) -> iterator of (scope row, evidence) for every case the rule fires on.
    fire: Callable[[datetime.date], Iterator[tuple[tuple, dict]]]
    # naive(case, today) -> evidence or None, asking the database what it needs for this one case.
    naive: Callable[[EnforcementCase, datetime.date], dict | None]


CHECKS: dict[str, Check] = {}


def check(code: str, naive: Callable):
    code = FlagRule(code).value

    def register(fire):
        CHECKS[code] = Check(code, rules.rule_for(code), fire, naive)
        return fire

    return register


def _cases():
    return EnforcementCase._base_manager.order_by()


def _stream(qs, *fields) -> Iterator[dict]:
    return qs.values(*SCOPE, *fields).order_by("pk").iterator(chunk_size=BATCH)


def _scope(row: dict) -> tuple:
    return (row["pk"], row["jurisdiction_id"], row["agency_id"], row["domain"])


# 1. 办理阶段超期: the running clock of the stage is past its day (and not paused).


def _overdue_evidence(row: dict) -> dict:
    return {
        **_status(row["status"]),
        "clock_code": row["clock_code"],
        "clock_due_on": _plain(row["clock_due_on"]),
    }


def _overdue_naive(case, today):
    if (
        case.clock_code
        and case.clock_due_on is not None
        and case.clock_due_on < today
        and case.clock_paused_on is None
        and case.status not in CLOCK_STOPPED
    ):
        return _overdue_evidence(
            {"status": case.status, "clock_code": case.clock_code, "clock_due_on": case.clock_due_on}
        )
    return None


@check(FlagRule.STAGE_OVERDUE, _overdue_naive)
def _overdue(today):
    qs = (
        _cases()
        .filter(clock_due_on__lt=today, clock_paused_on__isnull=True)
        .exclude(clock_code="")
        .exclude(status__in=CLOCK_STOPPED)
    )
    for row in _stream(qs, "status", "clock_code", "clock_due_on"):
        yield _scope(row), _overdue_evidence(row)


# 2. 罚款超出法定幅度: a fine outside every fixed-amount fine range of the case's item.


def _fine_sanctions():
    return ItemSanction._base_manager.filter(kind=FINE, multiple_of="", unit__in=FIXED_UNITS).filter(
        Q(lower__isnull=False) | Q(upper__isnull=False)
    )


def _range_evidence(row: dict, ranges: list) -> dict:
    return {
        **_status(row["status"]),
        "fine_amount": _plain(row["fine_amount"]),
        "item_id": row["item_id"],
        "ranges": [list(r) for r in ranges],
    }


def _penalised(case) -> bool:
    return case.fine_amount is not None and case.revoked_on is None and case.status not in NO_PENALTY


def _range_naive(case, today):
    if not _penalised(case) or case.item_id is None:
        return None
    ranges = list(_fine_sanctions().filter(item_id=case.item_id).order_by("id").values_list("lower", "upper"))
    if not ranges:
        return None
    fine = case.fine_amount
    if any((lo is None or lo <= fine) and (hi is None or fine <= hi) for lo, hi in ranges):
        return None
    return _range_evidence({"status": case.status, "fine_amount": fine, "item_id": case.item_id}, ranges)


PENALISED = Q(fine_amount__isnull=False, revoked_on__isnull=True) & ~Q(status__in=NO_PENALTY)


@check(FlagRule.FINE_OUT_OF_RANGE, _range_naive)
def _range(today):
    fixed = _fine_sanctions().filter(item_id=OuterRef("item_id"))
    within = fixed.filter(Q(lower__isnull=True) | Q(lower__lte=OuterRef("fine_amount"))).filter(
        Q(upper__isnull=True) | Q(upper__gte=OuterRef("fine_amount"))
    )
    qs = _cases().filter(PENALISED, item__isnull=False).filter(Exists(fixed)).exclude(Exists(within))
    rows = list(_stream(qs, "status", "fine_amount", "item_id"))
    ranges: dict[int, list] = defaultdict(list)
    items = sorted({row["item_id"] for row in rows})
    for start in range(0, len(items), BATCH):
        found = _fine_sanctions().filter(item_id__in=items[start : start + BATCH]).order_by("item_id", "id")
        for item_id, lower, upper in found.values_list("item_id", "lower", "upper"):
            ranges[item_id].append((lower, upper))
    for row in rows:
        yield _scope(row), _range_evidence(row, ranges[row["item_id"]])


# 3. 罚款超出所选裁量基准.


def _benchmark_evidence(row: dict) -> dict:
    return {
        **_status(row["status"]),
        "fine_amount": _plain(row["fine_amount"]),
        "benchmark_id": row["benchmark_id"],
        "grade": row["benchmark__grade"],
        "fine_lower": row["benchmark__fine_lower"],
        "fine_upper": row["benchmark__fine_upper"],
    }


def _benchmark_naive(case, today):
    if not _penalised(case) or case.benchmark_id is None:
        return None
    benchmark = case.benchmark  # one query per case: the baseline's way
    lower, upper, fine = benchmark.fine_lower, benchmark.fine_upper, case.fine_amount
    if (lower is not None and fine < lower) or (upper is not None and fine > upper):
        return _benchmark_evidence(
            {
                "status": case.status,
                "fine_amount": fine,
                "benchmark_id": benchmark.pk,
                "benchmark__grade": benchmark.grade,
                "benchmark__fine_lower": lower,
                "benchmark__fine_upper": upper,
            }
        )
    return None


@check(FlagRule.FINE_OUTSIDE_BENCHMARK, _benchmark_naive)
def _benchmark(today):
    outside = Q(benchmark__fine_lower__isnull=False, fine_amount__lt=F("benchmark__fine_lower")) | Q(
        benchmark__fine_upper__isnull=False, fine_amount__gt=F("benchmark__fine_upper")
    )
    qs = _cases().filter(PENALISED, benchmark__isnull=False).filter(outside)
    fields = (
        "status",
        "fine_amount",
        "benchmark_id",
        "benchmark__grade",
        "benchmark__fine_lower",
        "benchmark__fine_upper",
    )
    for row in _stream(qs, *fields):
        yield _scope(row), _benchmark_evidence(row)


# 4. 承办人无有效执法证: a handler without a valid 行政执法证 for the case's domain and area (第四十二条).


def _handlers():
    return Assignment._base_manager.filter(object_type=CASE_TYPE, role=HANDLER, ended_at__isnull=True)


def _ancestor_match(code) -> Q:
    """The officer's area is the case's division or one above it (codes padded from 2, 4, 6 and 9 digits)."""
    q = Q(jurisdiction_id=code)
    for digits in (9, 6, 4, 2):
        q |= Q(
            jurisdiction_id=Concat(
                Substr(code, 1, digits), Value("0" * (12 - digits)), output_field=CharField()
            )
        )
    return q


def _officer_evidence(case_domain: str, case_code: str, handlers: list, officers: dict) -> list[dict]:
    """The handlers (user id, name) who may not enforce in this case, with the reason (enforcement.eligibility)."""
    found = []
    for user_id, name in sorted(handlers):
        problem = ineligibility(officers.get(user_id), case_domain, case_code)
        if problem:
            found.append({"user_id": user_id, "name": name, "reason": problem})
    return found


def _officers_of(user_ids) -> dict:
    return {
        o.user_id: o
        for o in EnforcementOfficer._base_manager.select_related("user", "jurisdiction", "credential").filter(
            user_id__in=list(user_ids)
        )
    }


def _uncertified_naive(case, today):
    if case.status not in HANDLING:
        return None
    handlers = [
        (a.user_id, a.user.display_name)
        for a in _handlers().filter(object_id=str(case.pk)).select_related("user")
    ]
    found = _officer_evidence(
        case.domain, case.jurisdiction_id, handlers, _officers_of(u for u, _ in handlers)
    )
    return {**_status(case.status), "handlers": found} if found else None


def _certified_user_ids(now) -> list[int]:
    """The users whose officer record, account and 行政执法证 are valid now (a few thousand at most: one query)."""
    return list(
        EnforcementOfficer._base_manager.filter(
            is_active=True,
            user__is_active=True,
            credential__type_code=CERTIFICATE_TYPE,
            credential__status=CredentialStatus.ACTIVE,
            credential__valid_from__lte=now,
            credential__valid_until__gt=now,
            credential__holder_id=F("user_id"),
        ).values_list("user_id", flat=True)
    )


@check(FlagRule.UNCERTIFIED_HANDLER, _uncertified_naive)
def _uncertified(today):
    # Who holds a valid certificate is decided once (the officers table is small); per handler the database then
    # only checks that the certificate covers the case's domain and area — no join per row.
    certified = _certified_user_ids(timezone.now())
    covers = (
        EnforcementOfficer._base_manager.annotate(domains_text=Cast("domains", TextField()))
        .filter(user_id=OuterRef("user_id"))
        .filter(
            domains_text__contains=Concat(
                Value('"'), OuterRef(OuterRef("domain")), Value('"'), output_field=CharField()
            )
        )
        .filter(_ancestor_match(OuterRef(OuterRef("jurisdiction_id"))))
    )
    bad = (
        _handlers()
        .filter(object_id=Cast(OuterRef("pk"), CharField()))
        .filter(~Q(user_id__in=certified) | ~Exists(covers))
    )

    qs = _cases().filter(status__in=HANDLING).filter(Exists(bad))
    rows = list(_stream(qs, "status"))
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        handlers: dict[str, list] = defaultdict(list)
        for object_id, user_id in (
            _handlers()
            .filter(object_id__in=[str(r["pk"]) for r in chunk])
            .values_list("object_id", "user_id")
        ):
            handlers[object_id].append(user_id)
        users = {u for ids in handlers.values() for u in ids}
        officers = _officers_of(users)
        names = _display_names(users)
        for row in chunk:
            pairs = [(u, names[u]) for u in handlers[str(row["pk"])]]
            found = _officer_evidence(row["domain"], row["jurisdiction_id"], pairs, officers)
            if found:
                yield _scope(row), {**_status(row["status"]), "handlers": found}


def _display_names(user_ids) -> dict[int, str]:
    from smartjustice.core.models import User

    return {u.pk: u.display_name for u in User._base_manager.filter(pk__in=list(user_ids))}


# 5. 执法人员少于两人: an ordinary case past 立案 with fewer than two handlers (第四十二条).


def _single_evidence(row: dict) -> dict:
    return {**_status(row["status"]), "handlers": row["handler_count"], "minimum": rules.SINGLE_OFFICER.value}


def _single_naive(case, today):
    if case.procedure != Procedure.ORDINARY or case.status not in HANDLING:
        return None
    count = _handlers().filter(object_id=str(case.pk)).count()
    if count >= rules.SINGLE_OFFICER.value:
        return None
    return _single_evidence({"status": case.status, "handler_count": count})


@check(FlagRule.SINGLE_OFFICER, _single_naive)
def _single(today):
    count = (
        _handlers()
        .filter(object_id=Cast(OuterRef("pk"), CharField()))
        .order_by()
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        _cases()
        .filter(procedure=Procedure.ORDINARY, status__in=HANDLING)
        .annotate(handler_count=Coalesce(Subquery(count, output_field=IntegerField()), 0))
        .filter(handler_count__lt=rules.SINGLE_OFFICER.value)
    )
    for row in _stream(qs, "status", "handler_count"):
        yield _scope(row), _single_evidence(row)


# 6. 应审未审: decided without a passed 法制审核 where one was required (第五十八条).


def _review_evidence(row: dict) -> dict:
    return {
        **_status(row["status"]),
        "legal_review_passed": row["legal_review_passed"],
        "reviewed_on": _plain(row["reviewed_on"]),
        "decided_on": _plain(row["decided_on"]),
        "decision_number": row["decision_number"],
    }


def _review_naive(case, today):
    if case.legal_review_required and case.status in DECIDED and case.legal_review_passed is not True:
        return _review_evidence(
            {
                "status": case.status,
                "legal_review_passed": case.legal_review_passed,
                "reviewed_on": case.reviewed_on,
                "decided_on": case.decided_on,
                "decision_number": case.decision_number,
            }
        )
    return None


@check(FlagRule.LEGAL_REVIEW_MISSING, _review_naive)
def _review(today):
    qs = _cases().filter(legal_review_required=True, status__in=DECIDED).exclude(legal_review_passed=True)
    for row in _stream(qs, "status", "legal_review_passed", "reviewed_on", "decided_on", "decision_number"):
        yield _scope(row), _review_evidence(row)


# 7. 未告知听证权利: the prior notice went out without the hearing right for a decision that needs it (第六十三条).


def _hearing_evidence(row: dict) -> dict:
    heavy = [s for s in rules.HEARING_SANCTIONS.value if s in (row["other_sanctions"] or [])]
    return {
        **_status(row["status"]),
        "party_kind": row["party__kind"],
        "fine_amount": _plain(row["fine_amount"]),
        "confiscated_amount": _plain(row["confiscated_amount"]),
        "large_amount": rules.LARGE_AMOUNT.value.get(row["party__kind"]),
        "sanctions": heavy,
        "notified_on": _plain(row["notified_on"]),
    }


def _needs_hearing(kind: str, fine, confiscated, sanctions) -> bool:
    large = rules.LARGE_AMOUNT.value.get(kind)
    if large is not None and any(amount is not None and amount >= large for amount in (fine, confiscated)):
        return True
    return any(s in (sanctions or []) for s in rules.HEARING_SANCTIONS.value)


def _hearing_naive(case, today):
    if case.notified_on is None or case.hearing_offered or case.status in NO_PENALTY:
        return None
    kind = case.party.kind  # one query per case
    if not _needs_hearing(kind, case.fine_amount, case.confiscated_amount, case.other_sanctions):
        return None
    return _hearing_evidence(
        {
            "status": case.status,
            "party__kind": kind,
            "fine_amount": case.fine_amount,
            "confiscated_amount": case.confiscated_amount,
            "other_sanctions": case.other_sanctions,
            "notified_on": case.notified_on,
        }
    )


@check(FlagRule.HEARING_NOTICE_MISSING, _hearing_naive)
def _hearing(today):
    large = Q()
    for kind, amount in rules.LARGE_AMOUNT.value.items():
        large |= Q(party__kind=kind) & (Q(fine_amount__gte=amount) | Q(confiscated_amount__gte=amount))
    for sanction in rules.HEARING_SANCTIONS.value:
        large |= _json_contains("sanctions_text", sanction)
    qs = (
        _cases()
        .filter(notified_on__isnull=False, hearing_offered=False)
        .exclude(status__in=NO_PENALTY)
        .annotate(sanctions_text=Cast("other_sanctions", TextField()))
        .filter(large)
    )
    fields = ("status", "party__kind", "fine_amount", "confiscated_amount", "other_sanctions", "notified_on")
    for row in _stream(qs, *fields):
        if _needs_hearing(
            row["party__kind"], row["fine_amount"], row["confiscated_amount"], row["other_sanctions"]
        ):
            yield _scope(row), _hearing_evidence(row)


# 8. 同一违法行为重复罚款: two decisions in force fining the same conduct (第二十九条).

FINED = Q(fine_amount__gt=0, decided_on__isnull=False, revoked_on__isnull=True, conduct_key__gt="") & ~Q(
    status__in=NO_PENALTY
)


def _twice_evidence(row: dict, others: list[dict]) -> dict:
    return {
        **_status(row["status"]),
        "conduct_key": row["conduct_key"],
        "fine_amount": _plain(row["fine_amount"]),
        "decided_on": _plain(row["decided_on"]),
        "others": [
            {
                "case_id": o["pk"],
                "number": o["number"] or "",
                "decided_on": _plain(o["decided_on"]),
                "fine_amount": _plain(o["fine_amount"]),
            }
            for o in others
        ],
    }


TWICE_FIELDS = ("status", "conduct_key", "fine_amount", "decided_on", "number")


def _twice_naive(case, today):
    if not (
        case.fine_amount
        and case.fine_amount > 0
        and case.decided_on
        and case.revoked_on is None
        and case.conduct_key
        and case.status not in NO_PENALTY
    ):
        return None
    others = list(
        _cases()
        .filter(FINED, conduct_key=case.conduct_key)
        .exclude(pk=case.pk)
        .order_by("pk")
        .values("pk", *TWICE_FIELDS)
    )
    if not others:
        return None
    row = {
        "status": case.status,
        "conduct_key": case.conduct_key,
        "fine_amount": case.fine_amount,
        "decided_on": case.decided_on,
    }
    return _twice_evidence(row, others)


@check(FlagRule.FINED_TWICE, _twice_naive)
def _twice(today):
    keys = (
        _cases()
        .filter(FINED)
        .values("conduct_key")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .values("conduct_key")
    )
    qs = _cases().filter(FINED, conduct_key__in=Subquery(keys))
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in _stream(qs, *TWICE_FIELDS):
        groups[row["conduct_key"]].append(row)
    for rows in groups.values():
        for row in rows:
            yield _scope(row), _twice_evidence(row, [o for o in rows if o["pk"] != row["pk"]])


# 9. 逾期未执行: served, the fine still not paid 30 days after the payment period (行政强制法第四十六条).


def _paid_sum():
    return (
        CasePayment._base_manager.filter(case_id=OuterRef("pk"), kind__in=PAID_KINDS, paid_on__isnull=False)
        .order_by()
        .values("case_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )


def _unexecuted_evidence(row: dict) -> dict:
    return {
        **_status(row["status"]),
        "served_on": _plain(row["served_on"]),
        "payment_due_on": _plain(row["payment_due_on"]),
        "fine_amount": _plain(row["fine_amount"]),
        "paid": _plain(row["paid"]),
        "grace_days": rules.EXECUTION_GRACE.days,
    }


def _cutoff(today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=rules.EXECUTION_GRACE.days)


def _unexecuted_naive(case, today):
    cutoff = _cutoff(today)
    if case.status != S.SERVED or not case.fine_amount or case.payment_due_on is None:
        return None
    if case.payment_due_on >= cutoff:
        return None
    payments = CasePayment._base_manager.filter(case_id=case.pk)
    if payments.filter(kind=PaymentKind.INSTALMENT, paid_on__isnull=True, due_on__gte=cutoff).exists():
        return None  # an approved instalment not yet due (第六十六条第二款)
    paid = payments.filter(kind__in=PAID_KINDS, paid_on__isnull=False).aggregate(t=Sum("amount"))[
        "t"
    ] or Decimal(0)
    if paid >= case.fine_amount:
        return None
    return _unexecuted_evidence(
        {
            "status": case.status,
            "served_on": case.served_on,
            "payment_due_on": case.payment_due_on,
            "fine_amount": case.fine_amount,
            "paid": paid,
        }
    )


@check(FlagRule.UNEXECUTED, _unexecuted_naive)
def _unexecuted(today):
    cutoff = _cutoff(today)
    pending = CasePayment._base_manager.filter(
        case_id=OuterRef("pk"), kind=PaymentKind.INSTALMENT, paid_on__isnull=True, due_on__gte=cutoff
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    qs = (
        _cases()
        .filter(status=S.SERVED, fine_amount__gt=0, payment_due_on__lt=cutoff)
        .exclude(Exists(pending))
        .annotate(
            paid=Coalesce(Subquery(_paid_sum(), output_field=money), Value(Decimal(0)), output_field=money)
        )
        .filter(paid__lt=F("fine_amount"))
    )
    for row in _stream(qs, "status", "served_on", "payment_due_on", "fine_amount", "paid"):
        yield _scope(row), _unexecuted_evidence(row)


# 10. 立案超九十日未决定 (第六十条).


def _open_evidence(row: dict) -> dict:
    return {
        **_status(row["status"]),
        "filed_on": _plain(row["filed_on"]),
        "limit_days": rules.DECISION_PERIOD.days,
    }


def _open_naive(case, today):
    limit = today - datetime.timedelta(days=rules.DECISION_PERIOD.days)
    if case.status in BEFORE_DECISION and case.filed_on and case.filed_on < limit and case.decided_on is None:
        return _open_evidence({"status": case.status, "filed_on": case.filed_on})
    return None


@check(FlagRule.OPEN_TOO_LONG, _open_naive)
def _open(today):
    limit = today - datetime.timedelta(days=rules.DECISION_PERIOD.days)
    qs = _cases().filter(status__in=BEFORE_DECISION, filed_on__lt=limit, decided_on__isnull=True)
    for row in _stream(qs, "status", "filed_on"):
        yield _scope(row), _open_evidence(row)


# --- the scan -------------------------------------------------------------------------------------------------------


@dataclass
class ScanResult:
    """What a scan found (rule → {case id: evidence}) and what it wrote."""

    found: dict[str, dict[int, dict]] = field(default_factory=dict)
    created: int = 0
    refreshed: int = 0
    resolved: int = 0
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(len(cases) for cases in self.found.values())

    def pairs(self) -> set[tuple[str, int]]:
        return {(code, case_id) for code, cases in self.found.items() for case_id in cases}

    def summary(self) -> str:
        counts = "，".join(
            f"{FlagRule(code).label} {len(cases)}" for code, cases in self.found.items() if cases
        )
        return (
            f"发现 {self.total} 项（{counts or '无'}）；新增预警 {self.created}，持续 {self.refreshed}，"
            f"已消除 {self.resolved}"
        )


def _codes(rule_codes: Iterable[str] | None) -> list[str]:
    codes = list(rule_codes) if rule_codes else list(CHECKS)
    unknown = set(codes) - set(CHECKS)
    if unknown:
        raise ValueError(f"unknown supervision rules: {sorted(unknown)}")
    return codes


def scan(
    *,
    today: datetime.date | None = None,
    rules: Iterable[str] | None = None,
    write: bool = True,
    actor=None,
    progress: Callable[[int, int, str], None] | None = None,
) -> ScanResult:
    """Run every check (or `rules`) set-based; with `write`, upsert the flags in bulk and resolve the ones that no
    longer fire. Safe to run in two workers at once (one open flag per case and rule is a constraint)."""
    today = today or timezone.localdate()
    codes = _codes(rules)
    result = ScanResult()
    started = time.monotonic()
    for done, code in enumerate(codes, start=1):
        scoped = {row[0]: (row, evidence) for row, evidence in CHECKS[code].fire(today)}
        result.found[code] = {case_id: evidence for case_id, (_, evidence) in scoped.items()}
        if write:
            (_upsert_postgresql if connection.vendor == "postgresql" else _upsert)(code, scoped, result)
        if progress:
            progress(done, len(codes), FlagRule(code).label)
    result.seconds = time.monotonic() - started
    if write:
        _record(result, actor)
    return result


def scan_naive(
    *,
    today: datetime.date | None = None,
    rules: Iterable[str] | None = None,
    write: bool = True,
    actor=None,
    progress: Callable[[int, int, str], None] | None = None,
) -> ScanResult:
    """The baseline: every case loaded and asked each rule's questions one by one; flags written row by row."""
    today = today or timezone.localdate()
    codes = _codes(rules)
    result = ScanResult(found={code: {} for code in codes})
    started = time.monotonic()
    total = _cases().count()
    scopes = {}
    for done, case in enumerate(_cases().order_by("pk").iterator(chunk_size=1000), start=1):
        for code in codes:
            evidence = CHECKS[code].naive(case, today)
            if evidence is not None:
                result.found[code][case.pk] = evidence
                scopes[case.pk] = (case.pk, case.jurisdiction_id, case.agency_id, case.domain)
        if progress and (done % 1000 == 0 or done == total):
            progress(done, total, "逐案检查")
    if write:
        now = timezone.now()
        flags = SupervisionFlag._base_manager
        for code in codes:
            with transaction.atomic():
                for case_id, evidence in result.found[code].items():
                    if flags.filter(case_id=case_id, rule=code, status=FlagStatus.DISMISSED).exists():
                        continue
                    flag = flags.filter(case_id=case_id, rule=code, status=FlagStatus.OPEN).first()
                    if flag is None:
                        _, jurisdiction_id, agency_id, domain = scopes[case_id]
                        flags.create(
                            case_id=case_id,
                            rule=code,
                            status=FlagStatus.OPEN,
                            evidence=evidence,
                            first_fired_at=now,
                            last_seen_at=now,
                            jurisdiction_id=jurisdiction_id,
                            agency_id=agency_id,
                            domain=domain,
                        )
                        result.created += 1
                    else:
                        flags.filter(pk=flag.pk).update(evidence=evidence, last_seen_at=now, updated_at=now)
                        result.refreshed += 1
                for flag in flags.filter(rule=code, status=FlagStatus.OPEN):
                    if flag.case_id not in result.found[code]:
                        flags.filter(pk=flag.pk).update(
                            status=FlagStatus.RESOLVED, resolved_at=now, updated_at=now
                        )
                        result.resolved += 1
    result.seconds = time.monotonic() - started
    if write:
        _record(result, actor)
    return result


def _upsert(code: str, scoped: dict[int, tuple[tuple, dict]], result: ScanResult) -> None:
    """Create the new flags, refresh the ones still firing, resolve the rest — a few statements per rule."""
    flags = SupervisionFlag._base_manager
    now = timezone.now()
    with transaction.atomic():
        dismissed = set(
            flags.filter(rule=code, status=FlagStatus.DISMISSED)
            .values_list("case_id", flat=True)
            .iterator(BATCH)
        )
        existing = {
            case_id: (pk, evidence)
            for case_id, pk, evidence in flags.filter(rule=code, status=FlagStatus.OPEN)
            .values_list("case_id", "pk", "evidence")
            .iterator(chunk_size=BATCH)
        }
        new, same, changed = [], [], []
        for case_id, (row, evidence) in scoped.items():
            if case_id in existing:
                pk, before = existing[case_id]
                (same if before == evidence else changed).append((pk, evidence))
            elif case_id not in dismissed:
                _, jurisdiction_id, agency_id, domain = row
                new.append(
                    SupervisionFlag(
                        case_id=case_id,
                        rule=code,
                        status=FlagStatus.OPEN,
                        evidence=evidence,
                        first_fired_at=now,
                        last_seen_at=now,
                        jurisdiction_id=jurisdiction_id,
                        agency_id=agency_id,
                        domain=domain,
                    )
                )
        flags.bulk_create(new, batch_size=2000, ignore_conflicts=True)
        ids = [pk for pk, _ in same]
        for start in range(0, len(ids), BATCH):
            flags.filter(pk__in=ids[start : start + BATCH]).update(last_seen_at=now, updated_at=now)
        for pk, evidence in changed:  # evidence holds case values, not today's date: few change between scans
            flags.filter(pk=pk).update(evidence=evidence, last_seen_at=now, updated_at=now)
        resolved = flags.filter(rule=code, status=FlagStatus.OPEN, last_seen_at__lt=now).update(
            status=FlagStatus.RESOLVED, resolved_at=now, updated_at=now
        )
    result.created += len(new)
    result.refreshed += len(same) + len(changed)
    result.resolved += resolved


def _upsert_postgresql(code: str, scoped: dict[int, tuple[tuple, dict]], result: ScanResult) -> None:
    """The same upsert on PostgreSQL: the findings COPYed into a temporary table, then three statements (refresh,
    insert the new ones, resolve the rest) — no flag row passes through Python."""
    table = SupervisionFlag._meta.db_table
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS supervision_scan_rows (case_id bigint PRIMARY KEY, evidence jsonb, "
            "jurisdiction_id varchar(12), agency_id bigint, domain varchar(32))"
        )
        cursor.execute("TRUNCATE supervision_scan_rows")
        columns = "case_id, evidence, jurisdiction_id, agency_id, domain"
        with cursor.cursor.copy(f"COPY supervision_scan_rows ({columns}) FROM STDIN") as copy:
            for case_id, (row, evidence) in scoped.items():
                copy.write_row((case_id, json.dumps(evidence, ensure_ascii=False), row[1], row[2], row[3]))
        cursor.execute("ANALYZE supervision_scan_rows")
        cursor.execute(
            f"SELECT count(*) FROM {table} f JOIN supervision_scan_rows t ON f.case_id = t.case_id "
            "WHERE f.rule = %s AND f.status = 'open'",
            [code],
        )
        refreshed = cursor.fetchone()[0]
        # A flag still firing is rewritten only when its evidence changed or its 最近发现时间 is older than
        # SEEN_REFRESH: an hourly scan of a large, stable backlog then touches a few rows instead of all of them.
        cursor.execute(
            f"UPDATE {table} f SET last_seen_at = %s, updated_at = %s, evidence = t.evidence "
            "FROM supervision_scan_rows t WHERE f.rule = %s AND f.status = 'open' AND f.case_id = t.case_id "
            "AND (f.evidence IS DISTINCT FROM t.evidence OR f.last_seen_at < %s)",
            [now, now, code, now - SEEN_REFRESH],
        )
        cursor.execute(
            f"INSERT INTO {table} (created_at, updated_at, case_id, rule, status, evidence, first_fired_at, "
            "last_seen_at, dismissed_reason, jurisdiction_id, agency_id, domain) "
            "SELECT %s, %s, t.case_id, %s, 'open', t.evidence, %s, %s, '', t.jurisdiction_id, t.agency_id, t.domain "
            f"FROM supervision_scan_rows t WHERE NOT EXISTS (SELECT 1 FROM {table} f WHERE f.case_id = t.case_id "
            "AND f.rule = %s AND f.status IN ('open', 'dismissed')) ON CONFLICT DO NOTHING",
            [now, now, code, now, now, code],
        )
        created = cursor.rowcount
        cursor.execute(
            f"UPDATE {table} f SET status = 'resolved', resolved_at = %s, updated_at = %s "
            "WHERE f.rule = %s AND f.status = 'open' "
            "AND NOT EXISTS (SELECT 1 FROM supervision_scan_rows t WHERE t.case_id = f.case_id)",
            [now, now, code],
        )
        resolved = cursor.rowcount
    result.created += created
    result.refreshed += refreshed
    result.resolved += resolved


def _record(result: ScanResult, actor) -> None:
    audit.record(
        SupervisionAuditEvent.SCAN_COMPLETED,
        actor=actor,
        object_type=SupervisionFlag._meta.label_lower,
        detail=result.summary()[:500],
    )


# --- why a flag fired, in words (pages and API) ---------------------------------------------------------------------


def _yuan(value) -> str:
    return "—" if value in (None, "") else f"{value}元"


def _range_text(lower, upper) -> str:
    if lower is not None and upper is not None:
        return f"{lower}元至{upper}元"
    if upper is not None:
        return f"{upper}元以下"
    return f"{lower}元以上" if lower is not None else "不限"


def explain(code: str, evidence: dict) -> str:
    """One Chinese sentence saying which values made rule `code` fire."""
    e = evidence or {}
    status = e.get("status_label", "")
    if code == FlagRule.STAGE_OVERDUE:
        return f"案件处于“{status}”阶段，该阶段期限已于 {e.get('clock_due_on')} 届满，期限未暂停"
    if code == FlagRule.FINE_OUT_OF_RANGE:
        ranges = "、".join(_range_text(lo, hi) for lo, hi in e.get("ranges", []))
        return f"罚款 {_yuan(e.get('fine_amount'))}，不在执法事项依据规定的幅度（{ranges}）内"
    if code == FlagRule.FINE_OUTSIDE_BENCHMARK:
        grade = e.get("grade") or ""
        from smartjustice.enforcement.choices import DiscretionGrade

        label = DiscretionGrade(grade).label if grade in DiscretionGrade.values else grade
        return (
            f"罚款 {_yuan(e.get('fine_amount'))}，不在所适用裁量基准（{label}："
            f"{_range_text(e.get('fine_lower'), e.get('fine_upper'))}）内"
        )
    if code == FlagRule.UNCERTIFIED_HANDLER:
        return "；".join(f"承办人{h['name']}：{h['reason']}" for h in e.get("handlers", []))
    if code == FlagRule.SINGLE_OFFICER:
        return f"普通程序案件处于“{status}”阶段，承办人 {e.get('handlers')} 人，少于 {e.get('minimum')} 人"
    if code == FlagRule.LEGAL_REVIEW_MISSING:
        how = "法制审核未通过" if e.get("legal_review_passed") is False else "未经法制审核"
        number = e.get("decision_number") or "未编号"
        return f"本案须法制审核，{how}即于 {e.get('decided_on') or '—'} 作出决定（{number}）"
    if code == FlagRule.HEARING_NOTICE_MISSING:
        kind = PartyKind(e["party_kind"]).label if e.get("party_kind") in PartyKind.values else "当事人"
        parts = [f"罚款 {_yuan(e.get('fine_amount'))}"]
        if e.get("confiscated_amount"):
            parts.append(f"没收违法所得 {_yuan(e.get('confiscated_amount'))}")
        parts += e.get("sanctions", [])
        return (
            f"当事人为{kind}，拟处{'、'.join(parts)}（较大数额标准 {_yuan(e.get('large_amount'))}），"
            f"{e.get('notified_on')} 告知时未告知听证权利"
        )
    if code == FlagRule.FINED_TWICE:
        others = "、".join(
            f"{o['number'] or '#' + str(o['case_id'])}（{o['fine_amount']}元）" for o in e.get("others", [])
        )
        return f"同一违法行为已另有罚款决定：{others}；本案罚款 {_yuan(e.get('fine_amount'))}"
    if code == FlagRule.UNEXECUTED:
        return (
            f"罚款 {_yuan(e.get('fine_amount'))}，缴款期限 {e.get('payment_due_on')}，已缴 {_yuan(e.get('paid'))}；"
            f"期限届满已超过 {e.get('grace_days')} 日仍未执行完毕"
        )
    if code == FlagRule.OPEN_TOO_LONG:
        return f"{e.get('filed_on')} 立案，超过 {e.get('limit_days')} 日仍未作出决定（当前：{status}）"
    return ""


EVIDENCE_LABELS = {
    "status_label": "办理阶段",
    "clock_code": "计时期限",
    "clock_due_on": "期限届满日",
    "fine_amount": "罚款金额（元）",
    "confiscated_amount": "没收违法所得（元）",
    "item_id": "执法事项 ID",
    "ranges": "法定罚款幅度（元）",
    "benchmark_id": "裁量基准 ID",
    "grade": "裁量阶次",
    "fine_lower": "基准下限（元）",
    "fine_upper": "基准上限（元）",
    "handlers": "承办人",
    "minimum": "法定最少人数",
    "legal_review_passed": "法制审核通过",
    "reviewed_on": "审核日期",
    "decided_on": "决定日期",
    "decision_number": "决定书文号",
    "party_kind": "当事人类型",
    "large_amount": "较大数额标准（元）",
    "sanctions": "其他处罚种类",
    "notified_on": "告知日期",
    "conduct_key": "违法行为标识",
    "others": "其他罚款决定",
    "served_on": "送达日期",
    "payment_due_on": "缴款期限",
    "paid": "已缴金额（元）",
    "grace_days": "宽限天数",
    "filed_on": "立案日期",
    "limit_days": "法定期限（日）",
}


def evidence_rows(evidence: dict) -> list[tuple[str, str]]:
    """The evidence as (Chinese label, value) rows for the detail page."""
    rows = []
    for key, value in (evidence or {}).items():
        if key == "status":
            continue
        if key == "handlers" and isinstance(value, list):
            value = "；".join(f"{h['name']}：{h['reason']}" for h in value)
        elif key == "ranges":
            value = "、".join(_range_text(lo, hi) for lo, hi in value)
        elif key == "others":
            value = "、".join(
                f"{o['number'] or '#' + str(o['case_id'])}（{o['decided_on']}，{o['fine_amount']}元）"
                for o in value
            )
        elif key == "party_kind":
            value = PartyKind(value).label if value in PartyKind.values else value
        elif isinstance(value, list | dict):
            value = (
                "、".join(map(str, value))
                if isinstance(value, list)
                else json.dumps(value, ensure_ascii=False)
            )
        elif isinstance(value, bool):
            value = "是" if value else "否"
        elif value is None:
            value = "—"
        rows.append((EVIDENCE_LABELS.get(key, key), str(value)))
    return rows
