"""Pages of 社区矫正 — part: assessments (see /work/correction-plan.md)."""

urlpatterns: list = []
