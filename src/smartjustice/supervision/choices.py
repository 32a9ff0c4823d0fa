"""Enumerations of 执法监督: stored values are English, labels Chinese."""

from django.db import models

from smartjustice.core.choices import AuditEventChoices


class FlagRule(models.TextChoices):
    """What a supervision check found (supervision/checks.py; each cites its article in supervision/rules.py)."""

    STAGE_OVERDUE = "stage_overdue", "办理阶段超期"
    FINE_OUT_OF_RANGE = "fine_out_of_range", "罚款超出法定幅度"
    FINE_OUTSIDE_BENCHMARK = "fine_outside_benchmark", "罚款超出所选裁量基准"
    UNCERTIFIED_HANDLER = "uncertified_handler", "承办人无有效执法证"
    SINGLE_OFFICER = "single_officer", "执法人员少于两人"
    LEGAL_REVIEW_MISSING = "legal_review_missing", "应审未审（法制审核）"
    HEARING_NOTICE_MISSING = "hearing_notice_missing", "未告知听证权利"
    FINED_TWICE = "fined_twice", "同一违法行为重复罚款"
    UNEXECUTED = "unexecuted", "逾期未执行"
    OPEN_TOO_LONG = "open_too_long", "立案超九十日未决定"


class FlagStatus(models.TextChoices):
    OPEN = "open", "待处理"
    RESOLVED = "resolved", "已消除"
    DISMISSED = "dismissed", "已核销"


class OrderStatus(models.TextChoices):
    """督办: issued → replied → accepted → closed; a reply may be returned for further rectification."""

    ISSUED = "issued", "待整改"
    REPLIED = "replied", "已回复待审核"
    RETURNED = "returned", "已退回重新整改"
    ACCEPTED = "accepted", "整改通过"
    CLOSED = "closed", "已办结"


class ReviewStatus(models.TextChoices):
    SAMPLED = "sampled", "待评查"
    SCORED = "scored", "已评查"


class ReviewGrade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"


class SupervisionAuditEvent(AuditEventChoices):
    """Audit events of 执法监督 (1800–1899)."""

    SCAN_COMPLETED = 1800, "执法监督自动巡查"
    FLAG_DISMISSED = 1801, "核销监督预警"
    ORDER_ISSUED = 1810, "发出督办"
    ORDER_REPLIED = 1811, "督办整改回复"
    ORDER_ACCEPTED = 1812, "督办整改验收通过"
    ORDER_RETURNED = 1813, "督办整改退回"
    ORDER_CLOSED = 1814, "督办办结"
    ORDER_ATTACHMENTS_ADDED = 1815, "上传整改材料"
    REVIEW_SAMPLED = 1820, "抽取评查案卷"
    REVIEW_SCORED = 1821, "案卷评查评分"
