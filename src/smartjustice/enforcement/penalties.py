"""The arithmetic of a penalty, as pure functions: the fine range an item and its benchmark allow (《行政处罚法》第四条、
第三十四条), the hearing right (第六十三条), the limitation period (第三十六条), one conduct's key (第二十九条) and
the late-payment surcharge (第七十二条第一款第一项). Money is Decimal, rounded half up to the 分 at the end.

Nothing here reads the clock or writes: services pass the dates and records in (enforcement/cases.py).
"""

from __future__ import annotations

import datetime
import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from smartjustice.core.errors import ValidationFailed

from . import rules
from .choices import DiscretionGrade, PartyKind
from .extraction import SanctionKind

CENT = Decimal("0.01")
ZERO = Decimal("0")
SURCHARGE_RATE = Decimal(rules.SURCHARGE.value)  # 百分之三 per day


def money(value) -> Decimal:
    """`value` as yuan with two decimals (ROUND_HALF_UP); ValidationFailed for what is not a number."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationFailed("金额格式不正确", fields={"amount": ["请填写数字金额（元）"]}) from None
    if not amount.is_finite():
        raise ValidationFailed("金额格式不正确", fields={"amount": ["请填写数字金额（元）"]})
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def yuan(amount) -> str:
    """12,345.60 元 → “12345.6元” style text for messages (no trailing zeros)."""
    text = format(money(amount).normalize(), "f")
    return f"{text}元"


# --- the fine range ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FineRange:
    """What an item's fine provisions allow (`lower`..`upper`, None = unbounded) and where a benchmark narrows it."""

    lower: Decimal | None
    upper: Decimal | None
    basis: str  # the articles the item rests on: “《…》第N条”
    benchmark_lower: Decimal | None = None
    benchmark_upper: Decimal | None = None
    benchmark_label: str = ""
    no_penalty: bool = False  # the benchmark puts the circumstance on a 不予处罚 list (第三十三条第一款)

    def describe(self) -> str:
        return _span(self.lower, self.upper)


def _span(lower, upper) -> str:
    if lower is not None and upper is not None:
        return f"{yuan(lower)}至{yuan(upper)}"
    if upper is not None:
        return f"{yuan(upper)}以下"
    if lower is not None:
        return f"{yuan(lower)}以上"
    return "不限"


def _basis_of(item) -> str:
    bases = [str(basis) for basis in item.bases.all()]
    return "、".join(bases) if bases else f"执法事项“{item.name}”的依据"


def _scaled(base: Decimal, factor) -> Decimal | None:
    return None if factor is None else money(base * Decimal(str(factor)))


def fine_range_for(item, benchmark=None, *, base_amount=None) -> FineRange | None:
    """The statutory fine range of `item` (its 罚款 sanctions; one based on a multiple of 违法所得 / 货值金额 … needs
    `base_amount`), narrowed by `benchmark` (裁量基准). None when the item provides no fine at all."""
    fines = [s for s in item.sanctions.all() if s.kind == SanctionKind.FINE]
    if not fines:
        return None
    lowers, uppers = [], []
    missing_base = ""
    for sanction in fines:
        multiple = (
            bool(sanction.multiple_of)
            or sanction.multiple_lower is not None
            or sanction.multiple_upper is not None
        )
        if multiple:
            if base_amount is None:
                missing_base = sanction.multiple_of or "计算基数"
                continue
            base = money(base_amount)
            lowers.append(_scaled(base, sanction.multiple_lower) or ZERO)
            uppers.append(_scaled(base, sanction.multiple_upper))
        else:
            lowers.append(money(sanction.lower) if sanction.lower is not None else ZERO)
            uppers.append(money(sanction.upper) if sanction.upper is not None else None)
    if not lowers:
        message = f"该事项的罚款按{missing_base}的倍数计算，请填写{missing_base}金额"
        raise ValidationFailed(message, fields={"base_amount": [message]})
    # Several provisions (e.g. with and without 违法所得): the fine must lie within one of them, so within their span.
    lower = min(lowers)
    upper = None if any(u is None for u in uppers) else max(uppers)
    found = FineRange(lower=lower, upper=upper, basis=_basis_of(item))
    if benchmark is None:
        return found
    if benchmark.item_id != item.pk:
        raise ValidationFailed(
            "所选裁量基准不属于该执法事项", fields={"benchmark": ["请选择该事项的裁量基准"]}
        )
    return FineRange(
        lower=lower,
        upper=upper,
        basis=found.basis,
        benchmark_lower=money(benchmark.fine_lower) if benchmark.fine_lower is not None else None,
        benchmark_upper=money(benchmark.fine_upper) if benchmark.fine_upper is not None else None,
        benchmark_label=f"{benchmark.get_grade_display()}：{benchmark.circumstance}",
        no_penalty=benchmark.grade == DiscretionGrade.NO_PENALTY or bool(benchmark.exemption_list),
    )


