"""The audit trail: append-only rows, enforced by the model and by database triggers."""

from django.db import models

from ..choices import AuditEvent
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

    event = models.PositiveSmallIntegerField("事件", choices=AuditEvent.choices, db_index=True)
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
        return f"{self.get_event_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailIsAppendOnly()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly()
