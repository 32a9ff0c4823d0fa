"""The power list beyond 行政处罚: item codes generated in the catalogue's style, implementing levels, items of every
type (sanctions and benchmarks only for 行政处罚), and the proposal page where staff review the extractor's
proposals for a law, correct them and accept them as drafts."""

import pytest
from django.core.management import call_command
from django.db import transaction

from smartjustice.core.errors import ValidationFailed
from smartjustice.core.testing import COUNTY_A, ApiClient, assert_api_error, make_staff, organisation_in
from smartjustice.enforcement import power_list, queries
from smartjustice.enforcement.choices import DiscretionGrade, ItemType
from smartjustice.enforcement.models import EnforcementItem

CONSUMER_LAW = "中华人民共和国消费者权益保护法"
LICENSING_LAW = "中华人民共和国行政许可法"


@pytest.fixture(scope="module")
def library(django_db_setup, django_db_blocker):
    """《消费者权益保护法》 and 《行政许可法》 imported from the corpus, rolled back after this module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("laws", "import", "--laws", CONSUMER_LAW, LICENSING_LAW, verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def agency(db):
    return organisation_in(COUNTY_A)


@pytest.fixture
def editor(agency):
    return make_staff(COUNTY_A, "legal_reviewer", organisation=agency, real_name="清单维护员")


def _create(editor, **fields):
    values = {
        "name": "对经营者侵害消费者权益行为的行政处罚",
        "item_type": "penalty",
        "domain": "market_regulation",
    }
    values.update(fields)
    return power_list.create_item(actor=editor, **values)


# --- codes -------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_blank_code_is_generated_as_type_division_domain_sequence(library, editor):
    first = _create(editor)
    second = _create(editor, name="第二个处罚事项")
    licence = _create(editor, name="食品经营许可", item_type="licensing")
    assert first.code == "CF-440106-SC-0001"
    assert second.code == "CF-440106-SC-0002"
    assert licence.code == "XK-440106-SC-0001"
    other = _create(editor, name="无领域的行政检查", item_type="inspection", domain="")
    assert other.code == "JC-440106-00-0001"


@pytest.mark.django_db
def test_the_sequence_continues_after_the_highest_number_and_a_typed_code_is_kept(library, editor):
    _create(editor, code="CF-440106-SC-0041")
    assert _create(editor, name="下一个").code == "CF-440106-SC-0042"
    typed = _create(editor, name="自定义编码", code="TH-XZCF-0001")
    assert typed.code == "TH-XZCF-0001"


@pytest.mark.django_db
def test_a_code_in_use_or_with_odd_characters_is_refused_in_chinese(library, editor):
    _create(editor, code="CF-440106-SC-0001")
    with pytest.raises(ValidationFailed, match="已被使用"):
        _create(editor, name="重复编码", code="CF-440106-SC-0001")
    with pytest.raises(ValidationFailed, match="字母、数字和连字符"):
        _create(editor, name="坏编码", code="处罚/001")
    assert EnforcementItem.objects.count() == 1


# --- levels ------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_levels_are_validated_and_kept_in_order_province_to_town(library, editor):
    item = _create(editor, levels=["town", "county", "county"])
    assert item.levels == ["county", "town"]
    assert item.level_labels == ["县级", "乡镇（街道）"]
    with pytest.raises(ValidationFailed, match="行使层级无效"):
        _create(editor, name="坏层级", levels=["village"])


@pytest.mark.django_db
def test_the_lists_filter_by_level_and_show_it(library, editor, client):
    county = _create(editor, levels=["county"])
    city = _create(editor, name="市级事项", levels=["city"])
    api = ApiClient(editor)
    rows = api.get("enforcement/items/manage", {"level": "city"}).json()["items"]
    assert [row["id"] for row in rows] == [city.pk]
    assert rows[0]["level_labels"] == ["市级"]
    client.force_login(editor)
    page = client.get("/enforcement/items/manage/", {"level": "county"}).content.decode()
    assert county.code in page and city.code not in page and "县级" in page


# --- item types --------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("item_type", [t for t in ItemType.values if t != "penalty"])
def test_items_of_every_type_rest_on_their_basis_alone(library, editor, item_type):
    item = _create(
        editor,
        name=f"{ItemType(item_type).label}事项",
        item_type=item_type,
        bases=[{"law": LICENSING_LAW, "article": 12}],
    )
    assert item.item_type == item_type and item.code.startswith(power_list.TYPE_PREFIXES[item_type] + "-")
    assert item.basis_status == "valid" and not item.sanctions.exists()


@pytest.mark.django_db
def test_sanctions_are_refused_on_an_item_that_is_not_a_penalty(library, editor):
    with pytest.raises(ValidationFailed, match="只有行政处罚事项可以设定处罚种类与幅度，本事项为行政许可"):
        _create(editor, item_type="licensing", sanctions=[{"kind": "罚款", "lower": 1000, "upper": 5000}])
    assert not EnforcementItem.objects.exists()


@pytest.mark.django_db
def test_benchmarks_are_refused_on_an_item_that_is_not_a_penalty(library, editor):
    item = _create(editor, item_type="inspection")
    with pytest.raises(ValidationFailed, match="裁量基准只适用于行政处罚事项"):
        power_list.save_benchmark(item, actor=editor, circumstance="首次", grade=DiscretionGrade.LIGHTER)
    assert not item.benchmarks.exists()


@pytest.mark.django_db
def test_a_penalty_with_sanctions_changes_type_only_once_they_are_cleared(library, editor):
    item = _create(editor, sanctions=[{"kind": "罚款", "lower": 1000, "upper": 5000}])
    with pytest.raises(ValidationFailed, match="请先清空处罚种类与幅度"):
        power_list.update_item(item, actor=editor, item_type="licensing")
    item.refresh_from_db()
    assert item.item_type == "penalty"
    power_list.update_item(item, actor=editor, item_type="licensing", sanctions=[])
    assert item.item_type == "licensing" and not item.sanctions.exists()


@pytest.mark.django_db
def test_the_api_creates_a_licensing_item_without_a_code_and_refuses_sanctions_on_it(library, editor):
    api = ApiClient(editor)
    body = {
        "name": "药品经营许可",
        "item_type": "licensing",
        "domain": "market_regulation",
        "levels": ["city"],
    }
    created = api.post("enforcement/items", body)
    assert created.status_code == 201
    assert created.json()["code"] == "XK-440106-SC-0001" and created.json()["item_type_label"] == "行政许可"
    refused = api.post("enforcement/items", {**body, "sanctions": [{"kind": "罚款", "upper": 100}]})
    assert_api_error(refused, 422, "validation_failed", fields=["sanctions"])
    assert "只有行政处罚事项" in refused.json()["message"]


@pytest.mark.django_db
def test_the_edit_page_accepts_a_blank_code_and_hides_benchmarks_for_other_types(library, editor, client):
    client.force_login(editor)
    response = client.post(
        "/enforcement/items/manage/new/",
        {"code": "", "name": "建设工程消防验收", "item_type": "confirmation", "levels": ["county"]},
    )
    assert response.status_code == 302
    item = EnforcementItem.objects.get(name="建设工程消防验收")
    assert item.code == "QR-440106-00-0001" and item.levels == ["county"]
    page = client.get(f"/enforcement/items/manage/{item.pk}/").content.decode()
    assert "新增裁量基准" not in page and "处罚种类与幅度</h2>" not in page


# --- proposals ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_previews_proposals_with_sanctions_and_stores_nothing(library, editor):
    rows = ApiClient(editor).get("enforcement/items/proposals", {"law": "消费者权益保护法"}).json()
    sources = {row["source"]: row for row in rows}
    row = sources[f"《{CONSUMER_LAW}》第五十六条"]
    assert row["article"] == 56 and any(s["kind"] == "罚款" for s in row["sanctions"])
    assert row["existing_id"] is None and row["descriptions"]
    assert not EnforcementItem.objects.exists()


@pytest.mark.django_db
def test_accepted_proposals_become_drafts_with_the_corrections(library, editor):
    result = power_list.propose_items(
        law="消费者权益保护法",
        actor=editor,
        domain="market_regulation",
        articles=[56],
        corrections={56: [{"kind": "罚款", "lower": 1000, "upper": 500000}]},
    )
    (item,) = result["created"]
    assert item.source == f"《{CONSUMER_LAW}》第五十六条" and item.status == "draft"
    assert item.code == "CF-440106-SC-0001" and item.levels == ["county"]
    assert [(s.kind, s.lower, s.upper) for s in item.sanctions.all()] == [("罚款", 1000, 500000)]
    again = ApiClient(editor).get("enforcement/items/proposals", {"law": "消费者权益保护法"}).json()
    assert {r["source"]: r["existing_id"] for r in again}[item.source] == item.pk


@pytest.mark.django_db
def test_the_api_accepts_chosen_articles_only(library, editor):
    response = ApiClient(editor).post(
        "enforcement/items/propose", {"law": "消费者权益保护法", "articles": [56, 57]}
    )
    assert response.status_code == 201
    assert {row["bases"][0]["article"] for row in response.json()["created"]} <= {56, 57}
    assert EnforcementItem.objects.count() == len(response.json()["created"]) >= 1


@pytest.mark.django_db
def test_the_proposal_page_lists_proposals_and_accepts_a_corrected_one(library, editor, client):
    client.force_login(editor)
    page = client.get("/enforcement/items/manage/propose/", {"law": "消费者权益保护法"})
    html = page.content.decode()
    assert page.status_code == 200 and f"《{CONSUMER_LAW}》第五十六条" in html and "罚款" in html
    from smartjustice.statutes.models import Article

    article = Article.objects.get(law__title=CONSUMER_LAW, number=56, sub_number__in=(0, None))
    source = f"《{CONSUMER_LAW}》第五十六条"
    response = client.post(
        "/enforcement/items/manage/propose/",
        {
            "law": "消费者权益保护法",
            "articles": [source],
            f"sanctions-{article.pk}": "罚款|2000|500000\n警告、通报批评",
        },
    )
    assert response.status_code == 302 and "status=draft" in response["Location"]
    item = EnforcementItem.objects.get(source=source)
    assert [(s.kind, s.lower, s.upper) for s in item.sanctions.all()] == [
        ("罚款", 2000, 500000),
        ("警告、通报批评", None, None),
    ]
    again = client.get("/enforcement/items/manage/propose/", {"law": "消费者权益保护法"}).content.decode()
    assert "已生成" in again


@pytest.mark.django_db
def test_the_proposal_page_refuses_bad_corrections_and_stores_nothing(library, editor, client):
    client.force_login(editor)
    rows = queries.proposals_for("消费者权益保护法")
    row = rows[0]
    bad = client.post(
        "/enforcement/items/manage/propose/",
        {"law": "消费者权益保护法", "articles": [row["source"]], f"sanctions-{row['id']}": "罚金|1|2"},
    )
    assert bad.status_code == 200 and "处罚种类无效" in bad.content.decode()
    none = client.post("/enforcement/items/manage/propose/", {"law": "消费者权益保护法"})
    assert "请至少选择一条要采纳的建议" in none.content.decode()
    assert not EnforcementItem.objects.exists()


@pytest.mark.django_db
def test_the_proposal_page_needs_the_right_to_draft_items(library, client, agency):
    client.force_login(make_staff(COUNTY_A, "enforcement_officer", organisation=agency))
    assert client.get("/enforcement/items/manage/propose/", {"law": "消费者权益保护法"}).status_code == 403