def _values(case_or_values) -> Mapping:
    if isinstance(case_or_values, Mapping):
        return case_or_values
    case = case_or_values
    return {
        "fine_amount": case.fine_amount,
        "item": case.item,
        "benchmark": case.benchmark,
        "base_amount": case.confiscated_amount,
    }


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"fine_amount": [message]})


def check_fine(case_or_values) -> Decimal | None:
    """The fine as money when the item's statutory range (its basis article, 第四条) and the chosen benchmark
    (第三十四条) allow it; ValidationFailed naming the article that bounds it otherwise. Takes a case, or a mapping
    with fine_amount, item, benchmark and base_amount (the 违法所得 / 货值金额 a multiple refers to)."""
    values = _values(case_or_values)
    fine = values.get("fine_amount")
    if fine is None or fine == "":
        return None
    fine = money(fine)
    if fine < 0:
        raise _refuse("罚款金额不能为负数")
    item = values.get("item")
    if item is None:
        return (
            fine  # no item chosen (e.g. a lead being worked out): the range is checked once an item is given
        )
    found = fine_range_for(item, values.get("benchmark"), base_amount=values.get("base_amount"))
    if found is None:
        if fine > 0:
            raise _refuse(f"{_basis_of(item)}未规定罚款，不能处以罚款（{rules.STATUTORY_RANGE.citation}）")
        return fine
    if found.no_penalty and fine > 0:
        raise _refuse(f"所选情形列入不予处罚清单，不予罚款（{rules.MINOR_NO_PENALTY.citation}）")
    if (found.lower is not None and fine < found.lower) or (found.upper is not None and fine > found.upper):
        raise _refuse(
            f"罚款{yuan(fine)}超出{found.basis}规定的幅度（{found.describe()}），"
            f"不得擅自改变处罚幅度（{rules.STATUTORY_RANGE.citation}）"
        )
    low, high = found.benchmark_lower, found.benchmark_upper
    if (low is not None and fine < low) or (high is not None and fine > high):
        raise _refuse(
            f"罚款{yuan(fine)}不在所选裁量基准（{found.benchmark_label}）的幅度（{_span(low, high)}）内"
            f"（{rules.DISCRETION_BENCHMARK.citation}）"
        )
    return fine


# --- hearing, legal review, limitation, one conduct ----------------------------------------------------------


def hearing_threshold(party_kind: str) -> Decimal:
    """较大数额 for `party_kind` (广东省 values, rules.HEARING_THRESHOLD_GUANGDONG)."""
    thresholds = rules.HEARING_THRESHOLD_GUANGDONG.value
    key = "person" if party_kind == PartyKind.PERSON else "organisation"
    return money(thresholds[key])


