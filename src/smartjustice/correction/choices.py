"""Enumerations of 社区矫正: stored values are English, labels Chinese."""

from django.db import models

from smartjustice.core.choices import AuditEventChoices


class CorrectionCategory(models.TextChoices):
    """The four kinds of offender under community correction (《社区矫正法》第二条)."""

    CONTROL = "control", "管制"
    PROBATION = "probation", "缓刑"
    PAROLE = "parole", "假释"
    TEMPORARY_OUTSIDE = "temporary_outside", "暂予监外执行"


class SupervisionLevel(models.TextChoices):
    """分类管理 (第三条、第二十四条): the level sets the reporting schedule (rules.REPORTING_SCHEDULES)."""

    STRICT = "strict", "严管"
    ORDINARY = "ordinary", "普管"
    LENIENT = "lenient", "宽管"


class SubjectStatus(models.TextChoices):
    ACTIVE = "active", "在矫"
    TRANSFERRING = "transferring", "执行地变更中"
    RELEASED = "released", "已解矫"
    TERMINATED = "terminated", "已终止"


# What every part means by "under correction": a term being served (a transfer in progress still is).
UNDER_CORRECTION = (SubjectStatus.ACTIVE, SubjectStatus.TRANSFERRING)


class TerminationReason(models.TextChoices):
    """第四十五条: correction ends early on revocation, committal or death; 第四十四条: on expiry or amnesty."""

    EXPIRED = "expired", "矫正期满"
    PARDONED = "pardoned", "被赦免"
    PROBATION_REVOKED = "probation_revoked", "撤销缓刑"
    PAROLE_REVOKED = "parole_revoked", "撤销假释"
    COMMITTED = "committed", "收监执行"
    DECEASED = "deceased", "死亡"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class OffenceType(models.TextChoices):
    """Broad offence groups (an input of the risk score and of statistics)."""

    VIOLENT = "violent", "暴力犯罪"
    PROPERTY = "property", "侵财犯罪"
    DRUG = "drug", "毒品犯罪"
    TRAFFIC = "traffic", "交通肇事、危险驾驶"
    DUTY = "duty", "职务犯罪"
    ECONOMIC = "economic", "经济犯罪"
    OTHER = "other", "其他犯罪"


class Employment(models.TextChoices):
    EMPLOYED = "employed", "就业"
    UNEMPLOYED = "unemployed", "无业"
    STUDENT = "student", "在校学生"
    RETIRED = "retired", "退休或无劳动能力"


class FamilySituation(models.TextChoices):
    STABLE = "stable", "家庭稳定"
    STRAINED = "strained", "家庭关系紧张"
    ALONE = "alone", "独居、无家庭支持"


class ContactRelation(models.TextChoices):
    GUARDIAN = "guardian", "监护人"
    SPOUSE = "spouse", "配偶"
    PARENT = "parent", "父母"
    CHILD = "child", "子女"
    SIBLING = "sibling", "兄弟姐妹"
    OTHER = "other", "其他"


class GroupRole(models.TextChoices):
    """Who may sit in a 矫正小组 (第二十五条第二款)."""

    STATION = "station", "司法所工作人员"
    COMMITTEE = "committee", "居（村）民委员会人员"
    FAMILY = "family", "监护人、家庭成员"
    EMPLOYER = "employer", "所在单位或就读学校人员"
    SOCIAL_WORKER = "social_worker", "社会工作者"
    VOLUNTEER = "volunteer", "志愿者"


