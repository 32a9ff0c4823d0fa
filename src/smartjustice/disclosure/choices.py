"""Enumerations of 执法公示 (public enforcement information and the annual enforcement data report)."""

from django.db import models

from smartjustice.core.choices import AuditEventChoices


class ReportStatus(models.TextChoices):
    """The states of an annual report (disclosure/models.py declares the workflow)."""

    DRAFT = "draft", "填报中"
    SUBMITTED = "submitted", "已报送（待审核）"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已审核通过（公开）"


class FigureSource(models.TextChoices):
    COMPUTED = "computed", "系统统计"
    MANUAL = "manual", "人工填报"


class DisclosureAuditEvent(AuditEventChoices):
    """Audit events of 执法公示 (1900–1999)."""

    REPORT_OPENED = 1900, "新建年度行政执法数据报告"
    REPORT_COMPUTED = 1901, "统计年度行政执法数据"
    FIGURE_ENTERED = 1902, "填报年度行政执法数据项"
    REPORT_SUBMITTED = 1910, "报送年度行政执法数据"
    REPORT_RETURNED = 1911, "退回年度行政执法数据"
    REPORT_ACCEPTED = 1912, "审核通过年度行政执法数据"
