"""Access-matrix subjects of 社区矫正 — part: app (粤矫通 at /correction/app/ and /api/v1/correction/app/).

The app's records belong to one subject whose 粤矫通 account is the world's own citizen (world.citizen_owner): only
that account opens them (staff accounts are refused the app: 403; another citizen gets 404). The kiosk pages take
no parameters: the matrix calls them as everyone without a record."""

from smartjustice.correction import reporting
from smartjustice.correction.models import CorrectionSubject
from tests.correction import conduct_makers, education_makers, makers, reporting_makers
from tests.harness.registry import subject


def _app_subject(world):
    """The world's citizen as a subject under correction in 天河区 (reused if another part linked it already)."""
    linked = CorrectionSubject.objects.filter(account=world.citizen_owner).first()
    if linked is not None:
        return linked
    # The marker is the 禁止令 text shown on the officers' detail page, not the name: the name is in the record's
    # label, which the audit trail shows to the jurisdiction's auditors by design (see the issue 12 closing note).
    person = makers.subject(world.own, number="MXAPP-0001", prohibitions="MXAPPSUBJECT 禁止进入娱乐场所")
    CorrectionSubject.objects.filter(pk=person.pk).update(account=world.citizen_owner)
    person.refresh_from_db()
    return person


def _check_in(world):
    reporting_makers.hub_catalogue()
    officer = world.staff(world.own, "correction_officer")
    person = world.get("correction.app_subject")
    return reporting.check_in(
        person, actor=officer, channel="in_person", report="MXAPPCHECKIN 当面报告本周情况"
    )


subject(
    "correction.app_subject",
    make=_app_subject,
    routes=(),
    params=lambda s: {},
    marker=lambda s: s.prohibitions.split()[0],
    order=150,
)
subject(
    "correction.app_check_in",
    make=_check_in,
    routes=("/correction/app/check-ins/<int:pk>/*", "/api/v1*correction/app/check-ins/{check_in_id}*"),
    params=lambda c: {"pk": c.pk, "check_in_id": c.pk},
    marker=lambda c: c.report,
    order=160,
)
subject(
    "correction.app_request",
    make=lambda w: conduct_makers.approval(
        w.own, subject=w.get("correction.app_subject"), reason="MXAPPREQUEST 探望住院的母亲"
    ),
    routes=("/correction/app/requests/<int:pk>/*", "/api/v1*correction/app/requests/{request_id}*"),
    params=lambda r: {"pk": r.pk, "request_id": r.pk},
    marker=lambda r: r.reason,
    order=160,
)
subject(
    "correction.app_learning",
    make=lambda w: education_makers.assignment(w.own, subject=w.get("correction.app_subject")),
    routes=("/correction/app/learning/<int:pk>/*",),
    params=lambda a: {"pk": a.pk},
    order=160,
)
