"""API of 社区矫正 at /api/v1/correction/: each part keeps its own router (api_<part>.py), mounted here."""

from ninja import Router

from . import (
    api_app,
    api_approvals,
    api_assessments,
    api_command,
    api_education,
    api_location,
    api_reporting,
    api_subjects,
)

router = Router(tags=["社区矫正"])
router.add_router("", api_subjects.router)  # /subjects, /transfers, /archives (helper A)
router.add_router("", api_reporting.router)  # /check-ins, /visits, /receipts (helper B)
router.add_router("", api_location.router)  # /gps/batches, /alerts, /fences, /monitoring (helper D)
router.add_router("", api_assessments.router)  # /assessments, /sanctions (helper E)
router.add_router("", api_approvals.router)  # /approvals (helper E)
router.add_router("", api_education.router)  # /education, /identity-checks (helper F)
router.add_router("", api_command.router)  # /command, /statistics, /risk, /incidents (helper G)
router.add_router("/app", api_app.router)  # /app/… the subject's own (helper H)
