"""The FAQ knowledge base: citations verified on save, loading is idempotent, votes and reads counted once each."""

import pytest

from smartjustice.core.errors import Conflict, PermissionDenied, ValidationFailed
from smartjustice.core.testing import (
    ApiClient,
    assert_api_error,
    assert_audited,
    assert_jurisdiction_isolation,
    assert_list_queries_constant,
    items_of,
    make_staff,
)
from smartjustice.qa import queries, services
from smartjustice.qa.choices import FaqStatus, QaAuditEvent
from smartjustice.qa.models import FaqEntry, FaqFeedback
from smartjustice.statutes.models import ArticleReference

from .conftest import LAWS

pytestmark = pytest.mark.django_db
PROVINCE = "440000000000"
TIANHE = "440106000000"

WAGES = {
    "scenario": "labour",
    "question": "工资被拖了两个月，可以找谁？",
    "answer": "用人单位应当按照劳动合同约定和国家规定，向劳动者及时足额支付劳动报酬。拖欠的，可以向劳动行政部门投诉。",
    "lawyer_opinion": "保留工资条、考勤记录等证据。",
    "citations": [{"law": "劳动合同法", "article": 30}],
    "services": ["labor_arbitration", "legal_aid"],
    "keywords": ["拖欠工资", "欠薪"],
}


@pytest.fixture
def author(statute_library):
    return make_staff(PROVINCE, "legal_aid_officer")


def published(author, **changes):
    entry = services.create_entry(actor=author, **{**WAGES, **changes})
    return services.publish_entry(entry, actor=author)


def test_a_citation_is_stored_in_the_librarys_full_title_and_registered(author):
    entry = services.create_entry(actor=author, **WAGES)
    assert entry.citations == [{"law": "中华人民共和国劳动合同法", "article": 30}]
    assert entry.status == FaqStatus.DRAFT and entry.jurisdiction == PROVINCE
    ref = ArticleReference.objects.get(cited_by="qa.faqentry", object_id=str(entry.pk))
    assert ref.article is not None and ref.article.label == "第三十条"
    assert_audited(QaAuditEvent.FAQ_CREATED, obj=entry, actor=author, count=1)


@pytest.mark.parametrize(
    "citation",
    [
        {"law": "中华人民共和国劳动合同法", "article": 999},  # no such article
        {"law": "中华人民共和国不存在法", "article": 1},  # no such law
        {"law": "中华人民共和国合同法", "article": 52},  # repealed (replaced by the Civil Code)
    ],
)
def test_unknown_or_repealed_citations_are_refused_with_chinese_field_errors(author, citation):
    with pytest.raises(ValidationFailed) as caught:
        services.create_entry(actor=author, **{**WAGES, "citations": [citation]})
    assert caught.value.fields["citations"][0].startswith("《")


def test_publishing_needs_a_citation(author):
    entry = services.create_entry(actor=author, **{**WAGES, "citations": []})
    with pytest.raises(ValidationFailed) as caught:
        services.publish_entry(entry, actor=author)
    assert "citations" in caught.value.fields


def test_only_authors_write_entries(statute_library):
    with pytest.raises(PermissionDenied):
        services.create_entry(actor=make_staff(PROVINCE, "mediator"), **WAGES)


def test_a_county_author_cannot_edit_the_provinces_entries(author):
    entry = published(author)
    county = make_staff(TIANHE, "legal_aid_officer")
    response = ApiClient(county).patch(f"/qa/faq/{entry.pk}", {"question": "改一下"})
    assert_api_error(response, 404, "not_found")


def test_the_starter_set_loads_idempotently(statute_library):
    rows = [
        row
        for row in services.read_faq_files()
        if all(c["law"] in LAWS for c in row["citations"]) and row["scenario"] == "劳动就业"
    ]
    assert rows
    first = services.load_faq(rows)
    assert first["created"] == len(rows) and not first["rejected"]
    again = services.load_faq(rows)
    assert again["created"] == 0 and again["unchanged"] == len(rows)
    assert FaqEntry.objects.filter(status=FaqStatus.PUBLISHED, scenario="labour").count() == len(rows)


def test_entries_citing_laws_outside_the_library_are_not_loaded(statute_library):
    row = {
        **WAGES,
        "id": "faq-9999",
        "scenario": "劳动就业",
        # Not in the statute library whatever other tests imported into this worker's database.
        "citations": [{"law": "中华人民共和国示例虚构法", "article": 1}],
    }
    counts = services.load_faq([row])
    assert counts["created"] == 0 and "faq-9999" in counts["rejected"]


def test_feedback_counts_once_per_session_and_once_per_user(author):
    entry = published(author)
    services.record_feedback(entry, helpful=True, session_key="s1")
    services.record_feedback(entry, helpful=False, session_key="s2")
    with pytest.raises(Conflict):
        services.record_feedback(entry, helpful=True, session_key="s1")
    citizen = make_staff(TIANHE)
    services.record_feedback(entry, helpful=True, user=citizen, session_key="s1")
    with pytest.raises(Conflict):
        services.record_feedback(entry, helpful=False, user=citizen, session_key="s9")
    entry.refresh_from_db()
    assert (entry.helpful_count, entry.unhelpful_count) == (2, 1)
    assert FaqFeedback.objects.filter(entry=entry).count() == 3


