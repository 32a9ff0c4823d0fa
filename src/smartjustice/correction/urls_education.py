"""Pages of 社区矫正 — part: education (see /work/correction-plan.md)."""

urlpatterns: list = []
