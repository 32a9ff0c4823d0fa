"""API of 社区矫正 — part: assessments (see /work/correction-plan.md)."""

from ninja import Router

router = Router()