def hearing_right(
    party_kind: str, *, fine=None, confiscated=None, other_sanctions: Iterable[str] = ()
) -> bool:
    """Whether the proposed penalty carries the right to a hearing (第六十三条第一款): a large fine or confiscation, or
    one of the heavier kinds (吊销许可证件, 责令停产停业 …)."""
    threshold = hearing_threshold(party_kind)
    if fine is not None and money(fine) >= threshold:
        return True
    if confiscated is not None and money(confiscated) >= threshold:
        return True
    return any(kind in rules.HEARING_RIGHT.value for kind in other_sanctions or ())


def legal_review_needed(*, grave: bool, hearing: bool) -> bool:
    """第五十八条第一款, as this platform applies it: a grave or complex case (第一项、第三项) or a penalty that carries a
    hearing and so directly concerns the party's major rights (第二项)."""
    return bool(grave or hearing)


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February
        return day.replace(year=day.year + years, day=28)


def limitation_ends(occurred_on: datetime.date, *, extended: bool = False) -> datetime.date:
    """The last day the conduct may still be discovered (第三十六条: two years, five where life, health or financial
    safety is harmed; counted from the day it happened or, if continuing, ended)."""
    rule = rules.LIMITATION_PERIOD_EXTENDED if extended else rules.LIMITATION_PERIOD
    return _add_years(occurred_on, rule.value)


def time_barred(occurred_on, discovered_on, *, extended: bool = False) -> bool:
    """Whether the conduct was discovered after the limitation period (第三十六条)."""
    if occurred_on is None or discovered_on is None:
        return False
    return discovered_on > limitation_ends(occurred_on, extended=extended)


def normalised_cause(cause: str) -> str:
    text = unicodedata.normalize("NFKC", cause or "").lower()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "，。、,.;；:：")


def conduct_key(id_number: str, *, item_id=None, cause: str = "", occurred_on=None) -> str:
    """One conduct of one party: SHA-256 of (ID number, item or normalised cause, date) — the 第二十九条 check."""
    what = f"item:{item_id}" if item_id else f"cause:{normalised_cause(cause)}"
    when = occurred_on.isoformat() if occurred_on else ""
    raw = "|".join(((id_number or "").strip().upper(), what, when))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


# --- the late-payment surcharge (第七十二条第一款第一项) ------------------------------------------------------------


def surcharge_on(
    fine,
    due_on: datetime.date,
    day: datetime.date,
    *,
    payments: Iterable[tuple[datetime.date, object]] = (),
    instalments: Iterable[tuple[datetime.date, object]] = (),
    rate: Decimal = SURCHARGE_RATE,
) -> Decimal:
    """加处罚款 accrued by the end of `day`: for every day after a due date, 3 % of the part of the fine then due and
    unpaid, never more than the fine in total.

    `payments` are (paid_on, amount) towards the fine: a payment counts from the day it is made (a payment on the
    due date, or on any day, stops the surcharge for that day on). `instalments` are an approved plan (due_on,
    amount) (第六十六条第二款); without one, the whole fine falls due on `due_on`. Payments are applied to the
    earliest instalment first. Calendar days: a surcharge runs on rest days too (only procedural periods skip them).
    """
    fine = money(fine or 0)
    if fine <= 0 or due_on is None or day is None:
        return ZERO.quantize(CENT)
    plan = sorted((d, money(a)) for d, a in instalments) or [(due_on, fine)]
    paid = sorted((d, money(a)) for d, a in payments)
    first_due = plan[0][0]
    if day <= first_due:
        return ZERO.quantize(CENT)
    accrued = ZERO
    current = first_due + datetime.timedelta(days=1)
    while current <= day and accrued < fine:
        paid_before = sum((amount for paid_on, amount in paid if paid_on < current), ZERO)
        overdue = ZERO
        for instalment_due, amount in plan:
            covered = min(paid_before, amount)
            paid_before -= covered
            if instalment_due < current:
                overdue += amount - covered
        if overdue <= 0 and plan[-1][0] < current:
            break  # everything has fallen due and is paid: nothing more accrues
        accrued += overdue * rate
        current += datetime.timedelta(days=1)
    return money(min(accrued, fine))
