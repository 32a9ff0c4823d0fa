"""Pages of 社区矫正 — part: command (see /work/correction-plan.md)."""

urlpatterns: list = []
