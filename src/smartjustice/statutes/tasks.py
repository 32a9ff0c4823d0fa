"""Background work of the statute library, run by `smartjustice worker`."""

from __future__ import annotations

from smartjustice.core.scheduler import periodic

# Laws change by re-import (`laws import`), at most a few times a day; checking the rules twice a day is plenty.
EVERY = 12 * 3600


@periodic(every=EVERY, name="statutes.cited_articles")
def check_cited_articles(*, worker_id: str) -> dict:
    """Flag rules whose cited article was amended, repealed or removed (see services.flag_cited_articles)."""
    from . import services

    report = services.flag_cited_articles()
    return {"checked": report.checked, "flagged": len(report.flagged), "resolved": report.resolved}
