"""The audit trail: append-only rows, enforced by the model and by database triggers."""

from django.db import models

from ..choices import audit_event_choices, audit_event_label
from ..errors import DomainError


class AuditTrailIsAppendOnly(DomainError):
    status_code = 409
    code = "audit_append_only"
    default_message = "审计记录只能追加，不能修改或删除"


class AuditQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        from .. import access

        return access.restrict(self, user, action)

    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly()

    def delete(self):
        raise AuditTrailIsAppendOnly()


class AuditEntry(models.Model):
    """One recorded event: who did what to which record, when, under which request, with before/after values."""

    jurisdiction_field = "jurisdiction_code"
    owner_field = None
    owner_actions = ()

    # Core's AuditEvent and every app's own event enumeration (core.choices.AuditEventChoices), read when used.
    event = models.PositiveSmallIntegerField("事件", choices=audit_event_choices, db_index=True)
    occurred_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    # Plain columns rather than foreign keys: the trail must outlive the rows it describes.
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True, db_index=True)
    actor_username = models.CharField("操作人账号", max_length=150, blank=True)
    actor_name = models.CharField("操作人", max_length=100, blank=True)
    request_id = models.CharField("请求ID", max_length=64, blank=True, db_index=True)
    channel = models.CharField("渠道", max_length=16, blank=True)
    ip = models.CharField("IP地址", max_length=45, blank=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True, db_index=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    jurisdiction_code = models.CharField("所属区划", max_length=12, blank=True, db_index=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    changed_fields = models.JSONField("变更字段", default=list, blank=True)
    detail = models.CharField("说明", max_length=500, blank=True)
    # The operation this entry is a sub-step of (a transition, attachment, document or other record it wrote).
    parent = models.ForeignKey(
        "self",
        verbose_name="所属操作",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="steps",
    )

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["jurisdiction_code", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.event_label} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailIsAppendOnly()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly()

    @property
    def event_label(self) -> str:
        """The event's Chinese label, from whichever app declares it."""
        return audit_event_label(self.event)

    @property
    def object_type_label(self) -> str:
        """The record type's Chinese name (its model's verbose_name), e.g. 用户 for core.user."""
        from ..audit import object_type_label

        return object_type_label(self.object_type)
