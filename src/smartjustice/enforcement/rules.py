"""Statutory rules of 行政执法, each citing the provision it implements (tests resolve every citation)."""

from __future__ import annotations

from smartjustice.core.citations import Citation
from smartjustice.core.rules import Rule

PENALTY_LAW = "中华人民共和国行政处罚法"

# --- power list (权责清单) and discretion benchmarks (裁量基准) ----------------------------------------------------

PUBLISHED_BASIS = Rule(
    "published_basis",
    "对违法行为给予行政处罚的规定必须公布；未经公布的，不得作为行政处罚的依据（执法事项依据须在法规库中有效）",
    Citation(PENALTY_LAW, 5, paragraph=3),
)
STATUTORY_RANGE = Rule(
    "statutory_range",
    "行政处罚由法律、法规、规章规定：裁量基准的罚款幅度不得超出事项依据规定的幅度",
    Citation(PENALTY_LAW, 4),
)
MINOR_NO_PENALTY = Rule(
    "minor_no_penalty",
    "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚（不予处罚清单）",
    Citation(PENALTY_LAW, 33, paragraph=1),
)
FIRST_VIOLATION = Rule(
    "first_violation_no_penalty",
    "初次违法且危害后果轻微并及时改正的，可以不予行政处罚（首违不罚清单）",
    Citation(PENALTY_LAW, 33, paragraph=1),
)
DISCRETION_BENCHMARK = Rule(
    "discretion_benchmark",
    "行政机关可以依法制定行政处罚裁量基准，规范行使行政处罚裁量权；裁量基准应当向社会公布",
    Citation(PENALTY_LAW, 34),
)


# --- officers (行政执法人员): eligibility.py reads these ---------------------------------------------------------

CERTIFIED_OFFICERS = Rule(
    "certified_officers",
    "行政处罚应当由具有行政执法资格的执法人员实施（持有效行政执法证，且执法类别和执法区域相符）",
    Citation(PENALTY_LAW, 42, paragraph=1),
)
MINIMUM_OFFICERS = Rule(
    "minimum_officers",
    "执法人员不得少于两人，法律另有规定的除外",
    Citation(PENALTY_LAW, 42, paragraph=1),
    value=2,
)
SHOW_CERTIFICATE = Rule(
    "show_certificate",
    "执法人员在调查或者进行检查时，应当主动向当事人或者有关人员出示执法证件",
    Citation(PENALTY_LAW, 55, paragraph=1),
)


# --- documents (helper H2): enforcement/documents.py reads these ------------------------------------------------

from smartjustice.core.rules import CalendarDayPeriod, MonthPeriod  # noqa: E402

ADMINISTRATIVE_REVIEW_LAW = "中华人民共和国行政复议法"
ADMINISTRATIVE_LITIGATION_LAW = "中华人民共和国行政诉讼法"

PRIOR_NOTICE_CONTENTS = Rule(
    "prior_notice_contents",
    "作出行政处罚决定之前，应当告知当事人拟作出的行政处罚内容及事实、理由、依据，并告知陈述、申辩、要求听证等权利",
    Citation(PENALTY_LAW, 44),
)
DECISION_CONTENTS = Rule(
    "decision_contents",
    "行政处罚决定书应当载明当事人姓名或者名称、地址，违法事实和证据，处罚种类和依据，履行方式和期限，"
    "申请行政复议、提起行政诉讼的途径和期限，作出决定的机关名称和日期，并盖有该机关的印章",
    Citation(PENALTY_LAW, 59),
)
DECISION_SERVICE_PERIOD = CalendarDayPeriod(
    "decision_service_period",
    "行政处罚决定书应当在宣告后当场交付当事人；当事人不在场的，应当在七日内送达",
    Citation(PENALTY_LAW, 61, paragraph=1),
    days=7,
)
HEARING_NOTICE_LEAD = CalendarDayPeriod(
    "hearing_notice_lead",
    "行政机关应当在举行听证的七日前，通知当事人及有关人员听证的时间、地点",
    Citation(PENALTY_LAW, 64),
    days=7,
)
FINE_PAYMENT_PERIOD = CalendarDayPeriod(
    "fine_payment_period",
    "当事人应当自收到行政处罚决定书之日起十五日内，到指定的银行或者通过电子支付系统缴纳罚款",
    Citation(PENALTY_LAW, 67, paragraph=3),
    days=15,
)
LATE_PAYMENT_SURCHARGE = Rule(
    "late_payment_surcharge_notice",
    "到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额",
    Citation(PENALTY_LAW, 72, paragraph=1),
)
REVIEW_PERIOD = CalendarDayPeriod(
    "review_period",
    "自知道该行政行为之日起六十日内可以申请行政复议",
    Citation(ADMINISTRATIVE_REVIEW_LAW, 20),
    days=60,
)
LITIGATION_PERIOD = MonthPeriod(
    "litigation_period",
    "直接向人民法院提起诉讼的，应当自知道作出行政行为之日起六个月内提出",
    Citation(ADMINISTRATIVE_LITIGATION_LAW, 46),
    months=6,
)


