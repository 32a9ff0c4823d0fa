"""The in-app inbox: one row per message to one user; SMS/WeChat copies leave after commit (core.notifications)."""

from django.conf import settings
from django.db import models


class NotificationQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        from .. import access

        return access.restrict(self, user, action)


class Notification(models.Model):
    """A message to one user: what happened, and a link to the record."""

    jurisdiction_field = None
    owner_field = "recipient"
    owner_actions = ("view", "change")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    category = models.CharField("类别", max_length=32, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "通知"
        verbose_name_plural = "通知"
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
