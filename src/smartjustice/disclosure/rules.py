"""Statutory rules of 执法公示, each citing the provision it implements (tests resolve every citation).

《行政处罚法》第四十八条 asks that "具有一定社会影响的行政处罚决定" be disclosed without saying which ones. Operationally
(PUBLISHED_DECISIONS) we publish every decision taken under the ordinary procedure (普通程序), and none taken on the
spot under the simplified procedure: 第五十一条 limits that procedure to warnings and fines up to 200 yuan for a
citizen / 3,000 yuan for an organisation, the law's own measure of a penalty of small consequence, and those
decisions are handed to the party on the spot. A decision under the ordinary procedure has been investigated,
reviewed and decided by the agency's head, and is the kind the public has an interest in. The personal
information of natural persons is masked (PERSONAL_INFORMATION) before anything is shown.
"""

from __future__ import annotations

from smartjustice.core.citations import Citation
from smartjustice.core.rules import Rule

PENALTY_LAW = "中华人民共和国行政处罚法"
PERSONAL_INFORMATION_LAW = "中华人民共和国个人信息保护法"

PUBLIC_INFORMATION = Rule(
    "public_information",
    "行政处罚的实施机关、立案依据、实施程序和救济渠道等信息应当公示（执法主体、执法人员、权责清单、程序）",
    Citation(PENALTY_LAW, 39),
)
PUBLISHED_DECISIONS = Rule(
    "published_decisions",
    "具有一定社会影响的行政处罚决定应当依法公开：本平台公开按普通程序作出的全部行政处罚决定；"
    "按简易程序当场作出的决定（第五十一条：警告或者小额罚款）不主动公开",
    Citation(PENALTY_LAW, 48, paragraph=1),
    value=("ordinary",),
)
SIMPLIFIED_NOT_PUBLISHED = Rule(
    "simplified_not_published",
    "当场作出的行政处罚限于对公民二百元以下、对法人或者其他组织三千元以下罚款或者警告，社会影响有限，不主动公开",
    Citation(PENALTY_LAW, 51),
)
WITHDRAWAL = Rule(
    "withdrawal",
    "公开的行政处罚决定被依法变更、撤销、确认违法或者确认无效的，行政机关应当在三日内撤回决定信息并公开说明理由"
    "（本平台在登记撤销的同时撤回，并公示撤回说明）",
    Citation(PENALTY_LAW, 48, paragraph=2),
    value=3,
)
PERSONAL_INFORMATION = Rule(
    "personal_information",
    "国家机关处理个人信息不得超出履行法定职责所必需的范围和限度：公开的决定中自然人的姓名、证件号码、电话、住址予以遮蔽，"
    "法人或者其他组织的名称照常公开",
    Citation(PERSONAL_INFORMATION_LAW, 34),
)
