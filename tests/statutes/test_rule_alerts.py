"""Rules whose cited article was amended or repealed are flagged for administrators, who acknowledge them; the
article page shows which rules of the platform cite it.

The library here is the statutes test library (conftest): 行政处罚法 in force, 刑法 in a version 已被修改, 环境保护法
已废止, 民法典 in force (cited by core's own period rules).
"""

import pytest
from django.test import Client

from smartjustice.core import rules
from smartjustice.core.citations import Citation
from smartjustice.core.scheduler import discover
from smartjustice.core.testing import assert_audited
from smartjustice.statutes import services, tasks
from smartjustice.statutes.choices import CitationStatus, LawStatus, StatutesAuditEvent
from smartjustice.statutes.models import CitedArticleAlert, Law
from tests.core.factories import PROVINCE, TIANHE, staff_in

from .conftest import CRIMINAL_LAW, XZCF

pytestmark = pytest.mark.django_db

CRIMINAL_LAW_TITLE = "中华人民共和国刑法"
XZCF_TITLE = "中华人民共和国行政处罚法"


@pytest.fixture
def scratch():
    """A registry holding only the rules a test defines (the real one is restored after)."""
    with rules.scratch_registry():
        yield


def define(code: str, law: str, article: int, **kwargs) -> rules.Rule:
    return rules.Rule(code, f"规则 {code}", Citation(law, article), module="govinfo", **kwargs)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_job_is_registered_with_the_worker():
    assert discover()["statutes.cited_articles"].func is tasks.check_cited_articles


def test_a_rule_citing_an_amended_or_repealed_article_is_flagged_once(scratch):
    define("in_force", XZCF_TITLE, 36)
    define("amended", CRIMINAL_LAW_TITLE, 76)
    define("repealed", "中华人民共和国环境保护法", 6)
    define("unverified", "某规范性文件", 5, exemption="不在法律法规库中，原文未能核实")
    result = tasks.check_cited_articles(worker_id="test")
    assert result == {"checked": 3, "flagged": 2, "resolved": 0}
    alerts = {a.rule_key: a for a in CitedArticleAlert.objects.all()}
    assert set(alerts) == {
        "govinfo.amended",
        "govinfo.repealed",
    }  # silent for 现行有效 and for the unverified
    assert alerts["govinfo.amended"].status == CitationStatus.AMENDED
    assert alerts["govinfo.amended"].law_status == LawStatus.AMENDED
    assert alerts["govinfo.amended"].article.number == 76
    assert alerts["govinfo.repealed"].status == CitationStatus.NOT_IN_FORCE
    assert alerts["govinfo.repealed"].law_status == LawStatus.REPEALED
    assert_audited(StatutesAuditEvent.CITED_ARTICLES_FLAGGED, count=1)
    # The next run finds nothing new and writes nothing.
    assert tasks.check_cited_articles(worker_id="test") == {"checked": 3, "flagged": 0, "resolved": 0}
    assert CitedArticleAlert.objects.count() == 2
    assert_audited(StatutesAuditEvent.CITED_ARTICLES_FLAGGED, count=1)


def test_a_law_marked_amended_on_reimport_flags_its_rules_and_in_force_again_clears_them(scratch):
    define("limitation", XZCF_TITLE, 36)
    assert services.flag_cited_articles().flagged == []
    law = Law.objects.get(code=XZCF)
    Law.objects.filter(pk=law.pk).update(status=LawStatus.AMENDED)  # what a re-import of a newer corpus does
    (alert,) = services.flag_cited_articles().flagged
    assert (alert.rule_key, alert.citation_text, alert.law_code) == (
        "govinfo.limitation",
        "《中华人民共和国行政处罚法》第三十六条",
        XZCF,
    )
    assert "已被修改" in alert.message
    Law.objects.filter(pk=law.pk).update(status=LawStatus.IN_FORCE)
    assert services.flag_cited_articles().resolved == 1
    alert.refresh_from_db()
    assert alert.resolved_at is not None and not alert.is_open


def test_a_rule_citing_an_article_a_law_no_longer_has_is_flagged(scratch):
    define("missing", XZCF_TITLE, 999)
    define("not_in_library", "中华人民共和国某某法", 1)  # the citation test's business, not an alert
    (alert,) = services.flag_cited_articles().flagged
    assert alert.rule_key == "govinfo.missing" and alert.status == CitationStatus.NOT_FOUND


@pytest.fixture
def flagged(scratch):
    define("amended", CRIMINAL_LAW_TITLE, 76)
    (alert,) = services.flag_cited_articles().flagged
    return alert


