"""法宝宝 answers plain questions with the right articles, FAQ entries and next steps (hand-written questions)."""

import pytest

from smartjustice.core.errors import ValidationFailed
from smartjustice.core.testing import ApiClient, assert_api_error
from smartjustice.qa import services

pytestmark = pytest.mark.django_db


def labels(answer, law):
    return {a.article_label for a in answer.articles if a.law == law}


def test_unpaid_wages_point_to_the_labour_contract_law_on_paying_wages(statute_library):
    answer = services.answer("老板拖欠工资好几个月不发，我该怎么办？")
    assert {"第三十条", "第八十五条"} & labels(answer, "中华人民共和国劳动合同法")
    wage = next(a for a in answer.articles if a.law == "中华人民共和国劳动合同法")
    assert wage.url.startswith("/laws/")
    assert "劳动报酬" in wage.matched or "工资" in wage.matched
    assert answer.disclaimer == "本回答由系统自动生成，仅供参考，不构成法律意见"


def test_dividing_property_on_divorce_points_to_the_civil_codes_marriage_articles(statute_library):
    answer = services.answer("离婚的时候夫妻共同财产怎么分割？")
    civil = labels(answer, "中华人民共和国民法典")
    assert {"第一千零八十七条", "第一千零九十二条", "第一千零六十二条"} & civil


def test_fake_goods_point_to_consumer_protection(statute_library):
    answer = services.answer("网上买到假货，商家不肯退款")
    assert labels(answer, "中华人民共和国消费者权益保护法")


def test_every_answer_offers_the_fixed_next_steps_as_data(statute_library):
    answer = services.answer("没有钱请律师可以申请法律援助吗")
    codes = [s.code for s in answer.next_steps]
    assert {"legal_aid", "mediation", "lawyer_consult", "hotline_12348"} <= set(codes)
    hotline = next(s for s in answer.next_steps if s.code == "hotline_12348")
    assert hotline.label == "12348公共法律服务热线" and hotline.url == "tel:12348"


def test_nonsense_finds_no_article_but_still_offers_help(statute_library):
    answer = services.answer("qwertyuiop")
    assert answer.articles == []
    assert answer.next_steps


@pytest.mark.parametrize("question", ["", "   ", "问" * 501])
def test_empty_or_too_long_questions_are_refused_in_chinese(question):
    with pytest.raises(ValidationFailed) as caught:
        services.clean_question(question)
    assert "question" in caught.value.fields


def test_the_api_answers_anonymously(statute_library):
    response = ApiClient().post("/qa/ask", {"question": "单位不给签劳动合同怎么办"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["articles"] and body["disclaimer"].startswith("本回答由系统自动生成")
    first = body["articles"][0]
    assert set(first) >= {"law", "article_number", "article_label", "text", "matched", "url"}
    assert {s["code"] for s in body["next_steps"]} >= {"legal_aid", "mediation"}


def test_the_api_refuses_bad_questions_with_field_errors():
    client = ApiClient()
    assert_api_error(client.post("/qa/ask", {"question": ""}), 422, "validation_failed", fields=["question"])
    too_long = client.post("/qa/ask", {"question": "劳" * 501})
    assert "500" in assert_api_error(too_long, 422, "validation_failed", fields=["question"])["message"]
    assert_api_error(client.post("/qa/ask", {}), 422, "validation_failed", fields=["question"])


def test_the_chat_page_works_without_javascript(statute_library, client):
    response = client.post("/qa/", {"question": "公司拖欠工资怎么办"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "劳动合同法" in html and "不构成法律意见" in html and 'name="question"' in html


def test_the_chat_page_returns_a_fragment_to_htmx(statute_library, client):
    response = client.post("/qa/", {"question": "公司拖欠工资怎么办"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'data-testid="qa-answer"' in html
    error = client.post("/qa/", {"question": ""}, headers={"HX-Request": "true"}).content.decode()
    assert "请输入您的问题" in error
