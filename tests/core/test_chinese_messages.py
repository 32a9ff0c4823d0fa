"""What a person reads when input is wrong is Chinese: malformed JSON, long search words, NUL bytes."""

import pytest
from django.test import Client

from smartjustice.core.testing import API_ROOT, ApiClient, assert_api_error

pytestmark = pytest.mark.django_db


def test_a_malformed_json_body_is_a_chinese_400():
    response = Client().post(f"{API_ROOT}/auth/token", "{not json", content_type="application/json")
    body = assert_api_error(response, 400, "malformed_body")
    assert "JSON" in body["message"]
    assert "Cannot parse" not in response.content.decode()


def test_a_nul_character_in_a_json_body_or_query_is_refused_in_chinese_naming_the_field():
    response = Client().post(
        f"{API_ROOT}/auth/token",
        '{"username": "a\\u0000b", "password": "x"}',
        content_type="application/json",
    )
    body = assert_api_error(response, 422, "validation_failed", fields=["username"])
    assert "空字符" in body["message"]
    listed = ApiClient(None).get("statutes/laws", {"q": "民法\x00典"})
    assert_api_error(listed, 422, "validation_failed", fields=["q"])


def test_a_nul_character_in_a_form_gets_a_clear_chinese_message():
    page = Client().get("/laws/search/", {"q": "调解\x00"})
    text = page.content.decode()
    assert "空字符" in text
    assert "不允许是用空字符串" not in text


def test_a_too_long_search_says_so_in_plain_chinese():
    text = Client().get("/laws/search/", {"q": "调" * 101}).content.decode()
    assert "检索词不能超过 100 个字" in text
    assert "确保该变量" not in text
