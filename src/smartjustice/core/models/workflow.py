"""Workflow history: one append-only row per state change of any case, application or approval."""

from django.conf import settings
from django.db import models

from ..errors import Conflict


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
