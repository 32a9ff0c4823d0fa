"""The command part: live counts and the alert feed (only newer alerts, only in scope), statistics that match the
rows, jurisdiction isolation down to the town (街道) account, the 脱管 workflow (第三十条) through the API and the
pages, and the alert service escalating into it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from smartjustice.core.choices import OrganisationKind
from smartjustice.core.models import Jurisdiction
from smartjustice.core.testing import (
    COUNTY_A,
    COUNTY_B,
    PROVINCE,
    ApiClient,
    Place,
    assert_api_error,
    assert_audited,
    organisation_in,
)
from smartjustice.correction import alerts, command, command_queries, statistics
from smartjustice.correction.choices import AlertKind, AlertStatus, CorrectionAuditEvent, CorrectionCategory
from smartjustice.correction.models import AbscondingIncident, IncidentStatus
from tests.correction import command_makers, makers

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return Place(COUNTY_A, organisation_in(COUNTY_A))


@pytest.fixture
def towns(county):
    """Two 街道 of 天河区, each with its 司法所."""
    codes = list(
        Jurisdiction.objects.filter(parent_id=COUNTY_A).order_by("code").values_list("code", flat=True)[:2]
    )
    return [Place(code, organisation_in(code, OrganisationKind.JUSTICE_STATION)) for code in codes]


@pytest.fixture
def peer():
    return Place(COUNTY_B, organisation_in(COUNTY_B))


def _in_town(county, town, **fields):
    return makers.subject(county, jurisdiction_id=town.code, station=town.organisation, **fields)


# --- statistics ---------------------------------------------------------------------------------------------------


def test_statistics_counts_match_the_rows(county, peer):
    today = timezone.localdate()
    made = [
        makers.subject(county, category=CorrectionCategory.PROBATION, level="strict", intake_on=today),
        makers.subject(county, category=CorrectionCategory.PROBATION, level="ordinary"),
        makers.subject(county, category=CorrectionCategory.PAROLE, level="ordinary", offence_type="drug"),
        makers.subject(county, category=CorrectionCategory.CONTROL, level="lenient", is_minor=True),
    ]
    makers.subject(county, status="released", released_on=today, category=CorrectionCategory.PAROLE)
    makers.subject(peer, category=CorrectionCategory.PAROLE)  # another county: not counted
    command_makers.alert(made[0], kind=AlertKind.MISSED_REPORT)
    command_makers.alert(made[1], status=AlertStatus.DISMISSED)
    data = statistics.overview(command_makers.officer(county))
    rows = {
        key: {r["code"]: r["value"] for r in data[key]} for key in ("by_category", "by_level", "by_status")
    }
    assert data["active"] == 4 and data["total"] == 5 and data["minors"] == 1
    assert rows["by_category"] == {"control": 1, "probation": 2, "parole": 1, "temporary_outside": 0}
    assert rows["by_level"] == {"strict": 1, "ordinary": 2, "lenient": 1}
    assert rows["by_status"]["released"] == 1 and rows["by_status"]["active"] == 4
    assert {r["code"]: r["value"] for r in data["by_offence"]}["drug"] == 1
    assert {r["code"]: r["value"] for r in data["by_alert_kind"]} == {
        **{k: 0 for k in AlertKind.values},
        "missed_report": 1,  # the dismissed one is not open
    }
    month = f"{today:%Y-%m}"
    trend = data["trend"]
    assert len(trend["months"]) == 12 and trend["months"][-1] == month
    assert trend["intake"][-1] == 1 and trend["released"][-1] == 1
    assert data["by_code"] == {COUNTY_A: 4}


def test_statistics_by_region_rolls_up_to_the_level_below_the_reader(county, towns):
    _in_town(county, towns[0])
    _in_town(county, towns[0])
    _in_town(county, towns[1])
    by_region = {
        r["code"]: r["value"] for r in statistics.overview(command_makers.officer(county))["by_region"]
    }
    assert by_region == {towns[0].code: 2, towns[1].code: 1}
    province = command_makers.officer(Place(PROVINCE, organisation_in(PROVINCE)))
    by_city = {r["code"]: r["value"] for r in statistics.overview(province)["by_region"]}
    assert by_city == {"440100000000": 3}


def test_a_town_account_counts_only_its_street(county, towns, peer):
    _in_town(county, towns[0])
    other = _in_town(county, towns[1])
    makers.subject(peer)
    command_makers.alert(other)
    town_officer = command_makers.officer(towns[0])
    assert statistics.overview(town_officer)["active"] == 1
    counts = ApiClient(town_officer).get("correction/command/counts").json()
    assert counts["subjects"] == 1 and counts["open_alerts"] == 0
    assert statistics.overview(command_makers.officer(county))["active"] == 2
    assert statistics.overview(command_makers.officer(peer))["active"] == 1


def test_statistics_api_and_page(client, county):
    makers.subject(county)
    officer = command_makers.officer(county)
    body = ApiClient(officer).get("correction/statistics").json()
    assert body["active"] == 1 and len(body["trend"]["months"]) == 12
    client.force_login(officer)
    page = client.get(reverse("correction:statistics"))
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        "data-region-map" in html and "trend-chart-data" in html and "vendor/echarts/echarts.min.js" in html
    )
    assert_api_error(ApiClient(None).get("correction/statistics"), 401, "not_authenticated")


# --- live counts and the feed ----------------------------------------------------------------------------------------


def test_the_feed_returns_only_newer_alerts_in_scope_oldest_first(county, towns, peer):
    mine = _in_town(county, towns[0])
    neighbour = _in_town(county, towns[1])
    old = command_makers.alert(mine, why="旧预警")
    new1 = command_makers.alert(mine, kind=AlertKind.MISSED_REPORT, why="未按时报告")
    elsewhere = command_makers.alert(neighbour, why="另一街道")
    outside = command_makers.alert(makers.subject(peer), why="越秀区")
    new2 = command_makers.alert(mine, kind=AlertKind.CURFEW, why="违反宵禁")

    town_feed = ApiClient(command_makers.officer(towns[0])).get("correction/command/feed", {"after": old.pk})
    assert town_feed.status_code == 200
    assert [a["id"] for a in town_feed.json()] == [new1.pk, new2.pk]
    assert town_feed.json()[0]["kind_label"] == "未按时报告"

    county_feed = ApiClient(command_makers.officer(county)).get("correction/command/feed", {"after": old.pk})
    assert [a["id"] for a in county_feed.json()] == [new1.pk, elsewhere.pk, new2.pk]
    assert outside.pk not in [a["id"] for a in county_feed.json()]
    latest = ApiClient(command_makers.officer(county)).get("correction/command/feed", {"after": new2.pk})
    assert latest.json() == []
    assert_api_error(ApiClient(None).get("correction/command/feed"), 401, "not_authenticated")


def test_live_counts_count_open_overdue_and_incidents(county):
    subject = makers.subject(county)
    command_makers.alert(subject, started_at=timezone.now() - timedelta(hours=5))  # handle_by +2h: overdue
    command_makers.alert(subject, kind=AlertKind.MISSED_REPORT)
    command_makers.alert(subject, kind=AlertKind.CURFEW, status=AlertStatus.CONFIRMED)
    command_makers.incident(county, subject=subject)
    body = ApiClient(command_makers.officer(county)).get("correction/command/counts").json()
    assert body["open_alerts"] == 2 and body["overdue_alerts"] == 1
    assert body["open_incidents"] == 1 and body["subjects"] == 1


def test_the_dashboard_shows_counts_feed_map_and_links_alerts(client, county):
    subject = makers.subject(county, name="指挥测试对象")
    alert = command_makers.alert(subject, why="离开天河区活动区域 1.2 公里")
    client.force_login(command_makers.officer(county))
    page = client.get(reverse("correction:command-dashboard"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "离开天河区活动区域 1.2 公里" in html and "指挥测试对象" in html
    assert f'data-last-id="{alert.pk}"' in html and 'data-feed-url="/api/v1/correction/command/feed"' in html
    assert "data-region-map" in html and "correction/command/command.js" in html
    handle = command_queries.alert_url(alert.pk)  # helper D's handling page, once installed
    assert handle == "" or handle in html


def test_the_dashboard_refuses_staff_without_correction_roles(client, county):
    from smartjustice.core.testing import make_staff

    client.force_login(make_staff(COUNTY_A, organisation=county.organisation))
    assert client.get(reverse("correction:command-dashboard")).status_code == 403


# --- 脱管 incidents ---------------------------------------------------------------------------------------------------


def test_the_absconding_workflow_through_the_api(county):
    subject = makers.subject(county)
    officer = command_makers.officer(county)
    api = ApiClient(officer)
    opened = api.post("correction/incidents", {"subject_id": subject.pk, "note": "电话关机，家属称两日未归"})
    assert opened.status_code == 201, opened.content
    body = opened.json()
    incident = AbscondingIncident.objects.get(pk=body["id"])
    assert body["status"] == IncidentStatus.SEARCHING
    assert "第三十条" in body["notes"][0]["text"]
    assert incident.escalate_by - incident.opened_at == timedelta(hours=24)
    assert_audited(CorrectionAuditEvent.INCIDENT_OPENED, obj=incident, actor=officer)

    steps = api.get(f"correction/incidents/{incident.pk}/transitions").json()
    assert [s["name"] for s in steps] == ["escalate", "report"]
    refused = api.post(f"correction/incidents/{incident.pk}/transitions/close", {"outcome": "found"})
    assert refused.status_code in (400, 409)
    api.post(f"correction/incidents/{incident.pk}/notes", {"text": "走访其工作单位，未见本人"})
    escalated = api.post(
        f"correction/incidents/{incident.pk}/transitions/escalate",
        {"police_unit": "天河区公安分局五山派出所"},
    )
    assert escalated.status_code == 200 and escalated.json()["status"] == IncidentStatus.ESCALATED
    reported = api.post(
        f"correction/incidents/{incident.pk}/transitions/report", {"report": "经公安协助，在清远市找到本人"}
    )
    assert reported.json()["status"] == IncidentStatus.REPORTED
    closed = api.post(
        f"correction/incidents/{incident.pk}/transitions/close", {"outcome": "found", "note": "已训诫"}
    )
    body = closed.json()
    assert body["status"] == IncidentStatus.CLOSED and body["outcome"] == "found" and body["found_at"]
    assert [h["transition"] for h in body["history"]] == ["escalate", "report", "close"]
    assert [n["kind"] for n in body["notes"]] == ["opened", "note", "escalated", "reported", "closed"]
    for event in (
        CorrectionAuditEvent.INCIDENT_NOTE_ADDED,
        CorrectionAuditEvent.INCIDENT_ESCALATED,
        CorrectionAuditEvent.INCIDENT_REPORTED,
        CorrectionAuditEvent.INCIDENT_CLOSED,
    ):
        assert_audited(event, obj=incident, actor=officer)
    # Closed: a new loss of contact opens a new search.
    again = api.post("correction/incidents", {"subject_id": subject.pk})
    assert again.status_code == 201 and again.json()["id"] != incident.pk


def test_a_second_report_reuses_the_open_search(county):
    subject = makers.subject(county)
    officer = command_makers.officer(county)
    first = command.open_incident(subject, actor=officer)
    second = command.open_incident(subject, actor=officer, note="再次电话无人接听")
    assert first.pk == second.pk
    assert AbscondingIncident.objects.filter(subject=subject).count() == 1
    assert "再次电话无人接听" in second.notes[-1]["text"]


def test_escalating_an_alert_opens_the_search(county):
    subject = makers.subject(county)
    alert = command_makers.alert(subject, kind=AlertKind.SIGNAL_LOST)
    officer = command_makers.officer(county)
    alerts.escalate_alert(alert, actor=officer, note="电话关机，家中无人")
    incident = AbscondingIncident.objects.get(subject=subject)
    assert incident.alert == alert and incident.status == IncidentStatus.SEARCHING


def test_incidents_are_isolated_by_jurisdiction(county, towns, peer):
    subject = _in_town(county, towns[1])
    incident = command_makers.incident(county, subject=subject)
    for outsider in (command_makers.officer(peer), command_makers.officer(towns[0])):
        api = ApiClient(outsider)
        assert api.get(f"correction/incidents/{incident.pk}").status_code == 404
        assert incident.pk not in [r["id"] for r in api.get("correction/incidents").json()["items"]]
        assert api.post("correction/incidents", {"subject_id": subject.pk}).status_code == 404
        refused = api.post(
            f"correction/incidents/{incident.pk}/transitions/escalate", {"police_unit": "某派出所"}
        )
        assert refused.status_code == 404
    assert (
        ApiClient(command_makers.officer(towns[1])).get(f"correction/incidents/{incident.pk}").status_code
        == 200
    )


def test_the_incident_pages_take_the_steps_and_notes(client, county):
    subject = makers.subject(county, name="脱管页面对象")
    officer = command_makers.officer(county)
    client.force_login(officer)
    opened = client.post(reverse("correction:incident-open", args=[subject.pk]), {"note": "三次电话无人接听"})
    incident = AbscondingIncident.objects.get(subject=subject)
    assert opened.status_code == 302 and opened["Location"] == reverse(
        "correction:incident-detail", args=[incident.pk]
    )
    page = client.get(opened["Location"]).content.decode()
    assert "脱管页面对象" in page and "提请公安机关协助查找并上报" in page and "三次电话无人接听" in page
    client.post(reverse("correction:incident-note", args=[incident.pk]), {"text": "联系其父亲", "found": ""})
    client.post(
        reverse("correction:incident-act", args=[incident.pk, "escalate"]), {"police_unit": "天河区公安分局"}
    )
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.ESCALATED and incident.police_unit == "天河区公安分局"
    assert client.get(reverse("correction:incident-list")).content.decode().count(incident.number) >= 1


# --- risk pages ---------------------------------------------------------------------------------------------------


def test_the_risk_page_lists_each_factor_and_reassesses(client, county, peer):
    subject = makers.subject(county, name="风险页面对象", employment="unemployed")
    command_makers.alert(subject, kind=AlertKind.MISSED_REPORT, status=AlertStatus.CONFIRMED)
    officer = command_makers.officer(county)
    client.force_login(officer)
    url = reverse("correction:risk-detail", args=[subject.pk])
    page = client.get(url).content.decode()
    assert "当前试算" in page and "未按时报告" in page and "就业就学" in page and "无业" in page
    assert "第三条" in page
    response = client.post(reverse("correction:risk-assess", args=[subject.pk]))
    assert response.status_code == 302
    score = subject.risk_scores.get()
    page = client.get(url).content.decode()
    assert f"<strong>{score.score:g}</strong>" in page
    listing = client.get(reverse("correction:risk-list")).content.decode()
    assert "风险页面对象" in listing
    client.force_login(command_makers.officer(peer))
    assert client.get(url).status_code == 404
    assert client.post(reverse("correction:risk-assess", args=[subject.pk])).status_code == 404
    assert "风险页面对象" not in client.get(reverse("correction:risk-list")).content.decode()


def test_the_risk_api_reassesses_and_shows_the_contributions(county):
    subject = makers.subject(county)
    command_makers.alert(subject, kind=AlertKind.MISSED_REPORT, status=AlertStatus.CONFIRMED)
    officer = command_makers.officer(county)
    created = ApiClient(officer).post("correction/risk-scores", {"subject_id": subject.pk})
    assert created.status_code == 201, created.content
    body = created.json()
    assert sum(f["points"] for f in body["factors"]) == body["score"]
    assert {f["code"]: f["points"] for f in body["factors"]}["missed_reports"] == 5
    assert_audited(CorrectionAuditEvent.RISK_ASSESSED, obj=subject, actor=officer)


def test_the_workbench_tile_lists_open_searches_and_the_nav_links_the_pages(client, county):
    incident = command_makers.incident(county, number="TG-TILE-0001")
    command_makers.incident(county, status="closed", number="TG-TILE-0002")
    client.force_login(command_makers.officer(county))
    html = client.get(reverse("workbench")).content.decode()
    assert "在办脱管查找" in html and reverse("correction:incident-detail", args=[incident.pk]) in html
    assert "TG-TILE-0002" not in html
    for name in ("command-dashboard", "statistics", "risk-list", "incident-list"):
        assert reverse(f"correction:{name}") in html


def test_an_officer_escalates_an_alert_from_the_dashboard_into_a_search(client, county):
    subject = makers.subject(county)
    alert = command_makers.alert(subject, kind=AlertKind.SIGNAL_LOST, why="定位信号中断 26 小时")
    client.force_login(command_makers.officer(county))
    html = client.get(reverse("correction:command-dashboard")).content.decode()
    escalate = reverse("correction:alert-act", args=[alert.pk, "escalate"])
    assert "快速处置" in html and f'formaction="{escalate}"' in html and "无法联系，转脱管处置" in html
    client.post(escalate, {"note": "电话关机，家中无人"})
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ESCALATED
    assert AbscondingIncident.objects.get(subject=subject).alert == alert
    # A handled alert offers no more steps.
    html = client.get(reverse("correction:command-dashboard")).content.decode()
    assert f'formaction="{escalate}"' not in html
