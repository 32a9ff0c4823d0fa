"""API of 社区矫正 — part: reporting (see /work/correction-plan.md)."""

from ninja import Router

router = Router()
