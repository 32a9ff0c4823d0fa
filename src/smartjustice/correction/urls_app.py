"""Pages of 社区矫正 — part: app (see /work/correction-plan.md)."""

urlpatterns: list = []