class CorrectionAuditEvent(AuditEventChoices):
    """Audit events of 社区矫正 (2100–2199). Numbered by part: subjects, reporting, location, conduct, education, command."""

    # subjects, transfer, release, archives (helper A): 2100–2119
    SUBJECT_INTAKE = 2100, "社区矫正对象入矫"
    SUBJECT_UPDATED = 2101, "修改社区矫正对象信息"
    SUBJECT_RELEASED = 2102, "社区矫正对象解矫"
    SUBJECT_TERMINATED = 2103, "社区矫正终止"
    TRANSFER_REQUESTED = 2104, "申请变更执行地"
    TRANSFER_ACCEPTED = 2105, "接收变更执行地的社区矫正对象"
    TRANSFER_REFUSED = 2106, "不予接收变更执行地"
    CONTACT_SAVED = 2107, "登记监护人、家庭成员"
    GROUP_MEMBER_SAVED = 2108, "调整矫正小组成员"
    PLAN_UPDATED = 2109, "调整矫正方案"
    ACCOUNT_LINKED = 2110, "关联粤矫通账号"
    ARCHIVE_ITEM_ADDED = 2111, "档案归档"
    ARCHIVE_EXPORTED = 2112, "导出矫正档案"
    ARCHIVE_DISPOSED = 2113, "档案到期处置"
    ALERT_RAISED = 2118, "产生预警"
    ALERT_EXTENDED = 2119, "合并同一预警"
    # daily supervision, check-ins, receipts (helper B): 2120–2129
    CHECKED_IN = 2120, "社区矫正对象报到"
    SUPERVISION_RECORDED = 2121, "登记走访、谈话记录"
    ALERT_CONTACTED = 2123, "预警处置：记录联系情况"
    ALERT_CONFIRMED = 2124, "预警处置：核实确有违规"
    ALERT_DISMISSED = 2125, "预警处置：核实为误报"
    ALERT_ESCALATED = 2126, "预警处置：转脱管处置"
    RECEIPT_DOWNLOADED = 2127, "下载报到回执"
    # location monitoring, alerts, electronic monitoring (helpers C/D): 2130–2144
    GPS_BATCH_INGESTED = 2130, "接收定位数据"
    FENCE_CREATED = 2131, "设置电子围栏"
    FENCE_UPDATED = 2132, "修改电子围栏"
    FENCE_DEACTIVATED = 2133, "停用电子围栏"
    MONITORING_PROPOSED = 2134, "提请使用电子定位装置"
    MONITORING_APPROVED = 2135, "批准使用电子定位装置"
    MONITORING_REFUSED = 2136, "不予批准使用电子定位装置"
    MONITORING_ENDED = 2137, "解除电子定位装置"
    TRACK_VIEWED = 2138, "查看活动轨迹"
    GPS_PARTITIONS_MAINTAINED = 2139, "维护定位数据分区"
    # assessments, sanctions, approvals (helper E): 2145–2164
    ASSESSMENT_RECORDED = 2145, "记录考核结果"
    SANCTION_DRAFTED = 2146, "拟办奖惩事项"
    SANCTION_UPDATED = 2147, "修改奖惩事项"
    SANCTION_SUBMITTED = 2148, "提交奖惩审批"
    SANCTION_APPROVED = 2149, "批准奖惩事项"
    SANCTION_RETURNED = 2150, "退回奖惩事项"
    SANCTION_ISSUED = 2151, "制发奖惩决定书"
    SANCTION_SENT_TO_COURT = 2152, "提请撤销缓刑、假释或收监执行"
    SANCTION_COURT_DECIDED = 2153, "登记法院裁定（决定）结果"
    SANCTION_CANCELLED = 2154, "撤销拟办的奖惩事项"
    APPROVAL_SUBMITTED = 2155, "提交审批申请"
    APPROVAL_REVIEWED = 2156, "司法所初审审批申请"
    APPROVAL_APPROVED = 2157, "批准审批申请"
    APPROVAL_REFUSED = 2158, "不予批准审批申请"
    APPROVAL_WITHDRAWN = 2159, "撤回审批申请"
    APPROVAL_RETURNED = 2160, "外出销假"
    # education, identity checks (helper F): 2165–2174
    LEARNING_TASK_CREATED = 2165, "新增教育学习任务"
    LEARNING_TASK_UPDATED = 2166, "修改教育学习任务"
    LEARNING_ASSIGNED = 2167, "布置教育学习任务"
    LEARNING_SESSION_STARTED = 2168, "开始教育学习"
    LEARNING_SESSION_FINISHED = 2169, "结束教育学习"
    IDENTITY_CHALLENGE_ISSUED = 2170, "发放身份核验随机数字"
    IDENTITY_VERIFIED = 2171, "身份核验"
    IDENTITY_REVIEWED = 2172, "人工复核身份核验"
    # risk, command, 脱管 (helper G): 2175–2189
    RISK_ASSESSED = 2175, "风险评估"
    INCIDENT_OPENED = 2176, "启动脱管查找"
    INCIDENT_ESCALATED = 2177, "脱管升级：提请公安机关协助"
    INCIDENT_REPORTED = 2178, "报告脱管查找情况"
    INCIDENT_CLOSED = 2179, "脱管处置办结"
    INCIDENT_NOTE_ADDED = 2180, "记录查找情况"
    # subject app, kiosk (helper H): 2190–2199


class FenceKind(models.TextChoices):
    """What a geofence demands: stay inside (the allowed area), stay outside (a 禁止令 zone), or be inside during a
    daily window (a curfew at home)."""

    ALLOWED = "allowed", "活动区域"
    FORBIDDEN = "forbidden", "禁止进入区域"
    CURFEW = "curfew", "宵禁（须在区域内）"


class FenceSource(models.TextChoices):
    COUNTY_BOUNDARY = "county_boundary", "执行地县级行政区划边界"
    CUSTOM = "custom", "自定义多边形"


class AlertKind(models.TextChoices):
    GEOFENCE_EXIT = "geofence_exit", "越界（离开活动区域）"
    FORBIDDEN_ZONE = "forbidden_zone", "进入禁止区域"
    CURFEW = "curfew", "违反宵禁"
    MISSED_REPORT = "missed_report", "未按时报告"
    SIGNAL_LOST = "signal_lost", "定位信号中断"
    RISK = "risk", "风险预警"


class AlertStatus(models.TextChoices):
    OPEN = "open", "待处置"
    CONTACTED = "contacted", "已联系核实中"
    CONFIRMED = "confirmed", "已核实：确有违规"
    DISMISSED = "dismissed", "已核实：误报"
    ESCALATED = "escalated", "已转脱管处置"
