"""Pages of 社区矫正 — part: reporting (see /work/correction-plan.md)."""

urlpatterns: list = []
