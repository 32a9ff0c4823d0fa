"""Law as code for 社区矫正: every deadline, limit and eligibility test the module enforces, each citing its article
in the statute library (tests/core/test_rules_registry.py resolves them all).

The 《社区矫正法实施办法》 (司法部等四部门, 2020) is not in the statute library: rules that only it states carry an
`exemption` saying so, and name the article of the implementing measures to check once the text is imported.
Each part of the module keeps its rules in its own block below (one file: one place per statutory rule).
"""

from __future__ import annotations

from smartjustice.core.citations import Citation
from smartjustice.core.rules import CalendarDayPeriod, MonthPeriod, Rule

from .choices import CorrectionCategory, SupervisionLevel

LAW = "中华人民共和国社区矫正法"
PROCEDURE_LAW = "中华人民共和国刑事诉讼法"
MEASURES = "社区矫正法实施办法"
_MEASURES_NOT_IN_LIBRARY = (
    "《社区矫正法实施办法》（司法部、最高人民法院、最高人民检察院、公安部，2020年）不在法规库中；"
    "本平台按其条文设定，导入后须核对条号和数值"
)

# --- shared: scope, intake, release (foundation) -------------------------------------------------------------------

SCOPE = Rule(
    "scope",
    "对被判处管制、宣告缓刑、假释和暂予监外执行的罪犯，依法实行社区矫正",
    Citation(LAW, 2, paragraph=1),
    value=tuple(CorrectionCategory.values),
)
EXECUTED_BY_CORRECTION_AGENCY = Rule(
    "executed_by_correction_agency",
    "对被判处管制、宣告缓刑、假释或者暂予监外执行的罪犯，依法实行社区矫正，由社区矫正机构负责执行",
    Citation(PROCEDURE_LAW, 269),
)
PLACE_OF_EXECUTION = Rule(
    "place_of_execution",
    "社区矫正执行地为社区矫正对象的居住地；在多个地方居住的，可以确定经常居住地为执行地",
    Citation(LAW, 17, paragraph=2),
)
REPORT_PERIOD = CalendarDayPeriod(
    "report_period",
    "判处管制、宣告缓刑、裁定假释的社区矫正对象，应当自判决、裁定生效之日起十日内到执行地社区矫正机构报到",
    Citation(LAW, 21, paragraph=1),
    days=10,
)
INTAKE_DUTIES = Rule(
    "intake_duties",
    "社区矫正机构应当依法接收社区矫正对象，核对法律文书、核实身份、办理接收登记、建立档案，并宣告犯罪事实、矫正期限和应当遵守的规定",
    Citation(LAW, 22),
)
INDIVIDUAL_PLAN = Rule(
    "individual_plan",
    "社区矫正机构应当根据裁判内容和社区矫正对象的情况，制定有针对性的矫正方案，并根据表现相应调整",
    Citation(LAW, 24),
)
FEMALE_GROUP_MEMBER = Rule(
    "female_group_member",
    "社区矫正对象为女性的，矫正小组中应有女性成员",
    Citation(LAW, 25, paragraph=2),
)
MINOR_SEPARATE = Rule(
    "minor_separate",
    "为未成年社区矫正对象确定矫正小组，应当吸收熟悉未成年人身心特点的人员参加；对未成年人的社区矫正，应当与成年人分别进行",
    Citation(LAW, 52, paragraph=2),
)
MINOR_RECORDS_CONFIDENTIAL = Rule(
    "minor_records_confidential",
    "未成年社区矫正对象的档案信息不得提供给任何单位或者个人（司法机关办案需要或者依国家规定查询的除外）",
    Citation(LAW, 54, paragraph=2),
)
CHANGE_OF_PLACE = Rule(
    "change_of_place",
    "因迁居等原因需要变更执行地的，社区矫正机构应当作出变更决定，通知决定机关和变更后的社区矫正机构，并抄送法律文书",
    Citation(LAW, 27, paragraph=2),
)
RELEASE_CERTIFICATE = Rule(
    "release_certificate",
    "社区矫正对象矫正期满或者被赦免的，社区矫正机构应当发放解除社区矫正证明书，并通知决定机关、检察院、公安机关",
    Citation(LAW, 44),
)
TERMINATION = Rule(
    "termination",
    "社区矫正对象被裁定撤销缓刑、假释，被决定收监执行，或者死亡的，社区矫正终止",
    Citation(LAW, 45),
)
INFORMATION_TECHNOLOGY = Rule(
    "information_technology",
    "国家支持社区矫正机构运用现代信息技术开展监督管理和教育帮扶",
    Citation(LAW, 5),
)
PRIVACY_IN_VERIFICATION = Rule(
    "privacy_in_verification",
    "社区矫正机构可以通过通信联络、信息化核查、实地查访等方式核实有关情况，并应当保护社区矫正对象的身份信息和个人隐私",
    Citation(LAW, 26),
)

