"""Pages of 社区矫正 — part: location (see /work/correction-plan.md)."""

urlpatterns: list = []
