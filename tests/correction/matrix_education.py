"""Access-matrix subjects of 社区矫正 — part: education and identity checks (helper F)."""

from tests.correction import education_makers, makers
from tests.harness.registry import subject

subject(
    "correction.learning_task",
    make=lambda w: education_makers.task(w.own, title="MXLEARNTASK 法治教育"),
    routes=("/api/v1/correction/education/tasks/{task_id}*", "/correction/education/tasks/<int:pk>/*"),
    params=lambda o: {"task_id": o.pk, "pk": o.pk},
    marker=lambda o: o.title,
)
subject(
    "correction.learning_assignment",
    make=lambda w: education_makers.assignment(w.own, note="MXASSIGNMENT"),
    routes=("/api/v1/correction/education/assignments/{assignment_id}*",),
    params=lambda o: {"assignment_id": o.pk},
    marker=lambda o: o.note,
)
subject(
    "correction.learning_session",
    make=lambda w: education_makers.session(w.own),
    routes=("/api/v1/correction/education/sessions/{session_id}*",),
    params=lambda o: {"session_id": o.pk},
)
subject(
    "correction.education_subject",
    make=lambda w: makers.subject(w.own, name="MXLEARNER"),
    routes=(
        "/api/v1/correction/education/subjects/{subject_id}*",
        "/correction/education/subjects/<int:pk>/*",
    ),
    params=lambda o: {"subject_id": o.pk, "pk": o.pk},
)
subject(
    "correction.identity_check",
    make=lambda w: education_makers.identity_check(w.own),
    routes=("/api/v1/correction/identity-checks/{check_id}*", "/correction/identity-checks/<int:pk>/*"),
    params=lambda o: {"check_id": o.pk, "pk": o.pk},
)
