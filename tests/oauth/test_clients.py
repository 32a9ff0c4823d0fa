"""Client applications: gated by the oauth2_provider.*_application permissions (system_admin holds them in
roles.json), the secret shown once, post-logout addresses registered and checked, every change audited."""

import json
from io import StringIO

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.test import Client
from oauth2_provider.models import Application

from smartjustice.core.testing import (
    COUNTY_A,
    PROVINCE,
    ApiClient,
    assert_api_error,
    assert_audited,
    items_of,
    make_staff,
)
from smartjustice.oauth.choices import OAuthAuditEvent

from .conftest import REDIRECT_URI

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
    entry = assert_audited(OAuthAuditEvent.CLIENT_REGISTERED, obj=application, actor=admin, count=1)
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


def test_anonymous_is_sent_to_log_in(public_client):
    api = ApiClient(None)
    assert_api_error(api.get("/oauth/clients"), 401, "not_authenticated")
    assert_api_error(api.post("/oauth/clients", CLIENT), 401, "not_authenticated")
    assert_api_error(api.patch(f"/oauth/clients/{public_client.pk}", {"name": "x"}), 401, "not_authenticated")
    assert_api_error(api.delete(f"/oauth/clients/{public_client.pk}"), 401, "not_authenticated")
    for url in ("/oauth/clients/", f"/oauth/clients/{public_client.pk}/edit/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def people(kind: str):
    """Who is asking: the role that holds oauth2_provider.*_application, one that does not, and a superuser."""
    if kind == "system_admin":
        return make_staff(PROVINCE, "system_admin")
    if kind == "auditor":
        return make_staff(PROVINCE, "auditor")
    return make_staff(PROVINCE, is_superuser=True)


@pytest.mark.parametrize(
    ("kind", "allowed"), [("system_admin", True), ("superuser", True), ("auditor", False)]
)
def test_client_management_follows_the_application_permissions(kind, allowed, public_client):
    user = people(kind)
    api = ApiClient(user)
    page = Client()
    page.force_login(user)

    listing, listing_page = api.get("/oauth/clients"), page.get("/oauth/clients/")
    created = api.post("/oauth/clients", {**CLIENT, "name": "新应用"})
    changed = api.patch(f"/oauth/clients/{public_client.pk}", {"name": "移动执法终端（新版）"})
    edit_page = page.get(f"/oauth/clients/{public_client.pk}/edit/")
    removed = api.delete(f"/oauth/clients/{public_client.pk}")

    if allowed:
        assert listing.status_code == 200 and listing_page.status_code == 200
        assert created.status_code == 201 and changed.status_code == 200 and edit_page.status_code == 200
        assert removed.status_code == 204
        assert "接入应用（OAuth）" in listing_page.content.decode()  # and the navigation offers the page
    else:
        for response in (listing, created, changed, removed):
            assert_api_error(response, 403, "permission_denied")
        assert listing_page.status_code == 403 and edit_page.status_code == 403
        assert set(Application.objects.values_list("name", flat=True)) == {"移动执法终端"}


def test_each_action_needs_its_own_permission_not_a_role_name(monkeypatch, public_client):
    """A role granted only oauth2_provider.view_application may look, but not register, change or remove."""
    from smartjustice.core import access

    roles = {code: dict(role) for code, role in access.role_definitions().items()}
    roles["auditor"]["permissions"] = [*roles["auditor"]["permissions"], "oauth2_provider.view_application"]
    monkeypatch.setattr(access, "role_definitions", lambda: roles)
    viewer = make_staff(PROVINCE, "auditor")
    api = ApiClient(viewer)
    assert api.get("/oauth/clients").status_code == 200
    assert_api_error(api.post("/oauth/clients", CLIENT), 403, "permission_denied")
    assert_api_error(api.patch(f"/oauth/clients/{public_client.pk}", {"name": "x"}), 403, "permission_denied")
    assert_api_error(api.delete(f"/oauth/clients/{public_client.pk}"), 403, "permission_denied")
    page = Client()
    page.force_login(viewer)
    listing = page.get("/oauth/clients/")
    assert listing.status_code == 200
    assert "登记接入应用" not in listing.content.decode()  # no form offered without add_application
    assert page.post("/oauth/clients/", {**CLIENT, "redirect_uris": REDIRECT_URI}).status_code == 403


def test_permission_strings_are_the_toolkit_model_permissions():
    from smartjustice.core import access
    from smartjustice.oauth import queries

    assert queries.client_permission("add") == "oauth2_provider.add_application"
    admin = make_staff(PROVINCE, "system_admin")
    for action in ("view", "add", "change", "delete"):
        assert access.has_permission(admin, f"oauth2_provider.{action}_application")
        assert queries.may_manage_clients(admin, action)
    assert not queries.may_manage_clients(make_staff(PROVINCE, "auditor"))


def test_api_registers_lists_and_removes(admin):
    api = ApiClient(admin, bearer=True)
    created = api.post("/oauth/clients", CLIENT)
    assert created.status_code == 201, created.content
    assert "no-store" in created["Cache-Control"]
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
        OAuthAuditEvent.CLIENT_REMOVED, object_type="oauth2_provider.application", object_id=str(body["id"])
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


def test_a_county_system_admin_does_not_manage_the_platforms_clients(admin):
    """Clients sign in users of every jurisdiction: the permission counts at province level only."""
    ApiClient(admin).post("/oauth/clients", CLIENT)
    county_admin = make_staff(COUNTY_A, "system_admin")
    assert_api_error(ApiClient(county_admin).post("/oauth/clients", CLIENT), 403, "permission_denied")
    assert_api_error(ApiClient(county_admin).get("/oauth/clients"), 403, "permission_denied")
    assert Application.objects.count() == 1


def test_hub_consumers_clients_are_managed_with_their_consumer_not_here(admin):
    from smartjustice.core.models import Jurisdiction
    from smartjustice.hub import services as hub

    consumer, _ = hub.register_consumer(
        actor=None, code="gz-justice", name="广州市司法局", kind="city",
        jurisdiction=Jurisdiction.objects.get(code=PROVINCE),
    )  # fmt: skip
    client = ApiClient(admin)
    assert consumer.application.name not in json.dumps(
        items_of(client.get("/oauth/clients")), ensure_ascii=False
    )
    assert_api_error(client.delete(f"/oauth/clients/{consumer.application.pk}"), 404, "not_found")
    assert Application.objects.filter(pk=consumer.application.pk).exists()


def test_register_command_prints_the_secret_once():
    out = StringIO()
    call_command("oauth", "register", "省大数据中心", "--grant", "client-credentials", "--json", stdout=out)
    data = json.loads(out.getvalue())
    application = Application.objects.get(client_id=data["client_id"])
    assert application.authorization_grant_type == "client-credentials"
    assert application.client_secret != data["client_secret"]  # only the hash is stored
    assert check_password(data["client_secret"], application.client_secret)


def test_post_logout_addresses_are_registered_through_the_page_api_and_command(admin):
    client = Client()
    client.force_login(admin)
    client.post(
        "/oauth/clients/",
        {
            "name": "省政务服务网",
            "client_type": "confidential",
            "grant_type": "authorization-code",
            "redirect_uris": "https://gdzwfw.example.gov.cn/cb",
            "post_logout_redirect_uris": "https://gdzwfw.example.gov.cn/bye\nhttps://gdzwfw.example.gov.cn/bye2",
        },
    )
    page_app = Application.objects.get(name="省政务服务网")
    assert page_app.post_logout_redirect_uris.split() == [
        "https://gdzwfw.example.gov.cn/bye",
        "https://gdzwfw.example.gov.cn/bye2",
    ]
    assert "https://gdzwfw.example.gov.cn/bye" in client.get("/oauth/clients/").content.decode()

    body = ApiClient(admin).post(
        "/oauth/clients", {**CLIENT, "post_logout_redirect_uris": ["https://app.example.gov.cn/bye"]}
    )
    assert body.status_code == 201, body.content
    assert body.json()["post_logout_redirect_uris"] == ["https://app.example.gov.cn/bye"]

    out = StringIO()
    call_command(
        "oauth",
        "register",
        "移动执法终端",
        "--public",
        "--redirect-uri",
        "https://m.example.gov.cn/cb",
        "--post-logout-redirect-uri",
        "https://m.example.gov.cn/bye",
        "--json",
        stdout=out,
    )
    command_app = Application.objects.get(client_id=json.loads(out.getvalue())["client_id"])
    assert command_app.post_logout_redirect_uris == "https://m.example.gov.cn/bye"


@pytest.mark.parametrize(
    "payload",
    [
        {**CLIENT, "post_logout_redirect_uris": ["not a url"]},
        {**CLIENT, "post_logout_redirect_uris": ["https://app.example.gov.cn/bye#fragment"]},
        {**CLIENT, "post_logout_redirect_uris": ["javascript:alert(1)"]},
        {**CLIENT, "post_logout_redirect_uris": ["http://app.example.gov.cn/bye"]},  # public: https only
        {
            "name": "省大数据中心",
            "client_type": "confidential",
            "grant_type": "client-credentials",
            "post_logout_redirect_uris": ["https://dsj.example.gov.cn/bye"],
        },
    ],
)
def test_invalid_post_logout_addresses_are_explained_in_chinese(admin, payload):
    response = ApiClient(admin).post("/oauth/clients", payload)
    body = assert_api_error(response, 422, "validation_failed", fields=["post_logout_redirect_uris"])
    assert "退出后跳转地址" in body["message"]
    assert not Application.objects.exists()


def test_an_existing_client_gets_post_logout_addresses_without_a_new_client_id(admin, public_client):
    api = ApiClient(admin)
    response = api.patch(
        f"/oauth/clients/{public_client.pk}",
        {"post_logout_redirect_uris": ["https://app.example.gov.cn/bye", "https://app.example.gov.cn/bye2"]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["client_id"] == public_client.client_id
    assert body["post_logout_redirect_uris"] == [
        "https://app.example.gov.cn/bye",
        "https://app.example.gov.cn/bye2",
    ]
    assert body["redirect_uris"] == [REDIRECT_URI]  # untouched
    entry = assert_audited(OAuthAuditEvent.CLIENT_UPDATED, obj=public_client, actor=admin, count=1)
    assert entry.changed_fields == ["post_logout_redirect_uris"]
    # Invalid changes are refused with the field named, and change nothing.
    refused = api.patch(f"/oauth/clients/{public_client.pk}", {"redirect_uris": []})
    assert_api_error(refused, 422, "validation_failed", fields=["redirect_uris"])
    public_client.refresh_from_db()
    assert public_client.redirect_uris == REDIRECT_URI
    assert_api_error(api.patch("/oauth/clients/999999", {"name": "x"}), 404, "not_found")


def test_the_edit_page_changes_addresses(admin, public_client):
    client = Client()
    client.force_login(admin)
    page = client.get(f"/oauth/clients/{public_client.pk}/edit/")
    assert page.status_code == 200 and "退出后跳转地址" in page.content.decode()
    response = client.post(
        f"/oauth/clients/{public_client.pk}/edit/",
        {
            "name": "移动执法终端",
            "redirect_uris": REDIRECT_URI,
            "post_logout_redirect_uris": "https://app.example.gov.cn/bye",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/oauth/clients/"
    public_client.refresh_from_db()
    assert public_client.post_logout_redirect_uris == "https://app.example.gov.cn/bye"
    invalid = client.post(
        f"/oauth/clients/{public_client.pk}/edit/",
        {"name": "移动执法终端", "redirect_uris": REDIRECT_URI, "post_logout_redirect_uris": "not a url"},
    )
    assert invalid.status_code == 200 and "退出后跳转地址无效" in invalid.content.decode()


def test_register_command_refuses_bad_input():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="回调地址"):
        call_command("oauth", "register", "移动执法终端", "--public", stdout=StringIO())
