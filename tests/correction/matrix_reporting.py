"""Access-matrix subjects of 社区矫正 — part: reporting (check-ins, officers' records, the supervision timeline).

Every record lies in 天河区 with the own organisation as the executing agency: correction staff of 天河区 and above
read them; a town's 司法所 staff read only subjects of their own 街道 (not these: they are executed by the county);
the subject reads their own check-ins through their 粤矫通 account (world.citizen_owner)."""

from smartjustice.correction import reporting
from tests.correction import makers, reporting_makers
from tests.harness.registry import subject


def _reporting_subject(world):
    return makers.subject(world.own, name="MXREPORTSUBJECT", number="MXREPORT-0001")


def _check_in(world):
    reporting_makers.hub_catalogue()
    person = world.get("correction.reporting_subject")
    officer = world.staff(world.own, "correction_officer")
    return reporting.check_in(person, actor=officer, channel="in_person", report="MXCHECKIN 当面报告本周情况")


def _visit(world):
    reporting_makers.hub_catalogue()
    person = world.get("correction.reporting_subject")
    officer = world.staff(world.own, "correction_officer")
    return reporting.record_supervision(
        person, actor=officer, kind="talk", summary="MXVISIT 个别谈话，了解就业情况", place="司法所"
    )


subject(
    "correction.reporting_subject",
    make=_reporting_subject,
    routes=(
        "/api/v1*correction/supervision-timeline/{subject_id}*",
        "/correction/supervision/<int:subject_pk>/*",
    ),
    params=lambda s: {"subject_id": s.pk, "subject_pk": s.pk},
    marker=lambda s: s.number,
    order=150,
)
subject(
    "correction.check_in",
    make=_check_in,
    routes=("/api/v1*correction/check-ins/{check_in_id}*", "/correction/check-ins/<int:pk>/*"),
    params=lambda c: {"check_in_id": c.pk, "pk": c.pk},
    marker=lambda c: c.report,
    order=160,
)
subject(
    "correction.supervision_record",
    make=_visit,
    routes=("/api/v1*correction/visits/{record_id}*", "/correction/visits/<int:pk>/*"),
    params=lambda r: {"record_id": r.pk, "pk": r.pk},
    marker=lambda r: r.summary,
    order=160,
)
