"""API of 社区矫正 — part: education (see /work/correction-plan.md)."""

from ninja import Router

router = Router()
