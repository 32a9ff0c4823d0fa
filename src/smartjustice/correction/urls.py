"""Pages of 社区矫正 at /correction/: each part keeps its own URLconf (urls_<part>.py), all under one namespace."""

from . import (
    urls_app,
    urls_approvals,
    urls_assessments,
    urls_command,
    urls_education,
    urls_location,
    urls_reporting,
    urls_subjects,
)

app_name = "correction"
urlpatterns = [
    *urls_subjects.urlpatterns,  # subjects/, transfers/, archives (helper A)
    *urls_reporting.urlpatterns,  # check-ins, visits, receipts (helper B)
    *urls_location.urlpatterns,  # alerts/, tracks, fences, electronic monitoring (helper D)
    *urls_assessments.urlpatterns,  # assessments/, sanctions/ (helper E)
    *urls_approvals.urlpatterns,  # approvals/ (helper E)
    *urls_education.urlpatterns,  # education/, identity checks (helper F)
    *urls_command.urlpatterns,  # command/, statistics/, risk/, incidents/ (helper G)
    *urls_app.urlpatterns,  # app/ (粤矫通 subject app), kiosk/ (helper H)
]
