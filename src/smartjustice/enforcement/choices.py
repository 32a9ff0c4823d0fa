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
