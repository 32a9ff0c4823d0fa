"""Pages of 社区矫正 — part: subjects (see /work/correction-plan.md)."""

urlpatterns: list = []