# --- simplified procedure and mobile enforcement (helper H3): enforcement/simplified.py reads these ---------------

ON_THE_SPOT_LIMITS = Rule(
    "on_the_spot_limits",
    "违法事实确凿并有法定依据，对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款或者警告的，"
    "可以当场作出行政处罚决定",
    Citation(PENALTY_LAW, 51),
    value={"person": 200, "organisation": 3000},
)
ON_THE_SPOT_DECISION = Rule(
    "on_the_spot_decision",
    "当场作出行政处罚决定的，应当出示执法证件，填写预定格式、编有号码的行政处罚决定书并当场交付当事人；"
    "当事人拒绝签收的，应当在决定书上注明",
    Citation(PENALTY_LAW, 52, paragraph=1),
)
ON_THE_SPOT_FILING = Rule(
    "on_the_spot_filing",
    "执法人员当场作出的行政处罚决定，应当报所属行政机关备案",
    Citation(PENALTY_LAW, 52, paragraph=3),
)
ON_THE_SPOT_PERFORMANCE = Rule(
    "on_the_spot_performance",
    "对当场作出的行政处罚决定，当事人应当依照第六十七条至第六十九条的规定履行（自收到决定书之日起十五日内缴纳罚款）",
    Citation(PENALTY_LAW, 53),
)


# --- case handling (helper H1): enforcement/case_workflow.py, case_guards.py, cases.py and penalties.py read these --

from smartjustice.core.rules import CalendarDayPeriod, WorkingDayPeriod  # noqa: E402

# Sector procedure rules the statute library does not hold (yet): the 立案 and 陈述申辩 periods below come from them.
MARKET_PROCEDURE = "市场监督管理行政处罚程序规定"
_NOT_IN_LIBRARY = (
    "《市场监督管理行政处罚程序规定》（国家市场监督管理总局令，部门规章）不在法规库中；行政处罚法本身未规定该期限，"
    "本平台采用该规章的期限（条号按2022年修正文本，导入规章后须核对）"
)

