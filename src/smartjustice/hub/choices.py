"""Enumerations of 共享协同平台: stored values are English, labels Chinese."""

from django.db import models

from smartjustice.core.choices import AuditEventChoices


class SharingClass(models.TextChoices):
    """共享类型 (《政务信息资源共享管理暂行办法》第五条)."""

    UNCONDITIONAL = "unconditional", "无条件共享"
    CONDITIONAL = "conditional", "有条件共享"
    NOT_SHARED = "not_shared", "不予共享"


class UpdateFrequency(models.TextChoices):
    REALTIME = "realtime", "实时"
    DAILY = "daily", "每日"
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    YEARLY = "yearly", "每年"


class ConsumerKind(models.TextChoices):
    PROVINCIAL_BIG_DATA = "provincial_big_data", "省政务大数据中心"
    MINISTRY = "ministry", "司法部"
    CITY = "city", "地市"
    DEPARTMENT = "department", "其他部门"
    EXTERNAL_SOURCE = "external_source", "外部数据来源系统"


class DeliveryMode(models.TextChoices):
    PUSH = "push", "推送（HTTP）"
    PULL = "pull", "拉取（游标）"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待投递"
    DELIVERED = "delivered", "已投递"
    DEAD = "dead", "死信"


class Masking(models.TextChoices):
    """How a personal-information field leaves the hub for one subscription."""

    MASK = "mask", "脱敏显示"
    DIGEST = "digest", "摘要（不可逆）"
    DROP = "drop", "不提供"
    CLEAR = "clear", "明文（须有法定依据）"


class HubAuditEvent(AuditEventChoices):
    """Audit events of the data-sharing hub (numbers 1100–1199; never renumbered)."""

    CONSUMER_REGISTERED = 1100, "登记数据使用方"
    CONSUMER_UPDATED = 1101, "修改数据使用方"
    CONSUMER_DEACTIVATED = 1102, "停用数据使用方"
    CONSUMER_REACTIVATED = 1103, "启用数据使用方"
    CLIENT_SECRET_ROTATED = 1104, "轮换客户端密钥"
    PUSH_SECRET_ROTATED = 1105, "轮换推送签名密钥"
    SUBSCRIPTION_CREATED = 1110, "新增数据订阅"
    SUBSCRIPTION_UPDATED = 1111, "修改数据订阅"
    SUBSCRIPTION_DEACTIVATED = 1112, "停用数据订阅"
    SUBSCRIPTION_REACTIVATED = 1113, "启用数据订阅"
    DEAD_LETTER_REPLAYED = 1120, "重新投递死信"
    RECORDS_INGESTED = 1130, "报送共享数据"
    CATALOGUE_LOADED = 1131, "加载共享数据目录"
