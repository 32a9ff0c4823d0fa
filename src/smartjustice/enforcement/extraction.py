"""Penalty provisions read out of an article's text: which sanctions it imposes, and the ranges of fines and detention.

Pure functions over a string (no database): `extract_sanctions(text)` returns the `Sanction`s an article provides
for, in the order they appear. The kinds are those of 《中华人民共和国行政处罚法》第九条:

    行政处罚的种类：（一）警告、通报批评；（二）罚款、没收违法所得、没收非法财物；（三）暂扣许可证件、降低资质等级、
    吊销许可证件；（四）限制开展生产经营活动、责令停产停业、责令关闭、限制从业；（五）行政拘留；
    （六）法律、行政法规规定的其他行政处罚。

Fines are integers in yuan ("五千元以上五万元以下" → 5000‥50000, "二十万元以下" → ‥200000, "1万元" → 10000); a fine
that is a multiple of something ("违法所得一倍以上五倍以下", "货值金额等值以下", "上一年度销售额百分之一以上百分之十以下")
carries the base (`multiple_of`) and the factors as numbers (百分之十 → 0.1); detention ("处十日以上十五日以下拘留") is
in days. Criminal penalties (罚金、有期徒刑、拘役、没收财产), disciplinary sanctions on officials (警告、记过 … 处分) and
fines or detention a people's court imposes (司法罚款、司法拘留) are not administrative penalties and are left out.
What comes out is a proposal for staff to review (`enforcement extract`), measured against hand labels by
`make bench-extraction`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from smartjustice.statutes.numerals import parse_numeral


class SanctionKind(StrEnum):
    """The kinds of administrative penalty of 《行政处罚法》第九条."""

    WARNING = "警告、通报批评"
    FINE = "罚款"
    CONFISCATE_GAINS = "没收违法所得"
    CONFISCATE_PROPERTY = "没收非法财物"
    SUSPEND_LICENCE = "暂扣许可证件"
    DOWNGRADE_QUALIFICATION = "降低资质等级"
    REVOKE_LICENCE = "吊销许可证件"
    RESTRICT_BUSINESS = "限制开展生产经营活动"
    SUSPEND_BUSINESS = "责令停产停业"
    CLOSE_DOWN = "责令关闭"
    RESTRICT_PRACTICE = "限制从业"
    DETENTION = "行政拘留"
    OTHER = "其他"


@dataclass(frozen=True)
class Sanction:
    """One sanction an article provides for; amounts in `unit` (元, 元/平方米 …, 日), multiples as factors."""

    kind: SanctionKind
    lower: int | None = None
    upper: int | None = None
    multiple_of: str = ""
    multiple_lower: float | None = None
    multiple_upper: float | None = None
    unit: str = ""
    text_span: tuple[int, int] = (0, 0)

    @property
    def is_multiple(self) -> bool:
        return bool(self.multiple_of) or self.multiple_lower is not None or self.multiple_upper is not None

    def describe(self) -> str:
        """罚款 5000–50000 元, 罚款 违法所得 1–5 倍, 行政拘留 10–15 日, 吊销许可证件."""
        if self.is_multiple:
            return f"{self.kind} {self.multiple_of} {_bound(self.multiple_lower)}–{_bound(self.multiple_upper)} 倍"
        if self.lower is None and self.upper is None:
            return str(self.kind)
        return f"{self.kind} {_bound(self.lower)}–{_bound(self.upper)} {self.unit}"

    def as_dict(self) -> dict:
        return {
            "kind": str(self.kind),
            "lower": self.lower,
            "upper": self.upper,
            "multiple_of": self.multiple_of,
            "multiple_lower": self.multiple_lower,
            "multiple_upper": self.multiple_upper,
            "unit": self.unit,
            "text_span": list(self.text_span),
        }


def _bound(value) -> str:
    if value is None:
        return "…"
    return f"{value:g}" if isinstance(value, float) else str(value)


# --- numbers -------------------------------------------------------------------------------------------------------

_NUM = r"[零〇一二两三四五六七八九十百千万亿0-9０-９.]+"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
_ARABIC = re.compile(r"^(\d+(?:\.\d+)?)([十百千万亿]*)$")
_ARABIC_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


def parse_amount(text: str) -> int:
    """五千 → 5000, 二十万 → 200000, 两万 → 20000, 1万 → 10000, 1.5万 → 15000, 一千万 → 10000000, 一亿 → 1e8."""
    text = text.translate(_FULL_WIDTH)
    if match := _ARABIC.match(text):
        value = float(match[1])
        for unit in match[2]:
            value *= _ARABIC_UNITS[unit]
        return round(value)
    if "亿" in text:
        high, _, low = text.partition("亿")
        return parse_numeral(high or "一") * 100_000_000 + (parse_numeral(low) if low else 0)
    return parse_numeral(text)


def _factor(token: str) -> float:
    """一倍 → 1, 百分之五十 → 0.5, 千分之五 → 0.005, 等值/等额 → 1."""
    if token in ("等值", "等额"):
        return 1.0
    if token.startswith("百分之"):
        return parse_amount(token[3:]) / 100
    if token.startswith("千分之"):
        return parse_amount(token[3:]) / 1000
    return float(parse_amount(token.removesuffix("倍")))


# --- patterns ------------------------------------------------------------------------------------------------------

# The fine itself: the range must be followed by 罚款 (or "或者 <another measure of the same fine> 罚款"), so that
# conditions such as "违法所得五十万元以上的" or "货值金额不足十万元的，按十万元计算" are not read as fines.
_FINE_END = r"(?:的)?(?:罚款|或者[^，；。：]{0,30}?罚款)"
_PER = r"(?P<per>每(?:平方米|公顷|亩|立方米|吨|件|台|辆|人|日|次|株|立木|头|只|千克|公斤|个))?"
_AMOUNT_RANGE = re.compile(
    _PER + rf"(?:(?P<lo>{_NUM})元?(?:以上|至|到|－|-|—|～|~)(?P<hi>{_NUM})元(?:以下)?"
    rf"|(?P<hi_only>{_NUM})元以下|(?P<lo_only>{_NUM})元以上|(?P<fixed>{_NUM})元)" + _FINE_END
)
_FACTOR = rf"(?:{_NUM}倍|百分之{_NUM}|千分之{_NUM}|等值|等额)"
_MULTIPLE_RANGE = re.compile(
    rf"(?:(?P<lo>{_FACTOR})(?:以上|至|到)(?P<hi>{_FACTOR})(?:以下)?|(?P<hi_only>{_FACTOR})以下|(?P<fixed>等额|等值)"
    rf"|(?P<fixed_n>{_NUM}倍))(?:的)?(?:罚款|或者[^，；。：]{{0,30}}?罚款)"
)
# The base of a multiple: what stands between the verb (处、并处、处以) and the factor.
_BASE_START = re.compile(r"(?:处以|并处|单处|处|按|或者|，|；|。|：)")
# "不再给予罚款" / "不得给予…罚款" (行政处罚法第二十九条、第三十五条) rule a fine out; "给予罚款处罚的" is a condition.
_FINE_PLAIN = re.compile(r"(?<!加)(?<!不再)(?<!不得)(?:处以|并处|单处|处|予以|给予)(?:其)?罚款(?!处罚的)")
_DETENTION = re.compile(rf"(?:(?P<lo>{_NUM})日以上)?(?P<hi>{_NUM})日以下(?:的)?(?:行政)?拘留")

_CONFISCATE = re.compile(r"没收")
_GAINS = re.compile(r"违法所得|非法所得|违法收入|所获收入|广告费用|违法收益")
_KEYWORDS: list[tuple[SanctionKind, re.Pattern]] = [
    (SanctionKind.SUSPEND_LICENCE, re.compile(r"暂扣[^，；。]{0,20}?(?:证|照|许可)")),
    (SanctionKind.DOWNGRADE_QUALIFICATION, re.compile(r"降低(?:其)?资质等级")),
    (
        SanctionKind.REVOKE_LICENCE,
        re.compile(r"(?<![被自])吊销[^，；。]{0,25}?(?:证|照|许可|资格|资质)|已取得检疫单证的，予以吊销"),
    ),
    (
        SanctionKind.SUSPEND_BUSINESS,
        # 责令停止托育服务 / 责令停止产生职业病危害的作业 stop the whole activity of an institution: 停产停业 in effect.
        re.compile(
            r"停产停业|停业整顿|停产整顿|责令(?:其)?停业|责令(?:其)?停止(?:相应)?执业"
            r"|责令停止(?:托育服务|产生职业病危害的作业)"
        ),
    ),
    (
        SanctionKind.CLOSE_DOWN,
        re.compile(r"责令(?:限期)?关闭|予以关闭|责令[^，；。]{0,10}?或者关闭|关闭网站|停业或者关闭|停止办学"),
    ),
    (
        SanctionKind.RESTRICT_PRACTICE,
        re.compile(
            r"终身(?:不得|禁止)(?:再)?从事|(?:年|期限)内(?:直至终身)?不得[^，；。]{0,10}?(?:从事|担任)|市场禁入"
            r"|暂停(?:其)?执行业务|停止执业的处罚|停止从业|(?:暂停|撤销)[^，；。]{0,6}?从业资格|不得重新申请"
            r"|暂停[^，；。]{0,12}?执业活动(?!期满)|禁止其[^，；。]{0,20}?(?:从事|担任)"
        ),
    ),
    (
        SanctionKind.RESTRICT_BUSINESS,
        re.compile(
            r"暂停(?:其|相关)?(?:部分或者全部)?(?!执行)[^，；。、]{0,4}?业务|限制(?:其)?业务|停止接受新业务"
            r"|(?:暂停|停止)[^，；。、]{0,4}?招生"
            r"|不得(?:再)?从事该项|禁止[^，；。]{0,60}?(?:年|期限)[^，；。]{0,20}?(?:从事|组织)[^，；。]{0,20}?活动"
            r"|(?:年|期限)[^，；。]{0,10}?禁止[^，；。]{0,10}?(?:从事|组织)[^，；。]{0,20}?活动"
            r"|暂停或者终止提供服务|暂停[^，；。]{0,20}?医药服务"
        ),
    ),
    (
        SanctionKind.OTHER,
        re.compile(
            r"取缔|撤销[^，；。]{0,12}?(?:登记|注册商标|授权|代表机构|批准文件)|取消[^，；。]{0,20}?资格"
        ),
    ),
]
_WARNING = re.compile(
    r"(?<!来不及)(?<!被给予)(?<!严重)(?<!的)警告(?!、记过|、严重警告|处分|直至|后|、记大过|或者记过|标志)|通报批评"
)
# A clause that only names kinds of penalty ("吊销许可证和执照、责令停产停业…等行政处罚的", "…的处罚决定不服的")
# or describes a past one ("依法被吊销营业执照") imposes nothing.
_MENTION_ONLY = re.compile(
    r"等行政处罚|的行政处罚|处罚决定不服|行政处罚的种类|被(?:依法)?$"
    r"|被(?:依法)?(?:开除|吊销|责令|撤销|处|给予|没收|暂扣|降低|取缔|关闭)[^，；。]{0,15}$"
    r"|被[^，；。]{0,8}?(?:机关|部门)(?:依法)?(?:(?:处以|处|给予|没收|吊销|责令)[^，；。]{0,15})?$"
)
# …and so do the procedural rules that list the decisions a step applies to ("拟作出下列行政处罚决定…：（一）较大数额罚款").
_KINDS_LIST = re.compile(
    r"^[^。：]{0,20}(?:处罚|处分)的种类[:：]|^处分分为|^[^。：]{0,20}拟作出下列[^。：]{0,6}处罚决定"
)
_CLAUSE_END = re.compile(r"[，；。：\n]")
# What is confiscated runs to the end of the clause, or to the next sanction in a list ("没收违法所得、处以…罚款").
_OBJECT_END = re.compile(r"[，；。：\n]|、(?=处|并处|吊销|责令|暂扣|降低|给予|没收|罚款)")
_PERSONS = re.compile(r"人员|负责人|法定代表人|个人|注册会计师|教师|船员|公证员|医师")


@dataclass(frozen=True)
class _Context:
    text: str

    def clause(self, start: int, end: int) -> str:
        """The clause around [start, end): from the previous to the next clause mark."""
        left = max(self.text.rfind(mark, 0, start) for mark in "，；。：\n") + 1
        found = _CLAUSE_END.search(self.text, end)
        return self.text[left : found.start() if found else len(self.text)]

    def before_in_clause(self, start: int) -> str:
        left = max(self.text.rfind(mark, 0, start) for mark in "，；。：\n") + 1
        return self.text[left:start]

    def sentence_part(self, start: int) -> str:
        """From the previous ；or 。 to `start`: who the sanction falls on is named there."""
        left = max(self.text.rfind(mark, 0, start) for mark in "；。\n") + 1
        return self.text[left:start]

    def by_court(self, start: int) -> bool:
        """A fine or detention a people's court imposes (妨害诉讼), not an administrative penalty."""
        left = max(self.text.rfind(mark, 0, start) for mark in "。\n") + 1
        before = self.text[left:start]
        court = before.rfind("法院")
        if court < 0:
            return False
        agency = max(before.rfind(word) for word in ("部门", "机关", "机构", "政府"))
        return court > agency

    def mention_only(self, start: int, end: int) -> bool:
        return bool(_MENTION_ONLY.search(self.before_in_clause(start))) or bool(
            re.search(r"等行政处罚|的行政处罚的?$|处罚决定不服|行政处罚的种类", self.clause(start, end))
        )


