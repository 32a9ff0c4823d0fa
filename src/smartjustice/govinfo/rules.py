"""Statutory rules of 政府信息公开申请, each citing the provision it implements (tests resolve every citation)."""

from __future__ import annotations

import datetime

from smartjustice.core import deadlines
from smartjustice.core.choices import OrganisationKind
from smartjustice.core.citations import Citation
from smartjustice.core.errors import ValidationFailed

# Rule and the period kinds live in core (every app's rules register there); re-exported for older imports.
from smartjustice.core.rules import CalendarDayPeriod, MonthPeriod, Rule, WorkingDayPeriod

from .choices import ReplyType, SubmissionChannel

REGULATION = "中华人民共和国政府信息公开条例"
ADMINISTRATIVE_REVIEW_LAW = "中华人民共和国行政复议法"
ADMINISTRATIVE_LITIGATION_LAW = "中华人民共和国行政诉讼法"


APPLICATION_CONTENTS = Rule(
    "application_contents",
    "申请应当包括申请人身份与联系方式、所需信息的名称或特征描述、获取信息的方式和途径",
    Citation(REGULATION, 29, paragraph=2),
)
CORRECTION_NOTICE = WorkingDayPeriod(
    "correction_notice",
    "申请内容不明确的，自收到申请之日起7个工作日内一次性告知补正；答复期限自收到补正的申请之日起计算",
    Citation(REGULATION, 30),
    days=7,
)
RECEIPT_DATE = Rule(
    "receipt_date",
    "当面提交以提交之日、邮寄以签收之日、互联网或传真以双方确认之日为收到申请之日",
    Citation(REGULATION, 31),
)
ANSWER_ON_THE_SPOT = Rule(
    "answer_on_the_spot", "能够当场答复的，应当当场予以答复", Citation(REGULATION, 33, paragraph=1)
)
ANSWER_PERIOD = WorkingDayPeriod(
    "answer_period",
    "不能当场答复的，应当自收到申请之日起20个工作日内予以答复",
    Citation(REGULATION, 33, paragraph=2),
    days=20,
)
EXTENSION = WorkingDayPeriod(
    "extension",
    "需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长最长不得超过20个工作日",
    Citation(REGULATION, 33, paragraph=2),
    days=20,
)
CONSULTATION_EXCLUDED = Rule(
    "consultation_excluded",
    "行政机关征求第三方和其他机关意见所需时间不计算在答复期限内",
    Citation(REGULATION, 33, paragraph=3),
)
REPLY_KINDS = Rule("reply_kinds", "根据不同情况分别作出答复", Citation(REGULATION, 36))
PARTIAL_DISCLOSURE = Rule(
    "partial_disclosure",
    "能够作区分处理的，提供可以公开的内容并对不予公开的内容说明理由",
    Citation(REGULATION, 37),
)
REVIEW_PERIOD = CalendarDayPeriod(
    "review_period",
    "自知道该行政行为之日起六十日内可以申请行政复议",
    Citation(ADMINISTRATIVE_REVIEW_LAW, 20),
    days=60,
)
REVIEW_FIRST = Rule(
    "review_first",
    "申请政府信息公开，行政机关不予公开的，应当先申请行政复议，并应当在作出行政行为时告知",
    Citation(ADMINISTRATIVE_REVIEW_LAW, 23, paragraph=2),
)
LITIGATION_PERIOD = MonthPeriod(
    "litigation_period",
    "直接向人民法院提起诉讼的，应当自知道作出行政行为之日起六个月内提出",
    Citation(ADMINISTRATIVE_LITIGATION_LAW, 46),
    months=6,
)
# Who receives applications: 第二十七条 lets citizens apply to 县级以上人民政府部门 that act externally in their own
# name; on this platform those are the justice bureaus (司法局) and the provincial department (司法厅), not the
# justice offices (司法所) or service centres, which are not such departments.
HANDLING_ORGANISATIONS = Rule(
    "handling_organisations",
    "公民、法人或者其他组织可以向对外以自己名义履行行政管理职能的县级以上人民政府部门申请获取政府信息："
    "本平台由司法局、司法厅受理",
    Citation(REGULATION, 27),
    value=(OrganisationKind.JUSTICE_BUREAU, OrganisationKind.JUSTICE_DEPARTMENT),
)

RULES: tuple[Rule, ...] = (
    APPLICATION_CONTENTS,
    CORRECTION_NOTICE,
    RECEIPT_DATE,
    ANSWER_ON_THE_SPOT,
    ANSWER_PERIOD,
    EXTENSION,
    CONSULTATION_EXCLUDED,
    REPLY_KINDS,
    PARTIAL_DISCLOSURE,
    REVIEW_PERIOD,
    REVIEW_FIRST,
    LITIGATION_PERIOD,
    HANDLING_ORGANISATIONS,
)

