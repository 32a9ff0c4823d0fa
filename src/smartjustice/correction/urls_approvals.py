"""Pages of 社区矫正 — part: approvals (see /work/correction-plan.md)."""

urlpatterns: list = []
