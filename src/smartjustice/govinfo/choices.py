"""Enumerations of 政府信息公开申请: stored values are English, labels Chinese."""

from django.db import models

from smartjustice.core.choices import AuditEventChoices


class SubmissionChannel(models.TextChoices):
    """How the application reached the office; decides the receipt date (《政府信息公开条例》第三十一条)."""

    ONLINE = "online", "互联网（网上申请）"
    IN_PERSON = "in_person", "当面提交"
    MAIL = "mail", "邮寄"
    FAX = "fax", "传真"


class DeliveryMethod(models.TextChoices):
    """How the applicant wants the information (第二十九条第二款第三项: 获取信息的方式、途径)."""

    ONLINE = "online", "网上查阅（平台下载）"
    EMAIL = "email", "电子邮件"
    POST = "post", "邮寄纸质件"
    PICKUP = "pickup", "当面领取"


class ReplyType(models.TextChoices):
    """The kinds of answer 第三十六条 and 第三十七条 allow."""

    ALREADY_PUBLIC = "already_public", "已主动公开"
    DISCLOSED = "disclosed", "予以公开"
    PARTIALLY_DISCLOSED = "partially_disclosed", "部分公开"
    NOT_DISCLOSED = "not_disclosed", "不予公开"
    NOT_EXIST = "not_exist", "信息不存在"
    NOT_OURS = "not_ours", "非本机关负责公开"
    REPEATED = "repeated", "重复申请不予重复处理"
    SPECIAL_PROCEDURE = "special_procedure", "依特别规定办理"


class GovInfoAuditEvent(AuditEventChoices):
    """Audit events of 政府信息公开申请 (numbers 1000–1099; never renumbered)."""

    SUBMITTED = 1000, "提交政府信息公开申请"
    MATERIALS_ADDED = 1001, "补充申请材料"
    ACCEPTED = 1002, "登记受理申请"
    CORRECTION_REQUESTED = 1003, "告知补正"
    RESUBMITTED = 1004, "提交补正"
    EXTENDED = 1005, "延长答复期限"
    ANSWERED = 1006, "作出答复"
    WITHDRAWN = 1007, "撤回申请"
    CONSULTATION_STARTED = 1008, "征求第三方意见"
    CONSULTATION_ENDED = 1009, "征求意见完毕"
