"""Workflow history: one append-only row per state change of any case, application or approval."""

from django.conf import settings
from django.db import models

from ..errors import Conflict
from .base import AuditedModelMixin, RestrictedQuerySet


class HistoryIsAppendOnly(Conflict):
    code = "history_append_only"
    default_message = "流转记录只能追加，不能修改或删除"


class TransitionRecordQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        from .. import access

        return access.restrict(self, user, action)

    def update(self, **kwargs):
        raise HistoryIsAppendOnly()

    def delete(self):
        raise HistoryIsAppendOnly()


class TransitionRecord(models.Model):
    """One transition of one record: from which state to which, by whom, when, with the handler's comment."""

    jurisdiction_field = "jurisdiction_code"
    owner_field = None
    owner_actions = ()

    # A generic link (app_label.model_name + primary key): the history outlives nothing it describes.
    object_type = models.CharField("对象类型", max_length=100)
    object_id = models.CharField("对象ID", max_length=64)
    transition = models.CharField("操作", max_length=64)
    transition_label = models.CharField("操作名称", max_length=64, blank=True)
    from_state = models.CharField("原状态", max_length=32)
    to_state = models.CharField("新状态", max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField("办理人姓名", max_length=100, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)
    comment = models.TextField("意见", blank=True)
    jurisdiction_code = models.CharField("所属区划", max_length=12, blank=True, db_index=True)

    objects = TransitionRecordQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "流转记录"
        verbose_name_plural = "流转记录"
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.transition_label or self.transition}：{self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise HistoryIsAppendOnly()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise HistoryIsAppendOnly()


class ClockedModel(models.Model):
    """Mixin for a record whose workflow states carry statutory clocks (core.clocks): the running clock, stored
    on the row so lists sort and filter by due date in SQL."""

    clock_code = models.CharField("计时期限", max_length=64, blank=True)
    clock_started_on = models.DateField("期限起算日", null=True, blank=True)
    clock_due_on = models.DateField("期限届满日", null=True, blank=True, db_index=True)
    clock_paused_on = models.DateField("期限暂停日", null=True, blank=True)
    clock_paused_days = models.PositiveIntegerField("已扣除的暂停天数", default=0)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding and not self.clock_code:
            from .. import clocks

            clocks.start_initial(self)
        super().save(*args, **kwargs)

    @property
    def clock(self):
        """The running clock as pages show it (core.clocks.ClockView), or None."""
        from .. import clocks

        return clocks.view(self)


class AssignmentQuerySet(RestrictedQuerySet):
    """Restricted like every audited record; bulk updates go row by row through the audited save."""

    def active(self):
        return self.filter(ended_at__isnull=True)

    def of(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class Assignment(AuditedModelMixin):
    """Who is assigned to a record and as what (承办人, 审核人 …); ended, never deleted, when unassigned.

    Audited by its own save (an entry when assigned, one when ended), like every domain record."""

    jurisdiction_field = "jurisdiction_code"
    organisation_field = None
    owner_field = None
    owner_actions = ()
    audit_exclude = ()

    object_type = models.CharField("对象类型", max_length=100)
    object_id = models.CharField("对象ID", max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField("承担角色", max_length=32)
    jurisdiction_code = models.CharField("所属区划", max_length=12, blank=True, db_index=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="指派人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField("指派时间", auto_now_add=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="解除人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_at = models.DateTimeField("解除时间", null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["assigned_at", "id"]
        verbose_name = "办理人员指派"
        verbose_name_plural = "办理人员指派"
        indexes = [models.Index(fields=["object_type", "object_id", "role"])]
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "user", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_assignment_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id} {self.role}: {self.user_id}"