def test_reads_are_counted_without_audit_noise(author):
    entry = published(author)
    for _ in range(3):
        services.record_read(entry)
    entry.refresh_from_db()
    assert entry.read_count == 3


def test_the_public_api_lists_reads_and_takes_feedback(author):
    entry = published(author)
    draft = services.create_entry(actor=author, **{**WAGES, "question": "草稿问题"})
    client = ApiClient()
    rows = items_of(client.get("/qa/faq", {"scenario": "labour"}))
    assert [r["id"] for r in rows] == [entry.pk]
    assert rows[0]["citations"][0]["label"] == "《中华人民共和国劳动合同法》第三十条"
    assert rows[0]["citations"][0]["url"].startswith("/laws/")
    assert items_of(client.get("/qa/faq", {"q": "欠薪"}))[0]["id"] == entry.pk
    assert client.get(f"/qa/faq/{entry.pk}").json()["read_count"] == 1
    assert_api_error(client.get(f"/qa/faq/{draft.pk}"), 404, "not_found")
    first = client.post(f"/qa/faq/{entry.pk}/feedback", {"helpful": True})
    assert first.status_code == 201 and first.json()["helpful_count"] == 1
    assert_api_error(client.post(f"/qa/faq/{entry.pk}/feedback", {"helpful": True}), 409, "conflict")
    assert_api_error(
        client.post(f"/qa/faq/{entry.pk}/feedback", {"helpful": "也许"}),
        422,
        "validation_failed",
        fields=["helpful"],
    )


def test_staff_author_through_the_api(author):
    client = ApiClient(author)
    created = client.post(
        "/qa/faq", {**WAGES, "citations": [{"law": "中华人民共和国劳动合同法", "article": 30}]}
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    bad = client.patch(f"/qa/faq/{pk}", {"citations": [{"law": "中华人民共和国劳动合同法", "article": 500}]})
    assert_api_error(bad, 422, "validation_failed", fields=["citations"])
    assert client.post(f"/qa/faq/{pk}/transitions/publish", {}).json()["status"] == "published"
    assert_api_error(ApiClient().post("/qa/faq", WAGES), 401, "not_authenticated")
    mediator = ApiClient(make_staff(PROVINCE, "mediator"))
    assert_api_error(mediator.post("/qa/faq", WAGES), 403, "permission_denied")


def test_faq_pages(author, client):
    entry = published(author)
    listing = client.get("/qa/faq/", {"scenario": "labour"}).content.decode()
    assert entry.question in listing
    detail = client.get(f"/qa/faq/{entry.pk}/").content.decode()
    assert "《中华人民共和国劳动合同法》第三十条" in detail and "有帮助" in detail
    client.post(f"/qa/faq/{entry.pk}/feedback/", {"helpful": "1"})
    client.post(f"/qa/faq/{entry.pk}/feedback/", {"helpful": "1"})
    entry.refresh_from_db()
    assert entry.helpful_count == 1 and entry.read_count == 1
    assert queries.published_entries(q="欠薪").first() == entry


def test_staff_authoring_pages(author, client):
    client.force_login(author)
    response = client.post(
        "/qa/faq/manage/new/",
        {
            "scenario": "labour",
            "question": "加班费怎么算？",
            "answer": "用人单位安排加班的，应当支付加班费。",
            "citations": "劳动合同法 第九十九条",
            "keywords": "加班，加班费",
        },
    )
    assert "不能引用" in response.content.decode() or "没有" in response.content.decode()
    response = client.post(
        "/qa/faq/manage/new/",
        {
            "scenario": "labour",
            "question": "加班费怎么算？",
            "answer": "用人单位安排加班的，应当支付加班费。",
            "citations": "《中华人民共和国劳动合同法》第三十一条",
            "keywords": "加班，加班费",
        },
    )
    entry = FaqEntry.objects.get(question="加班费怎么算？")
    assert response.status_code == 302 and entry.keywords == ["加班", "加班费"]
    client.post(f"/qa/faq/manage/{entry.pk}/act/publish/")
    entry.refresh_from_db()
    assert entry.status == FaqStatus.PUBLISHED
    assert entry.question in client.get("/qa/faq/manage/").content.decode()
    client.force_login(make_staff(PROVINCE, "mediator"))
    assert client.get("/qa/faq/manage/").status_code == 403


def draft_in(code: str) -> FaqEntry:
    """A draft written by an author of the 司法局 in `code`: it belongs to that jurisdiction."""
    return services.create_entry(actor=make_staff(code, "legal_aid_officer"), **WAGES)


def test_drafts_are_visible_only_inside_the_authors_jurisdiction(statute_library):
    assert_jurisdiction_isolation(
        make_record=draft_in,
        list_url="/qa/faq/manage",
        detail_url=lambda entry: f"/qa/faq/{entry.pk}/edit",
        roles=["legal_aid_officer"],
    )


def test_the_public_faq_list_runs_a_constant_number_of_queries(author):
    count = assert_list_queries_constant(
        ApiClient(None),
        "/qa/faq",
        # Each entry cites a different article, so resolving the links one by one would show as N queries.
        make_rows=lambda n: [
            published(
                author,
                question=f"第{i}个关于劳动合同的问题？",
                citations=[{"law": "劳动合同法", "article": 30 + i}],
            )
            for i in range(n)
        ],
        budget=6,
    )
    assert count <= 6