def _criminal(context: _Context, start: int) -> bool:
    """In a criminal provision: 有期徒刑、拘役、罚金 in the same sentence part (between ；/。 marks)."""
    text = context.text
    left = max(text.rfind(mark, 0, start) for mark in "；。\n") + 1
    right = min((i for i in (text.find(mark, start) for mark in "；。\n") if i >= 0), default=len(text))
    return bool(re.search(r"有期徒刑|拘役|罚金|定罪", text[left:right]))


def extract_sanctions(text: str) -> list[Sanction]:
    """Every administrative sanction `text` provides for, in the order they appear (see the module docstring)."""
    text = (text or "").translate(_FULL_WIDTH)
    if _KINDS_LIST.match(text):
        return []  # 《行政处罚法》第九条 and the like list the kinds; they impose none
    context = _Context(text)
    found: list[Sanction] = []
    fine_spans: list[tuple[int, int]] = []

    def usable(start: int, end: int) -> bool:
        return not (context.by_court(start) or context.mention_only(start, end) or _criminal(context, start))

    for match in _AMOUNT_RANGE.finditer(text):
        start, end = match.span()
        if not usable(start, end):
            continue
        lower, upper = _amount_bounds(match)
        unit = f"元/{match['per'][1:]}" if match["per"] else "元"
        found.append(Sanction(SanctionKind.FINE, lower=lower, upper=upper, unit=unit, text_span=(start, end)))
        fine_spans.append((start, end))
    for match in _MULTIPLE_RANGE.finditer(text):
        start, end = match.span()
        if not usable(start, end):
            continue
        found.append(_multiple_fine(text, match))
        fine_spans.append((start, end))
    for match in _FINE_PLAIN.finditer(text):
        start, end = match.span()
        if usable(start, end) and not any(s <= start < e for s, e in fine_spans):
            found.append(Sanction(SanctionKind.FINE, text_span=(start, end)))
    for match in _DETENTION.finditer(text):
        start, end = match.span()
        if not usable(start, end):
            continue
        lower = parse_amount(match["lo"]) if match["lo"] else None
        found.append(
            Sanction(
                SanctionKind.DETENTION,
                lower=lower,
                upper=parse_amount(match["hi"]),
                unit="日",
                text_span=(start, end),
            )
        )
    found.extend(_confiscations(context))
    for match in _WARNING.finditer(text):
        start, end = match.span()
        if usable(start, end):
            found.append(Sanction(SanctionKind.WARNING, text_span=(start, end)))
    for kind, pattern in _KEYWORDS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if not usable(start, end):
                continue
            on_persons = bool(_PERSONS.search(context.sentence_part(start)))
            if kind is SanctionKind.RESTRICT_BUSINESS and "禁止" in match[0] and on_persons:
                continue  # a ban on persons is 限制从业, matched by its own pattern
            if kind is SanctionKind.RESTRICT_PRACTICE and "内" in match[0][:3] and not on_persons:
                kind_here = SanctionKind.RESTRICT_BUSINESS  # "五年内不得从事该项业务" said of a business
                found.append(Sanction(kind_here, text_span=(start, end)))
                continue
            found.append(Sanction(kind, text_span=(start, end)))
    return sorted(_dedupe(found), key=lambda s: s.text_span)