FILING_PERIOD = WorkingDayPeriod(
    "filing_period",
    "对发现的违法行为线索，自发现线索或者收到材料之日起十五个工作日内核查，决定是否立案",
    Citation(MARKET_PROCEDURE, 18),
    days=15,
    exemption=_NOT_IN_LIBRARY,
)
TIMELY_FILING = Rule(
    "timely_filing",
    "行政机关对符合立案标准的案件不及时立案的，由上级行政机关或者有关机关责令改正",
    Citation(PENALTY_LAW, 76, paragraph=2),
)
LIMITATION_PERIOD = Rule(
    "limitation_period",
    "违法行为在二年内未被发现的，不再给予行政处罚",
    Citation(PENALTY_LAW, 36, paragraph=1),
    value=2,
)
LIMITATION_PERIOD_EXTENDED = Rule(
    "limitation_period_extended",
    "涉及公民生命健康安全、金融安全且有危害后果的，未被发现的期限延长至五年",
    Citation(PENALTY_LAW, 36, paragraph=1),
    value=5,
)
LIMITATION_START = Rule(
    "limitation_start",
    "前款期限从违法行为发生之日起计算；违法行为有连续或者继续状态的，从行为终了之日起计算（发生日期填终了之日）",
    Citation(PENALTY_LAW, 36, paragraph=2),
)
NO_DOUBLE_FINE = Rule(
    "no_double_fine",
    "对当事人的同一个违法行为，不得给予两次以上罚款的行政处罚",
    Citation(PENALTY_LAW, 29),
)
DECISION_PERIOD = CalendarDayPeriod(
    "decision_period",
    "自行政处罚案件立案之日起九十日内作出行政处罚决定（听证时间不扣除：本法未规定扣除，规章另有规定的从其规定）",
    Citation(PENALTY_LAW, 60),
    days=90,
)
HEAD_DECIDES = Rule(
    "head_decides",
    "调查终结，行政机关负责人应当对调查结果进行审查，作出行政处罚、不予行政处罚或者移送司法机关的决定",
    Citation(PENALTY_LAW, 57, paragraph=1),
)
COLLECTIVE_DISCUSSION = Rule(
    "collective_discussion",
    "对情节复杂或者重大违法行为给予行政处罚，行政机关负责人应当集体讨论决定",
    Citation(PENALTY_LAW, 57, paragraph=2),
)
LEGAL_REVIEW_REQUIRED = Rule(
    "legal_review_required",
    "涉及重大公共利益、经过听证程序、案件疑难复杂等情形，未经法制审核或者审核未通过的，不得作出决定"
    "（本平台：情节复杂或重大违法、拟作出应告知听证的处罚、或事项规定吊销许可证件等较重处罚时须审核）",
    Citation(PENALTY_LAW, 58, paragraph=1),
)
STATEMENT_HEARD = Rule(
    "statement_heard",
    "当事人有权进行陈述和申辩，行政机关必须充分听取当事人的意见",
    Citation(PENALTY_LAW, 45, paragraph=1),
)
NO_HEAVIER_FOR_STATEMENT = Rule(
    "no_heavier_for_statement",
    "行政机关不得因当事人陈述、申辩而给予更重的处罚（告知后只能维持或减轻拟处罚款）",
    Citation(PENALTY_LAW, 45, paragraph=2),
)
NO_DECISION_WITHOUT_NOTICE = Rule(
    "no_decision_without_notice",
    "未告知或者拒绝听取陈述、申辩的，不得作出行政处罚决定；当事人明确放弃陈述或者申辩权利的除外",
    Citation(PENALTY_LAW, 62),
)
STATEMENT_PERIOD = WorkingDayPeriod(
    "statement_period",
    "当事人自告知书送达之日起五个工作日内未行使陈述、申辩权的，视为放弃",
    Citation(MARKET_PROCEDURE, 59),
    days=5,
    exemption=_NOT_IN_LIBRARY,
)
HEARING_RIGHT = Rule(
    "hearing_right",
    "拟作出较大数额罚款、没收较大数额违法所得、降低资质等级、吊销许可证件、责令停产停业、责令关闭、限制从业等处罚的，"
    "应当告知当事人有要求听证的权利（较大数额由省级规定，见 hearing_threshold_guangdong）",
    Citation(PENALTY_LAW, 63, paragraph=1),
    value=("降低资质等级", "吊销许可证件", "责令停产停业", "责令关闭", "限制从业"),
)
HEARING_THRESHOLD_GUANGDONG = Rule(
    "hearing_threshold_guangdong",
    "较大数额罚款、没收较大数额违法所得：对公民五千元以上，对法人或者其他组织五万元以上",
    Citation("广东省行政处罚听证程序实施办法", 3),
    value={"person": 5000, "organisation": 50000},
    exemption="较大数额由省级人民政府规定（行政处罚法第六十三条）；广东省的听证程序实施办法不在法规库中，"
    "数额为可配置的取值，导入该规章后须核对条号和数额",
)
HEARING_REQUEST_PERIOD = CalendarDayPeriod(
    "hearing_request_period",
    "当事人要求听证的，应当在行政机关告知后五日内提出",
    Citation(PENALTY_LAW, 64),
    days=5,
)
DECISION_AFTER_HEARING = Rule(
    "decision_after_hearing",
    "听证结束后，行政机关应当根据听证笔录作出决定",
    Citation(PENALTY_LAW, 65),
)
PERFORM_WITHIN_TERM = Rule(
    "perform_within_term",
    "行政处罚决定依法作出后，当事人应当在行政处罚决定书载明的期限内予以履行",
    Citation(PENALTY_LAW, 66, paragraph=1),
)
INSTALMENTS = Rule(
    "instalments",
    "当事人确有经济困难，经申请和行政机关批准，可以暂缓或者分期缴纳罚款",
    Citation(PENALTY_LAW, 66, paragraph=2),
)
SURCHARGE = Rule(
    "late_payment_surcharge",
    "到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额"
    "（自缴款期限届满次日起按日计算，部分缴纳的按未缴部分计算）",
    Citation(PENALTY_LAW, 72, paragraph=1),
    value="0.03",
)
WITHDRAW_PUBLISHED_DECISION = Rule(
    "withdraw_published_decision",
    "公开的行政处罚决定被依法变更、撤销、确认违法或者确认无效的，应当在三日内撤回决定信息并公开说明理由",
    Citation(PENALTY_LAW, 48, paragraph=2),
    value=3,
)
# Shared with the documents section above (one rule each): the periods the clocks and guards of case_workflow.py use.
PRIOR_NOTICE = PRIOR_NOTICE_CONTENTS  # 第四十四条
HEARING_NOTICE_PERIOD = HEARING_NOTICE_LEAD  # 第六十四条第二项: 七日前通知
SERVICE_PERIOD = DECISION_SERVICE_PERIOD  # 第六十一条第一款: 七日内送达
PAYMENT_PERIOD = FINE_PAYMENT_PERIOD  # 第六十七条第三款: 十五日内缴纳
FULL_RECORD = Rule(
    "full_record",
    "对行政处罚的启动、调查取证、审核、决定、送达、执行等进行全过程记录，归档保存（证据哈希上链存证）",
    Citation(PENALTY_LAW, 47),
)


# --- inspections, 双随机、一公开 (helper H4) -------------------------------------------------------------------------

PRIVATE_ECONOMY_LAW = "中华人民共和国民营经济促进法"

RANDOM_INSPECTION = Rule(
    "random_inspection",
    "市场监管领域的行政检查应当通过随机抽取检查对象、随机选派执法检查人员的方式进行，抽查事项及查处结果及时向社会公开",
    Citation(PRIVATE_ECONOMY_LAW, 52, paragraph=2),
)
INSPECTION_OFFICERS = Rule(
    "inspection_officers",
    "检查由持有效行政执法证的执法人员实施，每个检查对象随机选派的执法人员不得少于两人",
    Citation(PENALTY_LAW, 42, paragraph=1),
    value=2,
)