# Reporting schedules by supervision level: how often a subject reports (check-in), in days. The Law requires
# reporting (第二十三条) but leaves the frequency to the implementing measures and the province's classification rules.
REPORTING_SCHEDULES = Rule(
    "reporting_schedules",
    "社区矫正对象应当按规定报告自己的活动情况：严管每周、普管每半月、宽管每月至少报告一次",
    Citation(MEASURES, 24),
    value={SupervisionLevel.STRICT: 7, SupervisionLevel.ORDINARY: 15, SupervisionLevel.LENIENT: 30},
    exemption=_MEASURES_NOT_IN_LIBRARY,
)
OBEY_RULES = Rule(
    "obey_rules",
    "社区矫正对象应当遵守国务院司法行政部门关于报告、会客、外出、迁居、保外就医等监督管理规定",
    Citation(LAW, 23),
)

# How soon an officer must handle an alert, in hours, by alert kind (a platform policy under 第二十六条: the agency
# must know the subject's whereabouts; 第三十条/第三十一条 demand immediate action once a departure is confirmed).
ALERT_HANDLING_HOURS = Rule(
    "alert_handling_hours",
    "社区矫正机构应当了解掌握社区矫正对象的活动情况和行为表现：预警须在规定时限内核实处置",
    Citation(LAW, 26, paragraph=1),
    value={
        "forbidden_zone": 1,
        "geofence_exit": 2,
        "curfew": 2,
        "signal_lost": 4,
        "missed_report": 24,
        "risk": 72,
    },
)

# --- block A: subjects, transfer, archives (helper A) -----------------------------------------------------------
# block A end

# --- block B: daily supervision, check-ins, receipts (helper B) --------------------------------------------------
# block B end

# --- block C/D: location monitoring, geofences, electronic monitoring (helpers C, D) --------------------------------
ELECTRONIC_MONITORING_GROUNDS = Rule(
    "electronic_monitoring_grounds",
    "违反禁止令、未经批准离开所居住的市县、拒不报告被警告、被治安管理处罚、拟提请撤销缓刑假释或收监的，"
    "经县级司法行政部门负责人批准，可以使用电子定位装置",
    Citation(LAW, 29, paragraph=1),
)
ELECTRONIC_MONITORING_PERIOD = MonthPeriod(
    "electronic_monitoring_period",
    "使用电子定位装置的期限不得超过三个月；经评估仍有必要继续使用的，经过批准可以延长，每次不得超过三个月",
    Citation(LAW, 29, paragraph=2),
    months=3,
)
LOCATION_DATA_PURPOSE = Rule(
    "location_data_purpose",
    "通过电子定位装置获得的信息应当严格保密，只能用于社区矫正工作，不得用于其他用途",
    Citation(LAW, 29, paragraph=3),
)
# block D end

# --- block E: assessments, sanctions, approvals (helper E) -------------------------------------------------------
# block E end

# --- block F: education, identity checks (helper F) --------------------------------------------------------------
# block F end

# --- block G: risk, command, 脱管 (helper G) ----------------------------------------------------------------------
ABSCONDING_SEARCH = Rule(
    "absconding_search",
    "社区矫正对象失去联系的，社区矫正机构应当立即组织查找，公安机关等有关单位和人员应当予以配合协助",
    Citation(LAW, 30),
)
# block G end

# --- block H: subject app, kiosk (helper H) ----------------------------------------------------------------------
# block H end