def _amount_bounds(match: re.Match) -> tuple[int | None, int | None]:
    if match["fixed"]:
        value = parse_amount(match["fixed"])
        return value, value
    if match["hi_only"]:
        return None, parse_amount(match["hi_only"])
    if match["lo_only"]:
        return parse_amount(match["lo_only"]), None
    high = match["hi"]
    low = match["lo"]
    # "五千至一万元": the unit is written once, after the upper bound.
    return parse_amount(low), parse_amount(high)


def _multiple_fine(text: str, match: re.Match) -> Sanction:
    start, end = match.span()
    if match["fixed"]:
        low = high = 1.0
    elif match["fixed_n"]:
        low = high = _factor(match["fixed_n"])
    elif match["hi_only"]:
        low, high = None, _factor(match["hi_only"])
    else:
        low, high = _factor(match["lo"]), _factor(match["hi"])
    return Sanction(
        SanctionKind.FINE,
        multiple_of=_base(text, start),
        multiple_lower=low,
        multiple_upper=high,
        unit="倍",
        text_span=(start, end),
    )


def _base(text: str, start: int) -> str:
    """违法所得 in "并处违法所得一倍以上五倍以下的罚款"; the last "的" cuts off what qualifies the base."""
    window = text[max(0, start - 40) : start]
    cut = 0
    for found in _BASE_START.finditer(window):
        cut = found.end()
    base = window[cut:]
    if "的" in base:
        base = base.rsplit("的", 1)[1]
    return base.removeprefix("以").removeprefix("其").strip() or "（未写明）"


