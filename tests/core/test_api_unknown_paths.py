"""An address under /api/ that no endpoint matches answers in the API's JSON error shape, not an HTML page."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/", "/api/v2/organisations"])
def test_an_unknown_api_address_answers_json_404(path):
    response = Client().get(path, HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "not_found" and body["fields"] == {}
    assert "接口不存在" in body["message"]


def test_an_unknown_page_is_still_the_branded_page():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "页面不存在" in response.content.decode()


def test_a_wrong_method_answers_json_405_with_allow():
    response = Client().get("/api/v1/govinfo/requests/1/transitions/accept")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json") and response["Allow"] == "POST"
    assert response.json()["code"] == "method_not_allowed"
