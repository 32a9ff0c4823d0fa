"""Access-matrix subjects of 执法公示 (the harness imports tests/<app>/matrix.py)."""

from smartjustice.core import access
from smartjustice.disclosure.choices import ReportStatus
from smartjustice.disclosure.models import WORKFLOW
from tests.disclosure import makers
from tests.harness.registry import subject


def _may_change_or_review(user, report) -> bool:
    """The filing office changes a report; the level above reviews it (accept/return)."""
    if user is None:
        return False
    return access.can(user, "change", report) or any(
        WORKFLOW.allowed(report, step, user) for step in ("accept", "return_report")
    )


subject(
    "disclosure.report",
    make=lambda w: makers.any_report(w.own, status=ReportStatus.SUBMITTED),
    routes=("/api/v1/disclosure/reports/{report_id}*", "/disclosure/reports/<int:pk>/*"),
    params=lambda r: {"report_id": r.pk, "pk": r.pk, "metric": "cases_filed", "name": "accept"},
    writable=_may_change_or_review,
)


def _person_decision(world):
    agency = makers.agency_in(world.own.code)
    return makers.case(
        world.own.code, party=makers.person(agency, name="马小跳", id_number="440106199202021238")
    )


# A natural person's published decision: the name may reach only those who may view the case itself (default
# visibility, core.access); it has no routes of its own — the public decision pages below open the same case.
subject(
    "disclosure.person_decision",
    make=_person_decision,
    routes=(),
    params=lambda c: {},
    marker=lambda c: "马小跳",
    order=90,
)
# A published decision is public (《行政处罚法》第四十八条): anyone opens it, nobody changes it through these routes.
subject(
    "disclosure.decision",
    make=lambda w: w.get("disclosure.person_decision"),
    routes=("/api/v1/disclosure/decisions/{decision_id}", "/disclosure/decisions/<int:pk>/"),
    params=lambda c: {"decision_id": c.pk, "pk": c.pk},
    visible=lambda user, c: True,
    writable=lambda user, c: False,
)
subject(
    "disclosure.year",
    make=lambda w: makers.YEAR,
    routes=("/api/v1/disclosure/data/{year}", "/disclosure/data/<int:year>.*"),
    params=lambda year: {"year": year},
    visible=lambda user, year: True,
    writable=lambda user, year: False,
)
