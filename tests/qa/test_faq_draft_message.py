"""Saving a new FAQ draft says what comes next: a county or city author submits it for review, a province reviewer
publishes it (the message once told every author to publish, which only a province reviewer may)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from smartjustice.core.testing import make_staff

pytestmark = pytest.mark.django_db

FORM = {
    "scenario": "legal_aid",
    "question": "申请法律援助需要准备哪些材料？",
    "answer": "申请人应当如实说明经济困难状况，提交身份证明和与所申请法律援助事项有关的材料。",
    "lawyer_opinion": "",
    "citations": "",
    "services": ["legal_aid"],
    "keywords": "法律援助 材料",
}


def saved_message(client, user) -> str:
    client.force_login(user)
    response = client.post(reverse("qa:manage-create"), FORM)
    assert response.status_code == 302, response.content.decode()[:500]
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_a_county_author_is_told_to_submit_for_review(client, statute_library):
    message = saved_message(client, make_staff("440106000000", "legal_aid_officer"))
    assert "提交审核" in message and "请发布" not in message


def test_a_province_reviewer_is_told_to_publish(client, statute_library):
    message = saved_message(client, make_staff("440000000000", "legal_aid_officer"))
    assert "请发布" in message