def test_province_administrators_see_the_alerts(flagged):
    admin = staff_in(PROVINCE, "system_admin")
    response = signed_in(admin).get("/laws/rules/alerts/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "govinfo.amended" in html and "《中华人民共和国刑法》第七十六条" in html and "已被修改" in html
    assert "确认已处理" in html


def test_others_may_not_open_the_alerts_page(flagged):
    assert Client().get("/laws/rules/alerts/").status_code == 302  # to sign-in
    for user in (staff_in(TIANHE, "system_admin"), staff_in(PROVINCE, "auditor")):
        response = signed_in(user).get("/laws/rules/alerts/")
        assert response.status_code == 403 and "govinfo.amended" not in response.content.decode()
        response = signed_in(user).post(f"/laws/rules/alerts/{flagged.pk}/acknowledge/", {"note": "x"})
        assert response.status_code == 403
    flagged.refresh_from_db()
    assert flagged.acknowledged_at is None


def test_acknowledging_an_alert_is_audited_and_takes_it_off_the_open_list(flagged):
    admin = staff_in(PROVINCE, "system_admin")
    client = signed_in(admin)
    response = client.post(
        f"/laws/rules/alerts/{flagged.pk}/acknowledge/", {"note": "已核对修正后的条文，规则无需调整"}
    )
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.acknowledged_by == admin and flagged.note == "已核对修正后的条文，规则无需调整"
    entry = assert_audited(
        StatutesAuditEvent.CITED_ARTICLE_ALERT_ACKNOWLEDGED, obj=flagged, actor=admin, count=1
    )
    assert "acknowledged_at" in entry.changed_fields
    assert 'data-alert="govinfo.amended"' not in client.get("/laws/rules/alerts/").content.decode()
    everything = client.get("/laws/rules/alerts/", {"show": "all"}).content.decode()
    assert 'data-alert="govinfo.amended"' in everything and "已核对修正后的条文" in everything
    # Twice is refused with a message, not a second entry.
    client.post(f"/laws/rules/alerts/{flagged.pk}/acknowledge/", {"note": "again"})
    assert_audited(StatutesAuditEvent.CITED_ARTICLE_ALERT_ACKNOWLEDGED, obj=flagged, count=1)


def test_the_article_page_shows_the_rules_citing_it_and_their_module():
    html = Client().get("/laws/" + _civil_code() + "/articles/201/").content.decode()
    assert 'data-testid="citing-rules"' in html
    assert "按照年、月、日计算期间的，开始的当日不计入" in html and "平台基础" in html
    with rules.scratch_registry():
        define("limitation", XZCF_TITLE, 36)
        html = Client().get(f"/laws/{XZCF}/articles/36/").content.decode()
        assert "规则 limitation" in html and "政府信息公开" in html
        assert "规则 limitation" not in Client().get(f"/laws/{XZCF}/articles/37/").content.decode()


def test_the_rules_registry_page_links_each_rule_to_its_article():
    html = Client().get("/laws/rules/").content.decode()
    civil_code = _civil_code()
    assert f'href="/laws/{civil_code}/articles/202/"' in html and "月末日为期间的最后一日" in html
    assert (
        "未核验" in html and "国发〔2016〕51号" in html
    )  # the hub's conditional-sharing basis is listed as such


def _civil_code() -> str:
    return Law.objects.get(title="中华人民共和国民法典", status=LawStatus.IN_FORCE).code


def test_the_demo_leaves_one_alert_a_demo_rule_on_a_really_amended_article():
    from smartjustice.statutes import demo

    step = demo.load()
    assert step.created == 1
    (alert,) = CitedArticleAlert.objects.filter(resolved_at__isnull=True)
    assert alert.rule_key == "statutes.demo_probation_correction" and alert.rule_summary.startswith(
        "（演示）"
    )
    assert alert.status == CitationStatus.AMENDED and alert.law_code == CRIMINAL_LAW
    assert rules.get("statutes", "demo_probation_correction") is None  # not a rule of the platform
    assert demo.load().created == 0  # idempotent


def test_the_province_administrators_workbench_counts_open_alerts(flagged):
    html = signed_in(staff_in(PROVINCE, "system_admin")).get("/workbench/").content.decode()
    assert "法条变更提醒" in html and "《中华人民共和国刑法》第七十六条" in html
    city = signed_in(staff_in(TIANHE, "system_admin")).get("/workbench/").content.decode()
    assert "《中华人民共和国刑法》第七十六条" not in city
