"""The arithmetic of a penalty (enforcement/penalties.py): the late-payment surcharge of 《行政处罚法》第七十二条第一款第一项
day by day (capped at the fine, instalments and part payments), the fine range of an item and its benchmark (第四条、
第三十四条), the hearing right (第六十三条), the limitation period (第三十六条) and one conduct's key (第二十九条)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from smartjustice.core.errors import ValidationFailed
from smartjustice.enforcement import penalties
from smartjustice.enforcement.choices import DiscretionGrade, PartyKind

DUE = datetime.date(2026, 9, 30)  # the day before 国庆: the surcharge runs through the holiday all the same


def day(n: int) -> datetime.date:
    return DUE + datetime.timedelta(days=n)


# --- the surcharge --------------------------------------------------------------------------------------------


def test_nothing_accrues_up_to_and_on_the_due_date():
    assert penalties.surcharge_on("10000", DUE, day(-3)) == Decimal("0.00")
    assert penalties.surcharge_on("10000", DUE, DUE) == Decimal("0.00")


def test_three_percent_a_day_from_the_day_after_the_due_date_holidays_included():
    assert penalties.surcharge_on("10000", DUE, day(1)) == Decimal("300.00")
    assert penalties.surcharge_on("10000", DUE, day(7)) == Decimal("2100.00")  # 10月1日—7日 are 法定节假日


def test_the_surcharge_never_exceeds_the_fine():
    assert penalties.surcharge_on("10000", DUE, day(33)) == Decimal("9900.00")
    assert penalties.surcharge_on("10000", DUE, day(34)) == Decimal("10000.00")  # 102 % capped at 100 %
    assert penalties.surcharge_on("10000", DUE, day(400)) == Decimal("10000.00")


def test_a_part_payment_counts_from_the_day_it_is_made():
    # 4,000 paid on the 2nd day late: day 1 and 2 on 10,000, then 6,000 outstanding.
    paid = [(day(2), "4000")]
    assert penalties.surcharge_on("10000", DUE, day(2), payments=paid) == Decimal("600.00")
    assert penalties.surcharge_on("10000", DUE, day(3), payments=paid) == Decimal("780.00")
    # Paid in full on the due date: nothing; paid in full on day 5: five days' surcharge, then it stops.
    assert penalties.surcharge_on("10000", DUE, day(30), payments=[(DUE, "10000")]) == Decimal("0.00")
    assert penalties.surcharge_on("10000", DUE, day(30), payments=[(day(5), "10000")]) == Decimal("1500.00")


def test_amounts_are_rounded_half_up_to_the_fen():
    assert penalties.surcharge_on("333.35", DUE, day(1)) == Decimal("10.00")  # 10.0005 → 10.00
    assert penalties.surcharge_on("333.50", DUE, day(1)) == Decimal("10.01")  # 10.005 → 10.01
    assert penalties.money("0.005") == Decimal("0.01")


def test_instalments_accrue_each_from_its_own_due_date():
    plan = [(DUE, "4000"), (day(30), "6000")]
    # Only the first instalment is overdue during the first 30 days.
    assert penalties.surcharge_on("10000", DUE, day(10), instalments=plan) == Decimal("1200.00")
    # The first paid on time: nothing until the second falls due; then 3 % of 6,000.
    paid = [(DUE, "4000")]
    assert penalties.surcharge_on("10000", DUE, day(30), instalments=plan, payments=paid) == Decimal("0.00")
    assert penalties.surcharge_on("10000", DUE, day(31), instalments=plan, payments=paid) == Decimal("180.00")
    # A payment is applied to the earliest instalment first and the cap is the whole fine.
    assert penalties.surcharge_on("10000", DUE, day(400), instalments=plan) == Decimal("10000.00")


def test_no_fine_no_surcharge():
    assert penalties.surcharge_on(None, DUE, day(10)) == Decimal("0.00")
    assert penalties.surcharge_on("0", DUE, day(10)) == Decimal("0.00")


# --- the fine range ----------------------------------------------------------------------------------------------


class Rows(list):
    def all(self):
        return self


def sanction(**fields):
    values = {
        "kind": "罚款",
        "lower": None,
        "upper": None,
        "multiple_of": "",
        "multiple_lower": None,
        "multiple_upper": None,
    }
    return SimpleNamespace(**{**values, **fields})


def item(*sanctions, pk=1):
    return SimpleNamespace(
        pk=pk,
        name="测试事项",
        sanctions=Rows(sanctions),
        bases=Rows(["《中华人民共和国价格法》第四十二条"]),
    )


def benchmark(lower, upper, *, grade=DiscretionGrade.ORDINARY, exemption="", item_id=1):
    labels = dict(DiscretionGrade.choices)
    return SimpleNamespace(
        item_id=item_id,
        fine_lower=lower,
        fine_upper=upper,
        grade=grade,
        exemption_list=exemption,
        circumstance="一般情形",
        get_grade_display=lambda: labels[grade],
    )


def test_the_statutory_range_and_the_benchmark_bound_the_fine():
    thing = item(sanction(lower=1000, upper=50000))
    assert penalties.check_fine({"fine_amount": "1000", "item": thing}) == Decimal("1000.00")
    assert penalties.check_fine({"fine_amount": "50000.00", "item": thing}) == Decimal("50000.00")
    with pytest.raises(ValidationFailed, match="价格法》第四十二条.*1000元至50000元"):
        penalties.check_fine({"fine_amount": "999.99", "item": thing})
    with pytest.raises(ValidationFailed, match="第三十四条"):
        penalties.check_fine({"fine_amount": "20000", "item": thing, "benchmark": benchmark(1000, 10000)})
    with pytest.raises(ValidationFailed, match="不予处罚清单"):
        penalties.check_fine(
            {
                "fine_amount": "1000",
                "item": thing,
                "benchmark": benchmark(None, None, grade=DiscretionGrade.NO_PENALTY),
            }
        )
    with pytest.raises(ValidationFailed, match="不属于该执法事项"):
        penalties.check_fine(
            {"fine_amount": "1000", "item": thing, "benchmark": benchmark(1000, 2000, item_id=2)}
        )


def test_a_multiple_of_illegal_gains_is_scaled_by_the_gains():
    thing = item(sanction(multiple_of="违法所得", multiple_lower=1, multiple_upper=5))
    found = penalties.fine_range_for(thing, base_amount="3000")
    assert (found.lower, found.upper) == (Decimal("3000.00"), Decimal("15000.00"))
    with pytest.raises(ValidationFailed, match="违法所得"):
        penalties.fine_range_for(thing)
    # With an absolute provision too (没有违法所得的), the fine lies within either.
    both = item(
        sanction(multiple_of="违法所得", multiple_lower=1, multiple_upper=5), sanction(lower=500, upper=5000)
    )
    assert penalties.fine_range_for(both).upper == Decimal("5000.00")
    assert penalties.fine_range_for(both, base_amount="3000").upper == Decimal("15000.00")


def test_an_item_without_a_fine_allows_none():
    thing = item(sanction(kind="警告、通报批评"))
    assert penalties.fine_range_for(thing) is None
    with pytest.raises(ValidationFailed, match="未规定罚款"):
        penalties.check_fine({"fine_amount": "100", "item": thing})
    with pytest.raises(ValidationFailed, match="负数"):
        penalties.check_fine({"fine_amount": "-1", "item": thing})


# --- hearing right, limitation, one conduct ---------------------------------------------------------------------


def test_the_hearing_right_follows_the_guangdong_thresholds_and_the_heavier_kinds():
    assert not penalties.hearing_right(PartyKind.PERSON, fine="4999.99")
    assert penalties.hearing_right(PartyKind.PERSON, fine="5000")
    assert not penalties.hearing_right(PartyKind.ORGANISATION, fine="49999")
    assert penalties.hearing_right(PartyKind.ORGANISATION, fine="50000")
    assert penalties.hearing_right(PartyKind.ORGANISATION, confiscated="60000")
    assert penalties.hearing_right(PartyKind.ORGANISATION, other_sanctions=["吊销许可证件"])
    assert not penalties.hearing_right(PartyKind.ORGANISATION, other_sanctions=["警告、通报批评"])


def test_two_years_or_five_to_discover_a_conduct():
    occurred = datetime.date(2024, 2, 29)
    assert penalties.limitation_ends(occurred) == datetime.date(2026, 2, 28)
    assert not penalties.time_barred(occurred, datetime.date(2026, 2, 28))
    assert penalties.time_barred(occurred, datetime.date(2026, 3, 1))
    assert not penalties.time_barred(occurred, datetime.date(2029, 2, 28), extended=True)
    assert penalties.time_barred(occurred, datetime.date(2029, 3, 1), extended=True)
    assert not penalties.time_barred(None, datetime.date(2029, 3, 1))


def test_one_conduct_has_one_key_whatever_the_spelling_of_the_cause():
    on = datetime.date(2026, 5, 1)
    a = penalties.conduct_key("91440106ma5abcde1x", cause="未按规定 明码标价。", occurred_on=on)
    b = penalties.conduct_key("91440106MA5ABCDE1X", cause="未按规定明码标价", occurred_on=on)
    assert a == b and len(a) == 64
    assert a != penalties.conduct_key(
        "91440106MA5ABCDE1X", cause="未按规定明码标价", occurred_on=on.replace(day=2)
    )
    assert penalties.conduct_key("X", item_id=3, cause="甲", occurred_on=on) == penalties.conduct_key(
        "X", item_id=3, cause="乙", occurred_on=on
    )
