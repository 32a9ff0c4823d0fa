"""Enumerations of 行政执法: stored values are English, labels Chinese."""

from django.db import models

from smartjustice.core.choices import AuditEventChoices


class ItemType(models.TextChoices):
    """The kinds of enforcement item (行政执法事项) on a power list (权责清单)."""

    PENALTY = "penalty", "行政处罚"
    LICENSING = "licensing", "行政许可"
    COMPULSION = "compulsion", "行政强制"
    INSPECTION = "inspection", "行政检查"
    LEVY = "levy", "行政征收"
    BENEFIT = "benefit", "行政给付"
    CONFIRMATION = "confirmation", "行政确认"
    REWARD = "reward", "行政奖励"
    OTHER = "other", "其他"


class ImplementingLevel(models.TextChoices):
    """The government levels that implement an item (行使层级)."""

    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWN = "town", "乡镇（街道）"


class ItemStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class BasisStatus(models.TextChoices):
    """What the statute library says of an item's legal basis (statutes.citations.check_citation)."""

    VALID = "valid", "现行有效"
    AMENDED = "amended", "所引版本已被修改"
    NOT_IN_FORCE = "not_in_force", "已失效"
    NOT_FOUND = "not_found", "未找到"
    NONE = "none", "未填写依据"


class DiscretionGrade(models.TextChoices):
    """裁量阶次 of a discretion benchmark."""

    NO_PENALTY = "no_penalty", "不予处罚"
    LIGHTER = "lighter", "从轻"
    ORDINARY = "ordinary", "一般"
    HEAVIER = "heavier", "从重"


class ExemptionList(models.TextChoices):
    """The lists a circumstance may be put on under 《行政处罚法》第三十三条第一款."""

    NONE = "", "不列入"
    NO_PENALTY = "no_penalty", "不予处罚清单"
    FIRST_VIOLATION = "first_violation", "首违不罚清单"


class EnforcementAuditEvent(AuditEventChoices):
    """Audit events of 行政执法 (numbers 1700–1799; the power list 1700–1749, agencies and officers 1750–1799)."""

    ITEM_CREATED = 1700, "新增执法事项"
    ITEM_UPDATED = 1701, "修改执法事项"
    ITEM_PROPOSED = 1702, "从法规库生成执法事项草稿"
    ITEM_BASIS_CHECKED = 1703, "核验执法事项依据"
    ITEM_SUBMITTED = 1710, "提交执法事项审核"
    ITEM_PUBLISHED = 1711, "审核发布执法事项"
    ITEM_RETURNED = 1712, "退回执法事项"
    ITEM_WITHDRAWN = 1713, "撤回执法事项"
    BENCHMARK_SAVED = 1720, "保存裁量基准"
    BENCHMARK_DELETED = 1721, "删除裁量基准"
    OFFICER_REGISTERED = 1750, "登记行政执法人员"
    OFFICER_UPDATED = 1751, "修改行政执法人员信息"
    OFFICER_CERTIFICATE_ISSUED = 1752, "签发行政执法证"
    OFFICER_TRAINING_RECORDED = 1753, "登记执法人员培训学时"


# --- case handling (办案): the states and vocabularies of enforcement/models/cases.py ------------------------------


class Procedure(models.TextChoices):
    """普通程序 or the simplified on-the-spot procedure of 《行政处罚法》第五十一条、第五十二条."""

    ORDINARY = "ordinary", "普通程序"
    SIMPLIFIED = "simplified", "简易程序（当场处罚）"


class CaseSource(models.TextChoices):
    """Where a case came from (案件来源)."""

    LEAD = "lead", "执法检查发现"
    COMPLAINT = "complaint", "投诉举报"
    REFERRAL = "referral", "移送"
    INSPECTION = "inspection", "双随机抽查"
    ON_SITE = "on_site", "当场发现"
    OTHER = "other", "其他"


class CaseStatus(models.TextChoices):
    """The stages of a case under the 行政处罚法 (enforcement/case_workflow.py declares the transitions)."""

    LEAD = "lead", "线索登记"
    INVESTIGATING = "investigating", "调查取证"
    LEGAL_REVIEW = "legal_review", "法制审核"
    NOTIFIED = "notified", "已告知（陈述申辩）"
    HEARING = "hearing", "听证"
    DISCUSSION = "discussion", "集体讨论"
    DECIDED = "decided", "已决定（待送达）"
    SERVED = "served", "已送达（待执行）"
    EXECUTED = "executed", "已执行"
    CLOSED = "closed", "已结案"
    ARCHIVED = "archived", "已归档"
    NOT_FILED = "not_filed", "不予立案"
    DROPPED = "dropped", "不予处罚（撤案）"


class PartyKind(models.TextChoices):
    PERSON = "person", "公民"
    ORGANISATION = "organisation", "法人或者其他组织"


class EvidenceKind(models.TextChoices):
    INSPECTION_RECORD = "inspection_record", "现场检查（勘验）笔录"
    INQUIRY_RECORD = "inquiry_record", "询问笔录"
    PHOTO = "photo", "现场照片"
    DOCUMENT = "document", "书证"
    AUDIO_VIDEO = "audio_video", "视听资料"
    SAMPLE = "sample", "抽样取证"
    OTHER = "other", "其他证据"


