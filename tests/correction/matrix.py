"""Access-matrix subjects of 社区矫正 (the harness imports tests/<app>/matrix.py): each part registers its own."""

from tests.correction import (  # noqa: F401
    matrix_app,  # 粤矫通, kiosk (helper H)
    matrix_approvals,  # approvals (helper E)
    matrix_assessments,  # assessments, sanctions (helper E)
    matrix_command,  # dashboard, statistics, risk, incidents (helper G)
    matrix_education,  # education, identity checks (helper F)
    matrix_location,  # GPS, alerts, fences, electronic monitoring (helper D)
    matrix_reporting,  # check-ins, visits, receipts (helper B)
    matrix_subjects,  # subjects, transfers, archives (helper A)
)