def _confiscations(context: _Context) -> list[Sanction]:
    text = context.text
    found = []
    for match in _CONFISCATE.finditer(text):
        start = match.start()
        before = text[max(0, start - 4) : start]
        after_end = _OBJECT_END.search(text, match.end())
        obj = text[match.end() : after_end.start() if after_end else len(text)]
        if obj.startswith("、") and not obj.startswith("、返还"):
            obj = obj.split("处理", 1)[-1] if "处理" in obj else obj[1:]  # "没收、无害化销毁处理侵权复制品"
        if (
            before.endswith("罚")
            or "被" in before
            or "协助" in before
            or "追缴、" in before
            or "申请" in before
            or "提出" in before
        ):
            continue
        if obj.startswith(("财产", "的", "、返还", "请求")) or re.search(r"申请|单据|拍卖|款项", obj):
            continue
        if not obj or obj.startswith("、"):
            # "予以没收": the gains named earlier in the clause ("有违法所得的，予以没收"), else the things.
            if not before.endswith("予以"):
                continue
            earlier = context.sentence_part(start)[-30:]
            kind = (
                SanctionKind.CONFISCATE_GAINS if _GAINS.search(earlier) else SanctionKind.CONFISCATE_PROPERTY
            )
            if context.by_court(start) or context.mention_only(start, match.end()):
                continue
            found.append(Sanction(kind, text_span=(start, match.end())))
            continue
        if context.by_court(start) or context.mention_only(start, match.end()) or _criminal(context, start):
            continue
        span = (start, match.end() + len(obj))
        gains = _GAINS.search(obj)
        if gains:
            found.append(Sanction(SanctionKind.CONFISCATE_GAINS, text_span=span))
        rest = _GAINS.sub("", obj)
        rest = re.sub(r"^(?:其|违法行为发生期间自本单位)|[和及以及、或者]|等|的", "", rest)
        if rest:
            found.append(Sanction(SanctionKind.CONFISCATE_PROPERTY, text_span=span))
    return found


def _dedupe(sanctions: list[Sanction]) -> list[Sanction]:
    """One sanction per place: overlapping matches of the same kind and amounts are the same sanction."""
    kept: list[Sanction] = []
    for sanction in sorted(sanctions, key=lambda s: (s.text_span[0], -s.text_span[1])):
        duplicate = any(
            other.kind == sanction.kind
            and other.text_span[0] <= sanction.text_span[0] < other.text_span[1]
            and (other.lower, other.upper, other.multiple_upper)
            == (sanction.lower, sanction.upper, sanction.multiple_upper)
            for other in kept
        )
        if not duplicate:
            kept.append(sanction)
    return kept


def kinds(sanctions: list[Sanction]) -> set[SanctionKind]:
    """The distinct kinds of a list of sanctions."""
    return {sanction.kind for sanction in sanctions}
