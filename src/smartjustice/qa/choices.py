"""Enumerations of the FAQ knowledge base: stored values are English, labels Chinese."""

from django.db import models

from smartjustice.core.choices import AuditEventChoices


class Scenario(models.TextChoices):
    """The life situations the FAQ is organised by (the robot's and the list page's categories)."""

    MARRIAGE_FAMILY = "marriage_family", "婚姻家庭"
    INHERITANCE = "inheritance", "继承"
    LABOUR = "labour", "劳动就业"
    LENDING = "lending", "借贷纠纷"
    CONSUMER = "consumer", "消费维权"
    TRAFFIC_ACCIDENT = "traffic_accident", "交通事故"
    TENANCY = "tenancy", "房屋租赁"
    PROPERTY_NEIGHBOURS = "property_neighbours", "物业与相邻关系"
    PERSONAL_INJURY = "personal_injury", "人身损害"
    CONTRACT = "contract", "合同纠纷"
    ADMINISTRATIVE = "administrative", "行政执法与行政复议"
    LEGAL_AID = "legal_aid", "法律援助"
    MEDIATION = "mediation", "人民调解"
    NOTARY = "notary", "公证"
    COMMUNITY_CORRECTION = "community_correction", "社区矫正"
    GOVINFO = "govinfo", "政府信息公开"
    ENTERPRISE = "enterprise", "企业法律"
    OTHER = "other", "其他"


class FaqStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class QaAuditEvent(AuditEventChoices):
    """Audit events of the FAQ knowledge base (numbers 1400–1499; never renumbered)."""

    FAQ_CREATED = 1400, "新增常见问题"
    FAQ_UPDATED = 1401, "修改常见问题"
    FEEDBACK_RECORDED = 1402, "评价常见问题"
    FAQ_SUBMITTED = 1410, "提交常见问题审核"
    FAQ_PUBLISHED = 1411, "审核发布常见问题"
    FAQ_RETURNED = 1412, "退回常见问题"
    FAQ_WITHDRAWN = 1413, "撤回常见问题"
