"""The power list (权责清单): items resting on articles of the statute library, proposals from its penalty
provisions, the review, and discretion benchmarks (裁量基准) kept inside the statutory range."""

import pytest
from django.core.management import call_command
from django.db import transaction

from smartjustice.core.errors import TransitionNotAllowed, ValidationFailed
from smartjustice.core.testing import (
    COUNTY_A,
    COUNTY_B,
    ApiClient,
    Place,
    assert_api_error,
    make_staff,
    organisation_in,
)
from smartjustice.enforcement import power_list
from smartjustice.enforcement.choices import (
    BasisStatus,
    DiscretionGrade,
    EnforcementAuditEvent,
    ExemptionList,
)
from smartjustice.enforcement.models import EnforcementItem
from smartjustice.statutes.choices import LawStatus
from smartjustice.statutes.models import Law

PENALTY_LAW = "中华人民共和国行政处罚法"
CONSUMER_LAW = "中华人民共和国消费者权益保护法"


@pytest.fixture(scope="module")
def library(django_db_setup, django_db_blocker):
    """《行政处罚法》 and 《消费者权益保护法》 imported from the corpus, rolled back after this module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("laws", "import", "--laws", PENALTY_LAW, CONSUMER_LAW, verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def place(db):
    return Place(COUNTY_A, organisation_in(COUNTY_A))


@pytest.fixture
def editor(place):
    return make_staff(COUNTY_A, "legal_reviewer", organisation=place.organisation)


@pytest.fixture
def reviewer(place):
    return make_staff(COUNTY_A, "enforcement_supervisor", organisation=place.organisation)


def _item(editor, **fields):
    values = {
        "code": "TH-XZCF-0001",
        "name": "对经营者侵害消费者权益行为的行政处罚",
        "item_type": "penalty",
        "bases": [{"law": CONSUMER_LAW, "article": 56}],
        "sanctions": [
            {"kind": "罚款", "lower": None, "upper": 500000},
            {"kind": "罚款", "multiple_of": "违法所得", "multiple_lower": 1, "multiple_upper": 10},
        ],
    }
    values.update(fields)
    return power_list.create_item(actor=editor, **values)


@pytest.mark.django_db
def test_basis_resolves_in_the_statute_library_and_links_to_the_article(library, editor):
    item = _item(editor)
    basis = item.bases.get()
    assert item.basis_status == BasisStatus.VALID and not item.basis_flagged
    assert basis.url.startswith("/laws/")
    assert str(basis) == "《中华人民共和国消费者权益保护法》第五十六条"


@pytest.mark.django_db
def test_a_basis_in_an_amended_version_is_flagged_on_the_item(library, editor):
    item = _item(editor)
    Law.objects.filter(title=CONSUMER_LAW).update(
        status=LawStatus.AMENDED
    )  # the library imported an amendment
    power_list.check_bases(item, actor=editor)
    item.refresh_from_db()
    assert item.basis_status == BasisStatus.AMENDED and item.basis_flagged
    assert "已被修改" in item.bases.get().message
    body = ApiClient(editor).get(f"enforcement/items/{item.pk}/edit").json()
    assert body["basis_flagged"] is True and body["bases"][0]["flagged"] is True


@pytest.mark.django_db
def test_an_article_the_library_does_not_hold_is_flagged_and_cannot_be_published(library, editor, reviewer):
    item = _item(editor, bases=[{"law": CONSUMER_LAW, "article": 999}])
    assert item.basis_status == BasisStatus.NOT_FOUND
    power_list.submit_item(item, actor=editor)
    with pytest.raises(TransitionNotAllowed, match="未找到或已失效"):
        power_list.publish_item(item, actor=reviewer)


@pytest.mark.django_db
def test_reviewer_publishes_and_the_public_reads_the_item(library, editor, reviewer):
    item = _item(editor)
    anonymous = ApiClient(None)
    assert anonymous.get(f"enforcement/items/{item.pk}").status_code == 404  # a draft is not public
    with pytest.raises(TransitionNotAllowed):
        power_list.publish_item(item, actor=editor)  # the author is not the reviewer
    power_list.submit_item(item, actor=editor)
    power_list.publish_item(item, actor=reviewer)
    item.refresh_from_db()
    assert item.status == "published" and item.published_at
    assert anonymous.get(f"enforcement/items/{item.pk}").json()["code"] == "TH-XZCF-0001"
    listed = anonymous.get("enforcement/items", {"q": "侵害消费者"}).json()["items"]
    assert [row["id"] for row in listed] == [item.pk]


@pytest.mark.django_db
def test_public_pages_show_the_basis_link_and_the_flag(client, library, editor, reviewer):
    item = _item(editor)
    power_list.submit_item(item, actor=editor)
    power_list.publish_item(item, actor=reviewer)
    Law.objects.filter(title=CONSUMER_LAW).update(status=LawStatus.AMENDED)
    power_list.check_bases(item)
    html = client.get(f"/enforcement/items/{item.pk}/").content.decode()
    assert item.bases.get().url in html and "依据需核对" in html
    assert "TH-XZCF-0001" in client.get("/enforcement/items/").content.decode()


@pytest.mark.django_db
def test_published_item_is_not_edited_in_place(library, editor, reviewer):
    item = _item(editor)
    power_list.submit_item(item, actor=editor)
    power_list.publish_item(item, actor=reviewer)
    response = ApiClient(editor).patch(f"enforcement/items/{item.pk}", {"name": "改名"})
    assert_api_error(response, 409, "conflict")


@pytest.mark.django_db
def test_benchmark_fine_outside_the_statutory_range_is_refused_naming_the_article(library, editor):
    item = _item(editor, sanctions=[{"kind": "罚款", "lower": 5000, "upper": 50000}])
    with pytest.raises(ValidationFailed) as refused:
        power_list.save_benchmark(
            item,
            actor=editor,
            circumstance="情节严重",
            grade=DiscretionGrade.HEAVIER,
            fine_lower=30000,
            fine_upper=80000,
        )
    assert "《中华人民共和国消费者权益保护法》第五十六条" in refused.value.message
    assert "5000元至50000元" in refused.value.message
    assert not item.benchmarks.exists()
    response = ApiClient(editor).post(
        f"enforcement/items/{item.pk}/benchmarks",
        {"circumstance": "情节较轻", "grade": "lighter", "fine_lower": 1000, "fine_upper": 6000},
    )
    assert_api_error(response, 422, "validation_failed", fields=["fine_upper"])


@pytest.mark.django_db
def test_benchmark_inside_the_range_is_kept_and_audited(library, editor):
    from smartjustice.core.testing import assert_audited

    item = _item(editor, sanctions=[{"kind": "罚款", "lower": 5000, "upper": 50000}])
    benchmark = power_list.save_benchmark(
        item,
        actor=editor,
        circumstance="情节一般",
        grade=DiscretionGrade.ORDINARY,
        fine_lower=10000,
        fine_upper=30000,
    )
    assert benchmark.pk and benchmark.get_grade_display() == "一般"
    assert_audited(EnforcementAuditEvent.BENCHMARK_SAVED, obj=item, actor=editor)


@pytest.mark.django_db
def test_first_violation_list_is_for_circumstances_not_punished(library, editor):
    """《行政处罚法》第三十三条第一款: 初次违法且危害后果轻微并及时改正的，可以不予行政处罚."""
    item = _item(editor, sanctions=[{"kind": "罚款", "lower": 5000, "upper": 50000}])
    with pytest.raises(ValidationFailed, match="第三十三条"):
        power_list.save_benchmark(
            item,
            actor=editor,
            circumstance="初次违法",
            grade=DiscretionGrade.LIGHTER,
            fine_lower=5000,
            fine_upper=8000,
            exemption_list=ExemptionList.FIRST_VIOLATION,
        )
    with pytest.raises(ValidationFailed, match="不予处罚的情节不能设定罚款"):
        power_list.save_benchmark(
            item,
            actor=editor,
            circumstance="初次违法",
            grade=DiscretionGrade.NO_PENALTY,
            fine_lower=5000,
        )
    kept = power_list.save_benchmark(
        item,
        actor=editor,
        circumstance="初次违法且危害后果轻微并及时改正",
        grade=DiscretionGrade.NO_PENALTY,
        exemption_list=ExemptionList.FIRST_VIOLATION,
    )
    assert kept.get_exemption_list_display() == "首违不罚清单"


@pytest.mark.django_db
def test_proposals_from_a_real_law_are_idempotent(library, editor):
    first = power_list.propose_items(law="消费者权益保护法", actor=editor)
    assert first["created"], "《消费者权益保护法》 has penalty provisions"
    items = EnforcementItem.objects.filter(source__startswith=f"《{CONSUMER_LAW}》")
    assert items.count() == len(first["created"])
    for item in items:
        assert item.status == "draft" and item.item_type == "penalty"
        assert item.sanctions.exists() and item.bases.count() == 1
        assert item.basis_status == BasisStatus.VALID
    fine_56 = items.get(source=f"《{CONSUMER_LAW}》第五十六条").sanctions.filter(kind="罚款")
    assert fine_56.exists()
    again = power_list.propose_items(law="消费者权益保护法", actor=editor)
    assert again["created"] == [] and again["existing"] == len(first["created"])
    assert items.count() == len(first["created"])


@pytest.mark.django_db
def test_staff_of_another_county_cannot_change_an_item(library, editor):
    item = _item(editor)
    other = make_staff(COUNTY_B, "legal_reviewer", organisation=organisation_in(COUNTY_B))
    assert ApiClient(other).patch(f"enforcement/items/{item.pk}", {"name": "越权修改"}).status_code == 404
    assert ApiClient(other).get(f"enforcement/items/{item.pk}/edit").status_code == 404


@pytest.mark.django_db
def test_edit_page_corrects_an_item_and_refuses_a_benchmark_outside_the_range(client, library, editor):
    item = _item(editor, sanctions=[{"kind": "罚款", "lower": 5000, "upper": 50000}])
    client.force_login(editor)
    page = client.get(f"/enforcement/items/manage/{item.pk}/").content.decode()
    assert "提交审核" in page and "罚款|5000|50000" in page
    response = client.post(
        f"/enforcement/items/manage/{item.pk}/",
        {
            "code": item.code,
            "name": "对经营者侵害消费者权益行为的行政处罚（更正）",
            "item_type": "penalty",
            "bases": "中华人民共和国消费者权益保护法 第五十六条",
            "sanctions": "罚款|5000|500000",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.name.endswith("（更正）") and item.sanctions.get().upper == 500000
    refused = client.post(
        f"/enforcement/items/manage/{item.pk}/benchmarks/",
        {"circumstance": "情节严重", "grade": "heavier", "fine_lower": "100000", "fine_upper": "900000"},
    )
    assert refused.status_code == 200 and "超出法定幅度" in refused.content.decode()
    assert not item.benchmarks.exists()


@pytest.mark.django_db
def test_patch_replaces_basis_and_sanctions_and_refuses_bad_input_in_chinese(library, editor):
    item = _item(editor)
    api = ApiClient(editor)
    body = api.patch(
        f"enforcement/items/{item.pk}",
        {
            "bases": [{"law": PENALTY_LAW, "article": 33, "paragraph": 1}],
            "sanctions": [{"kind": "警告、通报批评"}],
        },
    ).json()
    assert [b["label"] for b in body["bases"]] == ["《中华人民共和国行政处罚法》第三十三条第一款"]
    assert body["sanctions"][0]["kind"] == "警告、通报批评" and body["basis_status"] == "valid"
    assert_api_error(
        api.patch(f"enforcement/items/{item.pk}", {"item_type": "nonsense"}), 422, "validation_failed"
    )
    assert_api_error(
        api.patch(f"enforcement/items/{item.pk}", {"sanctions": [{"kind": "罚款", "lower": 9, "upper": 1}]}),
        422,
        "validation_failed",
    )
    item.refresh_from_db()
    assert item.sanctions.get().kind == "警告、通报批评"


@pytest.mark.django_db
def test_proposals_through_the_api_and_the_flagged_filter(library, editor):
    api = ApiClient(editor)
    first = api.post("enforcement/items/propose", {"law": "消费者权益保护法"})
    assert first.status_code == 201 and first.json()["created"]
    again = api.post("enforcement/items/propose", {"law": "消费者权益保护法"}).json()
    assert again["created"] == [] and again["existing"] == len(first.json()["created"])
    _item(editor, code="TH-BAD-0001", bases=[{"law": CONSUMER_LAW, "article": 999}])
    flagged = api.get("enforcement/items/manage", {"flagged": "true"}).json()["items"]
    assert [row["code"] for row in flagged] == ["TH-BAD-0001"]
