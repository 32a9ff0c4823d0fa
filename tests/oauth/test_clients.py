"""Registering client applications: system administrators only, the secret shown once, every change audited."""

import json
from io import StringIO

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.test import Client
from oauth2_provider.models import Application

from smartjustice.core.choices import AuditEvent
from smartjustice.core.testing import (
    COUNTY_A,
    ApiClient,
    assert_api_error,
    assert_audited,
    items_of,
    make_staff,
)

pytestmark = pytest.mark.django_db

CLIENT = {
    "name": "移动执法终端",
    "client_type": "public",
    "grant_type": "authorization-code",
    "redirect_uris": ["https://app.example.gov.cn/callback"],
}


def test_system_admin_registers_a_client_and_sees_the_secret_once(admin):
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/oauth/clients/",
        {
            "name": "省政务服务网",
            "client_type": "confidential",
            "grant_type": "authorization-code",
            "redirect_uris": "https://gdzwfw.example.gov.cn/cb\nhttps://gdzwfw.example.gov.cn/cb2",
        },
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = response.context["secret"]
    assert secret and secret in response.content.decode()
    assert "只显示这一次" in response.content.decode()
    application = Application.objects.get(name="省政务服务网")
    assert application.redirect_uris.split() == [
        "https://gdzwfw.example.gov.cn/cb",
        "https://gdzwfw.example.gov.cn/cb2",
    ]
    assert application.algorithm == "RS256"
    entry = assert_audited(AuditEvent.OBJECT_CREATED, obj=application, actor=admin)
    assert entry.after["client_secret"] == "[已隐藏]"
    # Listed afterwards without the secret.
    listing = client.get("/oauth/clients/")
    assert "省政务服务网" in listing.content.decode()
    assert secret not in listing.content.decode()


def test_client_list_has_an_empty_state(admin):
    client = Client()
    client.force_login(admin)
    assert "还没有接入应用" in client.get("/oauth/clients/").content.decode()


def test_non_admin_cannot_register_clients(officer):
    client = Client()
    client.force_login(officer)
    assert client.get("/oauth/clients/").status_code == 403
    response = client.post(
        "/oauth/clients/", {"name": "x", "client_type": "public", "grant_type": "authorization-code"}
    )
    assert response.status_code == 403
    assert_api_error(ApiClient(officer).post("/oauth/clients", CLIENT), 403, "permission_denied")
    assert_api_error(ApiClient(officer).get("/oauth/clients"), 403, "permission_denied")
    assert not Application.objects.exists()


def test_anonymous_is_sent_to_log_in():
    assert_api_error(ApiClient(None).post("/oauth/clients", CLIENT), 401, "not_authenticated")
    response = Client().get("/oauth/clients/")
    assert response.status_code in (302, 401)


def test_api_registers_lists_and_removes(admin):
    api = ApiClient(admin, bearer=True)
    created = api.post("/oauth/clients", CLIENT)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["client_secret"] == ""  # a public client has none
    assert body["redirect_uris"] == CLIENT["redirect_uris"]
    machine = api.post(
        "/oauth/clients",
        {"name": "省大数据中心", "client_type": "confidential", "grant_type": "client-credentials"},
    ).json()
    assert len(machine["client_secret"]) > 40
    rows = items_of(api.get("/oauth/clients"))
    assert {r["name"] for r in rows} == {"移动执法终端", "省大数据中心"}
    assert all("client_secret" not in r for r in rows)
    assert api.delete(f"/oauth/clients/{body['id']}").status_code == 204
    assert not Application.objects.filter(pk=body["id"]).exists()
    assert_audited(
        AuditEvent.OBJECT_DELETED, object_type="oauth2_provider.application", object_id=str(body["id"])
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**CLIENT, "redirect_uris": []}, "redirect_uris"),
        ({**CLIENT, "redirect_uris": ["not a url"]}, "redirect_uris"),
        ({**CLIENT, "grant_type": "client-credentials", "redirect_uris": []}, "client_type"),
        ({**CLIENT, "grant_type": "password"}, "grant_type"),
    ],
)
def test_invalid_registrations_are_explained_in_chinese(admin, payload, field):
    response = ApiClient(admin).post("/oauth/clients", payload)
    assert_api_error(response, 422, "validation_failed", fields=[field])


def test_a_county_admin_is_a_system_admin_too():
    county_admin = make_staff(COUNTY_A, "system_admin")
    assert ApiClient(county_admin).post("/oauth/clients", CLIENT).status_code == 201


def test_register_command_prints_the_secret_once():
    out = StringIO()
    call_command("oauth", "register", "省大数据中心", "--grant", "client-credentials", "--json", stdout=out)
    data = json.loads(out.getvalue())
    application = Application.objects.get(client_id=data["client_id"])
    assert application.authorization_grant_type == "client-credentials"
    assert application.client_secret != data["client_secret"]  # only the hash is stored
    assert check_password(data["client_secret"], application.client_secret)


def test_register_command_refuses_bad_input():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="回调地址"):
        call_command("oauth", "register", "移动执法终端", "--public", stdout=StringIO())
