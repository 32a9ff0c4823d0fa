"""Demo 执法公示 (`smartjustice load_demo`): last year's annual enforcement data reports along the county → city chain.

* 广州市天河区: opened by th_stats (its figures computed from the enforcement demo's cases of 天河区), the manual
  figures entered, submitted and accepted by gz_data_reviewer — its figures are public on /disclosure/data/.
* 广州市越秀区: opened by yx_stats, submitted and returned by gz_data_reviewer with a reason (on yx_stats' to-do tile).
* 广州市: opened by gz_stats and left in draft with a manual figure missing, so its page shows the consistency check
  against the districts' filed reports and the districts that have not filed (also on /disclosure/reports/progress/).

What to create is data (data/demo.json); everything goes through disclosure/services.py as the demo accounts. The
year is the one being filed now (queries.default_year()). Loading is idempotent: a report is identified by its
jurisdiction and year, so a second run creates nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

from django.db import transaction

from smartjustice.core import context
from smartjustice.core.demo import Step
from smartjustice.core.models import User

from . import queries, services
from .choices import ReportStatus
from .models import AnnualReport

DATA_FILE = Path(__file__).parent / "data" / "demo.json"


@lru_cache(maxsize=1)
def spec() -> dict:
    """The demo reports (disclosure/data/demo.json)."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def load() -> Step:
    """Create whichever demo report is missing (needs the core demo's accounts; figures read the enforcement demo's
    cases, so this runs after it)."""
    step = Step("执法公示")
    entries = spec()["reports"]
    wanted = {entry["reporter"] for entry in entries} | {e["reviewer"] for e in entries if e.get("reviewer")}
    users = {
        u.username: u
        for u in User.objects.filter(username__in=wanted).select_related(
            "organisation__jurisdiction", "jurisdiction"
        )
    }
    year = queries.default_year()
    detail: Counter[str] = Counter()
    with (
        transaction.atomic(),
        context.acting(actor=None, channel="command", request_id=context.new_request_id()),
    ):
        for entry in entries:
            needed = {entry["reporter"], entry.get("reviewer") or entry["reporter"]}
            if not needed <= set(users):  # a partial demo without these accounts: nothing to act as
                continue
            report = _report(step, entry, users, year)
            detail[f"年度报告·{report.status_label}"] += 1
    step.detail = dict(detail)
    return step


def _report(step: Step, entry: dict, users: dict, year: int) -> AnnualReport:
    """One report, opened, filled in and carried to the entry's outcome."""
    reporter = users[entry["reporter"]]
    organisation = reporter.organisation
    existing = AnnualReport.objects.filter(jurisdiction_id=organisation.jurisdiction_id, year=year).first()
    if existing is not None:
        step.existing += 1
        return existing
    report = services.open_report(organisation=organisation, year=year, actor=reporter)
    step.created += 1
    for metric, (value, note) in entry.get("manual", {}).items():
        services.enter_figure(report, metric=metric, value=value, note=note, actor=reporter)
    outcome = entry["outcome"]
    if outcome == ReportStatus.DRAFT:
        return report
    services.submit_report(report, actor=reporter)
    reviewer = users[entry["reviewer"]]
    if outcome == ReportStatus.ACCEPTED:
        services.accept_report(report, actor=reviewer)
    elif outcome == ReportStatus.RETURNED:
        services.return_report(report, reason=entry["reason"], actor=reviewer)
    return report