# Which paragraph (项) of 第三十六条 each reply type rests on; partial disclosure is 第三十七条.
REPLY_BASIS: dict[str, Citation] = {
    ReplyType.ALREADY_PUBLIC: Citation(REGULATION, 36),
    ReplyType.DISCLOSED: Citation(REGULATION, 36),
    ReplyType.PARTIALLY_DISCLOSED: Citation(REGULATION, 37),
    ReplyType.NOT_DISCLOSED: Citation(REGULATION, 36),
    ReplyType.NOT_EXIST: Citation(REGULATION, 36),
    ReplyType.NOT_OURS: Citation(REGULATION, 36),
    ReplyType.REPEATED: Citation(REGULATION, 36),
    ReplyType.SPECIAL_PROCEDURE: Citation(REGULATION, 36),
}
_ITEM = {
    ReplyType.ALREADY_PUBLIC: "第（一）项",
    ReplyType.DISCLOSED: "第（二）项",
    ReplyType.NOT_DISCLOSED: "第（三）项",
    ReplyType.NOT_EXIST: "第（四）项",
    ReplyType.NOT_OURS: "第（五）项",
    ReplyType.REPEATED: "第（六）项",
    ReplyType.SPECIAL_PROCEDURE: "第（七）项",
}


def citations() -> list[Citation]:
    """Every citation this module relies on (the citation test resolves each against the statute corpus)."""
    found = [rule.citation for rule in RULES] + list(REPLY_BASIS.values()) + list(deadlines.CITATIONS)
    return list(dict.fromkeys(found))


def receipt_date(
    channel: str,
    *,
    submitted_on: datetime.date,
    confirmed_on: datetime.date | None = None,
) -> datetime.date:
    """收到申请之日 (第三十一条): in person → the day handed in; post → the day signed for (recorded as the
    confirmation); internet or fax → the day both sides confirmed, which on this platform is registration."""
    if channel == SubmissionChannel.IN_PERSON:
        return submitted_on
    if confirmed_on is None:
        raise ValidationFailed(f"{RECEIPT_DATE.citation}：该方式提交的申请须确认收到日期")
    return confirmed_on


def answer_due(received_on: datetime.date) -> datetime.date:
    """The last day to answer: 20 working days after receipt (第三十三条第二款)."""
    return ANSWER_PERIOD.ends(received_on)


def extended_due(due_on: datetime.date, days: int = EXTENSION.days) -> datetime.date:
    """The last day after an approved extension of `days` working days, at most 20 (第三十三条第二款)."""
    if not 1 <= days <= EXTENSION.days:
        raise ValidationFailed(
            f"延长的期限最长不得超过{EXTENSION.days}个工作日（{EXTENSION.citation}）",
            fields={"days": [f"请填写 1 至 {EXTENSION.days} 之间的工作日数"]},
        )
    return deadlines.add_working_days(due_on, days)


def correction_notice_due(received_on: datetime.date) -> datetime.date:
    """The last day to ask for a correction, once and for all (第三十条)."""
    return CORRECTION_NOTICE.ends(received_on)


def reply_legal_basis(reply_type: str) -> str:
    citation = REPLY_BASIS[ReplyType(reply_type)]
    return f"依据{citation}{_ITEM.get(ReplyType(reply_type), '')}之规定，特此答复。"


def remedy_notice(reply_type: str) -> str:
    """What the applicant may do next; a refusal must say that administrative review comes first
    (行政复议法第二十三条第一款第四项、第二款)."""
    if reply_type == ReplyType.NOT_DISCLOSED:
        return (
            f"如对本答复不服，依照{REVIEW_FIRST.citation}的规定，应当先自收到本答复之日起六十日内依法申请"
            "行政复议；对行政复议决定不服的，可以依法向人民法院提起行政诉讼。"
        )
    return (
        f"如对本答复不服，可以自收到本答复之日起六十日内依法申请行政复议（{REVIEW_PERIOD.citation}），"
        f"或者自收到本答复之日起六个月内依法向人民法院提起行政诉讼（{LITIGATION_PERIOD.citation}）。"
    )


def reply_number_prefix(organisation) -> str:
    """文号 prefix of a reply letter, e.g. 天司信复 for 天河区司法局 (first character of the place + 司信复)."""
    place = organisation.jurisdiction.name if organisation.jurisdiction_id else organisation.name
    return f"{place[:1]}司信复"