class ServiceMethod(models.TextChoices):
    """送达方式 (《行政处罚法》第六十一条 refers to the 民事诉讼法's methods)."""

    IN_PERSON = "in_person", "直接送达"
    ON_THE_SPOT = "on_the_spot", "当场交付"
    LEFT_AT_RESIDENCE = "left", "留置送达"
    ELECTRONIC = "electronic", "电子送达"
    POST = "post", "邮寄送达"
    ENTRUSTED = "entrusted", "委托送达"
    ANNOUNCEMENT = "announcement", "公告送达"


class PaymentKind(models.TextChoices):
    FINE = "fine", "罚款"
    INSTALMENT = "instalment", "分期缴纳"
    SURCHARGE = "surcharge", "加处罚款"
    CONFISCATION = "confiscation", "没收违法所得"


class CaseDocumentKind(models.TextChoices):
    """The official documents (执法文书) of a case; enforcement/documents.py renders each as PDF and DOCX."""

    FILING_APPROVAL = "filing_approval", "立案审批表"
    INSPECTION_RECORD = "inspection_record", "现场检查（勘验）笔录"
    INQUIRY_RECORD = "inquiry_record", "询问笔录"
    LEGAL_REVIEW = "legal_review", "法制审核意见书"
    PRIOR_NOTICE = "prior_notice", "行政处罚事先告知书"
    HEARING_NOTICE = "hearing_notice", "听证通知书"
    DECISION = "decision", "行政处罚决定书"
    SERVICE_RECEIPT = "service_receipt", "送达回证"
    CLOSING_REPORT = "closing_report", "结案报告"
    ON_THE_SPOT_DECISION = "on_the_spot_decision", "当场行政处罚决定书"


# --- inspections (双随机、一公开) ------------------------------------------------------------------------------------


class RiskLevel(models.TextChoices):
    LOW = "low", "低风险"
    MEDIUM = "medium", "中风险"
    HIGH = "high", "高风险"


class InspectionPlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    COMMITTED = "committed", "随机种子已存证"
    DRAWN = "drawn", "已抽取"
    COMPLETED = "completed", "检查完毕"
    PUBLISHED = "published", "结果已公示"


class InspectionResult(models.TextChoices):
    PENDING = "pending", "待检查"
    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"
    RECTIFY = "rectify", "责令整改"
    NOT_FOUND = "not_found", "未发现经营主体"


class CaseAuditEvent(AuditEventChoices):
    """Audit events of case handling and inspections: enforcement's second block, 2000–2099 (the first, 1700–1799,
    is full between the power list and the officers; 1800 is supervision's, 1900 disclosure's)."""

    PARTY_REGISTERED = 2000, "登记当事人"
    PARTY_UPDATED = 2001, "修改当事人信息"
    CASE_REGISTERED = 2010, "登记案件线索"
    CASE_FILED = 2011, "立案"
    CASE_NOT_FILED = 2012, "不予立案"
    CASE_OFFICERS_ASSIGNED = 2013, "指派承办人员"
    EVIDENCE_RECORDED = 2014, "登记证据并存证"
    CASE_SUBMITTED_FOR_REVIEW = 2015, "提交法制审核"
    LEGAL_REVIEW_GIVEN = 2016, "出具法制审核意见"
    PRIOR_NOTICE_SERVED = 2017, "送达行政处罚事先告知书"
    STATEMENT_RECORDED = 2018, "记录陈述申辩"
    HEARING_NOTIFIED = 2019, "发出听证通知"
    HEARING_RECORDED = 2020, "记录听证"
    DISCUSSION_RECORDED = 2021, "记录集体讨论"
    CASE_DECIDED = 2022, "作出行政处罚决定"
    CASE_DROPPED = 2023, "不予处罚（撤案）"
    DECISION_SERVED = 2024, "送达行政处罚决定书"
    PAYMENT_RECORDED = 2025, "登记缴款"
    INSTALMENTS_APPROVED = 2026, "批准分期缴纳"
    CASE_EXECUTED = 2027, "执行完毕"
    CASE_CLOSED = 2028, "结案"
    CASE_ARCHIVED = 2029, "归档"
    DECISION_REVOKED = 2030, "撤销行政处罚决定"
    ON_THE_SPOT_PENALTY = 2031, "当场作出行政处罚决定"
    CASE_DOCUMENT_GENERATED = 2032, "生成执法文书"
    PENALTY_PROPOSED = 2033, "拟定行政处罚内容"
    ENTITY_REGISTERED = 2050, "登记监管对象"
    ENTITY_UPDATED = 2051, "修改监管对象"
    ENTITIES_IMPORTED = 2052, "批量导入监管对象"
    CONFLICT_REGISTERED = 2053, "登记回避关系"
    CONFLICT_REMOVED = 2054, "撤销回避关系"
    PLAN_CREATED = 2060, "新建双随机抽查计划"
    PLAN_SEED_COMMITTED = 2061, "随机种子存证"
    PLAN_DRAWN = 2062, "抽取检查对象和执法人员"
    INSPECTION_RESULT_RECORDED = 2063, "登记抽查结果"
    PLAN_RESULTS_PUBLISHED = 2064, "公示抽查结果"
    INSPECTION_CASE_OPENED = 2065, "抽查不合格转立案"
    PLAN_UPDATED = 2066, "修改双随机抽查计划"
