"""Law as code for 社区矫正: every deadline, limit and eligibility test the module enforces, each citing its article
in the statute library (tests/core/test_rules_registry.py resolves them all).

The 《社区矫正法实施办法》 (司法部等四部门, 2020) is not in the statute library: rules that only it states carry an
`exemption` saying so, and name the article of the implementing measures to check once the text is imported.
Each part of the module keeps its rules in its own section below (one file: one place per statutory rule).
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

# --- subjects, transfer, archives -----------------------------------------------------------
REPORT_PERIOD_CATEGORIES = Rule(
    "report_period_categories",
    "十日内自行报到的是判处管制、宣告缓刑、裁定假释的社区矫正对象；暂予监外执行的由看守所、公安机关、监狱移送",
    Citation(LAW, 21, paragraph=2),
    value=(CorrectionCategory.CONTROL, CorrectionCategory.PROBATION, CorrectionCategory.PAROLE),
)
GROUP_REQUIRED = Rule(
    "group_required",
    "社区矫正机构应当根据社区矫正对象的情况，为其确定矫正小组，负责落实相应的矫正方案",
    Citation(LAW, 25, paragraph=1),
)
RELEASE_GROUNDS = Rule(
    "release_grounds",
    "矫正期满或者被赦免的，发放解除社区矫正证明书（期满解矫不得早于矫正期满日）",
    Citation(LAW, 44),
    value=("expired", "pardoned"),
)
# Which early end fits which category: 撤销缓刑 for 缓刑, 撤销假释 for 假释 (第四十六条), 收监执行 for 暂予监外执行
# (第四十九条); death ends any term (第四十五条).
TERMINATION_GROUNDS = Rule(
    "termination_grounds",
    "被裁定撤销缓刑、假释，被决定收监执行，或者死亡的，社区矫正终止",
    Citation(LAW, 45),
    value={
        "probation_revoked": (CorrectionCategory.PROBATION,),
        "parole_revoked": (CorrectionCategory.PAROLE,),
        "committed": (CorrectionCategory.TEMPORARY_OUTSIDE,),
        "deceased": tuple(CorrectionCategory.values),
    },
)
COMMITTAL_FOR_TEMPORARY_OUTSIDE = Rule(
    "committal_for_temporary_outside",
    "暂予监外执行的社区矫正对象具有应当予以收监情形的，由决定机关决定收监执行",
    Citation(LAW, 49, paragraph=1),
)
TRANSFER_TO_OTHER_COUNTY = Rule(
    "transfer_to_other_county",
    "变更执行地由原社区矫正机构作出决定并通知变更后的社区矫正机构，由变更后的社区矫正机构接收；"
    "执行地为居住地，变更后的执行地须为另一县（市、区）",
    Citation(LAW, 27, paragraph=2),
)
# The Law requires the archive (第二十二条) but sets no retention period: the period below is this platform's
# setting, counted from release or termination, after which the filed items are disposed of (recorded, not erased).
ARCHIVE_RETENTION_YEARS = Rule(
    "archive_retention_years",
    "社区矫正机构接收社区矫正对象应当建立档案；解除或者终止社区矫正后档案保管期限由本平台设定为三十年",
    Citation(LAW, 22),
    value=30,
)

# --- daily supervision, check-ins, receipts --------------------------------------------------
# A report is due by the end of the day (local time) `schedule_days` after the last one (REPORTING_SCHEDULES); when
# it passes without a check-in, the missed-report job raises one alert (kind missed_report, handled within
# ALERT_HANDLING_HOURS["missed_report"]).
MISSED_REPORT = Rule(
    "missed_report",
    "社区矫正对象应当按规定报告；社区矫正机构应当了解掌握其活动情况，未按时报告的应当及时核实",
    Citation(LAW, 26, paragraph=1),
)
SUPERVISION_METHODS = Rule(
    "supervision_methods",
    "社区矫正机构可以通过通信联络、信息化核查、实地查访等方式核实有关情况",
    Citation(LAW, 26, paragraph=1),
)
FIELD_VISIT_PRIVACY = Rule(
    "field_visit_privacy",
    "开展实地查访等工作时，应当保护社区矫正对象的身份信息和个人隐私",
    Citation(LAW, 26, paragraph=2),
)
CHECK_IN_RECORDED = Rule(
    "check_in_recorded",
    "社区矫正机构运用现代信息技术开展监督管理：报到记录写入可信存证账本，社区矫正对象可下载可离线验证的回执",
    Citation(LAW, 5),
)
# An unreachable subject (escalated alert) is searched for at once (第三十条: rules.ABSCONDING_SEARCH, below).

# --- location monitoring, geofences, electronic monitoring --------------------------------
# geofence engine and breach tracker; read by correction/geofences.py, alerting.py
DEFAULT_ALLOWED_AREA = Rule(
    "default_allowed_area",
    "社区矫正对象离开所居住的市、县应当报经社区矫正机构批准：默认活动区域为执行地县级行政区划的边界",
    Citation(LAW, 27, paragraph=1),
)
FORBIDDEN_ZONE_BREACH = Rule(
    "forbidden_zone_breach",
    "发现社区矫正对象正在实施违反人民法院禁止令等违法行为的，应当立即制止：进入禁止区域即时预警",
    Citation(LAW, 31),
)
# Points within this distance on the wrong side of a boundary neither raise nor end a breach (metres, by fence kind).
# 第二十七条 lets the agency simplify approval for routine cross-county movement; a subject who lives or works by the
# county line is not "leaving the county" when GPS noise puts a point a few dozen metres across it. Forbidden zones
# and curfew homes are small, so they get no tolerance beyond the accuracy test.
BOUNDARY_TOLERANCE_M = Rule(
    "boundary_tolerance_m",
    "对因正常工作和生活需要经常性跨市、县活动的，可以简化批准程序：县界附近的定位漂移不视为离开所居住的市、县",
    Citation(LAW, 27, paragraph=1),
    value={"allowed": 150.0, "forbidden": 0.0, "curfew": 0.0},
)
# When a run of GPS points becomes a breach an officer must look at (第二十六条: the agency must know the subject's
# whereabouts; it verifies by 信息化核查 before acting). Platform policy, tuned on simulated tracks so that an officer
# sees at most 1.5 alerts per real departure, ≤0.1 false alerts per subject-day, every departure of 30 minutes or
# more, and a median delay of at most 15 minutes (benchmarks/bench_correction.py prints the figures).
TRACKER_PARAMETERS = Rule(
    "tracker_parameters",
    "社区矫正机构应当了解掌握社区矫正对象的活动情况，可以通过信息化核查等方式核实：连续可信定位点越界方确认预警",
    Citation(LAW, 26, paragraph=1),
    value={
        "confirm_points": 3,  # consecutive certain points on the wrong side …
        "confirm_span_s": 120,  # … spanning at least this long
        "end_span_s": 180,  # back on the right side this long (two points at least) ends the breach
        "merge_window_s": 1800,  # a new departure this soon after the end is the same outing
        "reorder_window_s": 3600,  # late points this old are merged in place; older ones are dropped
        "max_speed_mps": 70.0,  # 252 km/h: faster than this between points is a GPS jump
    },
)
# How long an approved 电子定位装置 may stay silent before an officer is asked to find out why (a device reports every
# few minutes; a silence is a flat battery, a removed device or a subject out of coverage). Platform policy under
# 第二十六条 (the agency must know the subject's whereabouts) for the device 第二十九条 approves.
SIGNAL_LOST_AFTER_HOURS = Rule(
    "signal_lost_after_hours",
    "社区矫正机构应当了解掌握社区矫正对象的活动情况：电子定位装置持续未上报定位的，应当核实原因",
    Citation(LAW, 26, paragraph=1),
    value=2,
)
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

# --- assessments, sanctions, approvals -------------------------------------------------------
ASSESSMENT_AND_SANCTIONS = Rule(
    "assessment_and_sanctions",
    "社区矫正机构根据社区矫正对象的表现，依照有关规定对其实施考核奖惩；考核结果可以作为认定其是否确有悔改表现"
    "或者是否严重违反监督管理规定的依据",
    Citation(LAW, 28),
)
# Points of a 考核 and the grade they give: a platform scale (the Law leaves the method to 有关规定).
ASSESSMENT_SCALE = Rule(
    "assessment_scale",
    "考核以百分制计分：80分以上为表现良好，60分至79分为表现一般，60分以下为表现较差",
    Citation(LAW, 28, paragraph=1),
    value={"max": 100, "good": 80, "fair": 60},
)
ASSESSMENT_ITEMS = Rule(
    "assessment_items",
    "考核内容包括遵纪守法、服从监督管理（报告、外出、迁居、会客等）、接受教育学习和参加公益活动等情况",
    Citation(MEASURES, 33),
    value=(
        ("obey_law", "遵纪守法情况", 30),
        ("supervision", "服从监督管理情况（按时报告、请销假、会客等）", 30),
        ("education", "参加教育学习情况", 20),
        ("public_service", "参加公益活动情况", 20),
    ),
    exemption=_MEASURES_NOT_IN_LIBRARY,
)
COMMENDATION = Rule(
    "commendation",
    "社区矫正对象认罪悔罪、遵守法律法规、服从监督管理、接受教育表现突出的，应当给予表扬",
    Citation(LAW, 28, paragraph=1),
)
DISCIPLINARY_SANCTIONS = Rule(
    "disciplinary_sanctions",
    "社区矫正对象违反法律法规或者监督管理规定的，应当视情节依法给予训诫、警告、提请公安机关予以治安管理处罚，"
    "或者依法提请撤销缓刑、撤销假释、对暂予监外执行的收监执行",
    Citation(LAW, 28, paragraph=1),
)
REVOCATION_PROPOSAL = Rule(
    "revocation_proposal",
    "需要撤销缓刑、假释的，社区矫正机构应当向原审人民法院或者执行地人民法院提出撤销缓刑、假释建议，"
    "说明理由并提供证据材料，建议书抄送人民检察院",
    Citation(LAW, 46, paragraph=3),
    value=("probation", "parole"),
)
ARREST_REQUEST = Rule(
    "arrest_request",
    "被提请撤销缓刑、假释的社区矫正对象可能逃跑或者可能发生社会危险的，可以同时提请人民法院决定逮捕；"
    "人民法院应当在四十八小时内作出是否逮捕的决定",
    Citation(LAW, 47),
)
COURT_DECISION_PERIOD = CalendarDayPeriod(
    "court_decision_period",
    "人民法院应当在收到撤销缓刑、假释建议书后三十日内作出裁定",
    Citation(LAW, 48, paragraph=1),
    days=30,
)
COMMITTAL_PROPOSAL = Rule(
    "committal_proposal",
    "暂予监外执行的社区矫正对象具有应当予以收监情形的，社区矫正机构应当向执行地或者原社区矫正决定机关提出收监执行建议，"
    "并将建议书抄送人民检察院",
    Citation(LAW, 49, paragraph=1),
    value=("temporary_outside",),
)
COMMITTAL_DECISION_PERIOD = CalendarDayPeriod(
    "committal_decision_period",
    "社区矫正决定机关应当在收到收监执行建议书后三十日内作出决定",
    Citation(LAW, 49, paragraph=2),
    days=30,
)
COMMITTAL_GROUNDS = Rule(
    "committal_grounds",
    "暂予监外执行的罪犯不符合暂予监外执行条件、严重违反监督管理规定或者暂予监外执行的情形消失后刑期未满的，应当及时收监",
    Citation(PROCEDURE_LAW, 268, paragraph=1),
)
# Which sanctions fit which category (第二十八条第一款 lists them; 第四十六条、第四十九条 name who each proposal is for).
SANCTION_CATEGORIES = Rule(
    "sanction_categories",
    "撤销缓刑建议只适用于缓刑对象，撤销假释建议只适用于假释对象，收监执行建议只适用于暂予监外执行对象",
    Citation(LAW, 28, paragraph=1),
    value={
        "commendation": tuple(CorrectionCategory.values),
        "admonition": tuple(CorrectionCategory.values),
        "warning": tuple(CorrectionCategory.values),
        "security_punishment": tuple(CorrectionCategory.values),
        "probation_revocation": (CorrectionCategory.PROBATION,),
        "parole_revocation": (CorrectionCategory.PAROLE,),
        "committal": (CorrectionCategory.TEMPORARY_OUTSIDE,),
    },
)
LEAVE_APPROVAL = Rule(
    "leave_approval",
    "社区矫正对象离开所居住的市、县或者迁居，应当报经社区矫正机构批准；有正当理由的，应当批准",
    Citation(LAW, 27, paragraph=1),
)
SUPERVISION_RULES = Rule(
    "supervision_rules",
    "社区矫正对象应当遵守关于报告、会客、外出、迁居等监督管理规定（进入特定场所、会见特定人员须经批准）",
    Citation(LAW, 23),
)
# Routing by kind and duration: 外出七日以内由受委托的司法所批准，超过七日由县级社区矫正机构批准，每次不超过三十日.
LEAVE_STATION_DAYS = Rule(
    "leave_station_days",
    "申请外出时间在七日以内的，经县级社区矫正机构委托，可以由司法所批准；超过七日的，由县级社区矫正机构批准",
    Citation(MEASURES, 27),
    value=7,
    exemption=_MEASURES_NOT_IN_LIBRARY,
)
LEAVE_MAX_DAYS = Rule(
    "leave_max_days",
    "县级社区矫正机构每次批准外出的时间不超过三十日；确需更长的，报上一级社区矫正机构审批",
    Citation(MEASURES, 27),
    value=30,
    exemption=_MEASURES_NOT_IN_LIBRARY,
)
LEAVE_NOTICE_DAYS = Rule(
    "leave_notice_days",
    "社区矫正对象确需离开所居住的市、县的，一般应当提前三日提交书面申请",
    Citation(MEASURES, 27),
    value=3,
    exemption=_MEASURES_NOT_IN_LIBRARY,
)
APPROVAL_DECISION_PERIOD = CalendarDayPeriod(
    "approval_decision_period",
    "外出、进入特定场所、会见特定人员的申请，应当在三日内作出是否批准的决定",
    Citation(MEASURES, 27),
    days=3,
    exemption=_MEASURES_NOT_IN_LIBRARY,
)
RESIDENCE_DECISION_PERIOD = CalendarDayPeriod(
    "residence_decision_period",
    "迁居（变更执行地）的申请，社区矫正机构征求新执行地意见后，应当在十五日内作出决定",
    Citation(MEASURES, 30),
    days=15,
    exemption=_MEASURES_NOT_IN_LIBRARY,
)
RETURN_REPORT = Rule(
    "return_report",
    "社区矫正对象外出期满返回居住地，应当及时向执行地社区矫正机构或者司法所报告（销假）",
    Citation(MEASURES, 28),
    exemption=_MEASURES_NOT_IN_LIBRARY,
)

# --- education, identity checks --------------------------------------------------------------
EDUCATION_BY_NEED = Rule(
    "education_by_need",
    "社区矫正机构根据需要对社区矫正对象进行法治、道德等教育，因人施教",
    Citation(LAW, 36),
)
PUBLIC_SERVICE = Rule(
    "public_service",
    "社区矫正机构可以根据社区矫正对象的个人特长，组织其参加公益活动",
    Citation(LAW, 42),
)
# Hours of learning a subject should attend each month. The Law (第三十六条) leaves the amount to the agency; the
# platform's default is eight hours a month (the figure of the former 2012 implementing measures, which the 2020
# measures no longer fix), so a province or county may change this value with its own basis.
MONTHLY_LEARNING_HOURS = Rule(
    "monthly_learning_hours",
    "社区矫正对象每月参加教育学习的时长（本平台默认八小时，由社区矫正机构根据个体情况因人施教调整）",
    Citation(LAW, 36, paragraph=2),
    value=8,
)
# At most this many hours are credited for one session, however long it stayed open: a session left open overnight
# must not fill a month's hours (因人施教 also means sessions of a sensible length).
SESSION_HOURS_CAP = Rule(
    "session_hours_cap",
    "单次教育学习最多计入四个学时（超出部分须另行签到学习）",
    Citation(LAW, 36, paragraph=2),
    value=4,
)
# Face matching (correction/identity.py): the largest distance between the 128-dimension dlib face encodings of the
# live photo and the intake photo that still counts as the same person. dlib's model is calibrated at 0.6 (99.38 %
# on LFW); the platform holds 0.5, stricter, because a false acceptance credits hours or a report to someone else,
# while a false refusal only asks for another photo or an officer's check.
FACE_MATCH_THRESHOLD = Rule(
    "face_match_threshold",
    "通过信息化核查方式核实社区矫正对象身份：现场照片与入矫照片的人脸特征距离不超过阈值方为同一人",
    Citation(LAW, 26, paragraph=1),
    value=0.5,
)
# Where face matching is not available: random digits the subject writes down and holds up in a live photo, valid
# for this many minutes, then an officer compares the photo with the intake photo and the digits.
CHALLENGE_VALID_MINUTES = Rule(
    "challenge_valid_minutes",
    "随机核验数字在发放后十分钟内有效，现场照片由工作人员人工复核",
    Citation(LAW, 26, paragraph=1),
    value=10,
)

# --- risk, command, 脱管 ----------------------------------------------------------------------
ABSCONDING_SEARCH = Rule(
    "absconding_search",
    "社区矫正对象失去联系的，社区矫正机构应当立即组织查找，公安机关等有关单位和人员应当予以配合协助",
    Citation(LAW, 30),
)
# How long the search runs before the police are asked to help and the next level is told, and when the written
# report is due: a platform policy under 第三十条 (立即组织查找; 公安机关等予以配合协助), in hours from opening.
ABSCONDING_DEADLINES = Rule(
    "absconding_deadlines",
    "社区矫正对象失去联系的，立即组织查找：查找24小时仍未找到的提请公安机关协助并上报，72小时内书面报告查找情况",
    Citation(LAW, 30),
    value={"escalate_hours": 24, "report_hours": 72},
)
ABSCONDING_FOUND = Rule(
    "absconding_found",
    "查找到社区矫正对象后，应当区别情形依法作出处理（训诫、警告、提请治安管理处罚或者提请撤销缓刑、假释、收监执行）",
    Citation(LAW, 30),
)
# The risk score (correction/risk.py) serves 分类管理、个别化矫正 (第三条) and the adjustment of the correction plan
# to the subject's conduct (第二十四条): its levels are a platform policy, not a statutory classification, and only
# advise the officer (the supervision level itself is changed by a person).
RISK_LEVELS = Rule(
    "risk_levels",
    "采取分类管理、个别化矫正，有针对性地消除社区矫正对象可能重新犯罪的因素：再犯风险评分30分以上为中风险，55分以上为高风险",
    Citation(LAW, 3),
    value={"medium": 30, "high": 55},
)
RISK_PLAN_REVIEW = Rule(
    "risk_plan_review",
    "矫正方案应当根据社区矫正对象的表现等情况相应调整：风险评分升入高风险时产生风险预警，由工作人员核实并调整矫正方案",
    Citation(LAW, 24),
)

# --- subject app, kiosk ----------------------------------------------------------------------
