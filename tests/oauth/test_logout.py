"""OpenID Connect RP-Initiated Logout 1.0 at /oauth/logout/: a client signs the user out of the single login.

Trusted requests (an ID token of the signed-in user) sign out at once; anything less asks in Chinese first;
the user is sent back only to the client's registered post-logout addresses; the session and every OAuth token end.
"""

import base64
import json
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oauth2_provider.models import AccessToken, IDToken, RefreshToken

from smartjustice.core.choices import AuditEvent
from smartjustice.core.testing import COUNTY_B, assert_audited, audit_entries, make_staff

from .conftest import POST_LOGOUT_URI, refresh, sign_in_tokens, userinfo

pytestmark = pytest.mark.django_db


def logout_url(**params) -> str:
    return "/oauth/logout/?" + urlencode({k: v for k, v in params.items() if v is not None})


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_signed_out(client: Client) -> None:
    """A following request to a staff page is sent to the login page: the session really ended."""
    response = client.get(reverse("workbench"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def assert_still_signed_in(client: Client) -> None:
    assert client.get(reverse("workbench")).status_code == 200


def test_a_trusted_request_signs_out_at_once_and_returns_to_the_registered_address(public_client, officer):
    client = signed_in(officer)
    tokens = sign_in_tokens(client, public_client)

    response = client.get(
        logout_url(
            id_token_hint=tokens["id_token"], post_logout_redirect_uri=POST_LOGOUT_URI, state="bye-123"
        )
    )

    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == POST_LOGOUT_URI
    assert parse_qs(location.query) == {"state": ["bye-123"]}
    assert_signed_out(client)
    # Every OAuth token of the user is gone: the access token opens nothing, the refresh token renews nothing.
    assert userinfo(tokens["access_token"]).status_code == 401
    assert refresh(public_client, tokens["refresh_token"]).status_code == 400
    assert not AccessToken.objects.filter(user=officer).exists()
    assert not RefreshToken.objects.filter(user=officer, revoked__isnull=True).exists()
    # Audited like every sign-out, plus the revocation naming the client that asked.
    assert_audited(AuditEvent.LOGGED_OUT, obj=officer, actor=officer)
    revoked = assert_audited(AuditEvent.TOKEN_REVOKED, obj=officer, actor=officer)
    assert "移动执法终端" in revoked.detail and revoked.jurisdiction_code == officer.jurisdiction_id


def test_sign_out_ends_the_sign_in_at_every_client(public_client, second_public_client, officer):
    client = signed_in(officer)
    here = sign_in_tokens(client, public_client)
    there = sign_in_tokens(client, second_public_client)

    client.get(logout_url(id_token_hint=here["id_token"], post_logout_redirect_uri=POST_LOGOUT_URI))

    assert userinfo(there["access_token"]).status_code == 401
    assert refresh(second_public_client, there["refresh_token"]).status_code == 400
    # The other client signing out afterwards still reaches its own registered address, with nothing to revoke.
    again = Client().get(
        logout_url(
            id_token_hint=there["id_token"], post_logout_redirect_uri="https://miniapp.example.gov.cn/bye"
        )
    )
    assert again.status_code == 302 and again["Location"] == "https://miniapp.example.gov.cn/bye"
    assert audit_entries(AuditEvent.TOKEN_REVOKED, obj=officer).count() == 1


def test_without_a_redirect_address_the_user_lands_on_the_home_page(public_client, officer):
    client = signed_in(officer)
    tokens = sign_in_tokens(client, public_client)
    response = client.get(logout_url(id_token_hint=tokens["id_token"]))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert_signed_out(client)


def test_an_unregistered_redirect_address_is_refused_in_chinese(public_client, officer):
    client = signed_in(officer)
    tokens = sign_in_tokens(client, public_client)
    for address in (
        "https://evil.example.com/",
        f"{POST_LOGOUT_URI}/../elsewhere",
        "https://app.example.gov.cn/callback",
    ):
        response = client.get(logout_url(id_token_hint=tokens["id_token"], post_logout_redirect_uri=address))
        assert response.status_code == 400, address
        text = response.content.decode()
        assert "退出请求无效" in text and "未在本平台为该应用登记" in text
    assert_still_signed_in(client)
    assert userinfo(tokens["access_token"]).status_code == 200


def test_a_redirect_address_needs_a_known_client(officer):
    response = signed_in(officer).get(logout_url(post_logout_redirect_uri=POST_LOGOUT_URI))
    assert response.status_code == 400
    assert "未在本平台登记" in response.content.decode()


def test_without_an_id_token_the_user_is_asked_first(public_client, officer):
    client = signed_in(officer)
    tokens = sign_in_tokens(client, public_client)
    url = logout_url(client_id=public_client.client_id, post_logout_redirect_uri=POST_LOGOUT_URI, state="s1")

    page = client.get(url)

    assert page.status_code == 200
    text = page.content.decode()
    assert "“移动执法终端”请求退出平台统一登录" in text and "张执法" in text
    assert "确认退出" in text and "保持登录" in text
    assert_still_signed_in(client)
    assert userinfo(tokens["access_token"]).status_code == 200

    form = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    confirmed = client.post("/oauth/logout/", {**form, "allow": "1"})
    assert confirmed.status_code == 302 and confirmed["Location"] == f"{POST_LOGOUT_URI}?state=s1"
    assert_signed_out(client)
    assert userinfo(tokens["access_token"]).status_code == 401
    assert_audited(AuditEvent.LOGGED_OUT, obj=officer, actor=officer)


def test_the_user_may_choose_to_stay_signed_in(public_client, officer):
    client = signed_in(officer)
    url = logout_url(client_id=public_client.client_id, post_logout_redirect_uri=POST_LOGOUT_URI)
    form = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    response = client.post("/oauth/logout/", form)  # the “保持登录” button: no allow
    assert response.status_code == 200
    assert "已取消退出" in response.content.decode()
    assert_still_signed_in(client)
    assert not audit_entries(AuditEvent.LOGGED_OUT, obj=officer).exists()


def test_an_id_token_of_someone_else_is_asked_about(public_client, officer):
    other = make_staff(COUNTY_B, "enforcement_officer", real_name="李执法")
    other_tokens = sign_in_tokens(signed_in(other), public_client)
    client = signed_in(officer)
    page = client.get(logout_url(id_token_hint=other_tokens["id_token"]))
    assert page.status_code == 200 and "确认退出" in page.content.decode()
    assert_still_signed_in(client)


def test_a_cross_site_form_cannot_confirm_the_sign_out(public_client, officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post("/oauth/logout/", {"client_id": public_client.client_id, "allow": "1"})
    assert response.status_code == 403
    assert_still_signed_in(client)


def test_a_plain_link_without_a_client_asks_too(officer):
    client = signed_in(officer)
    page = client.get("/oauth/logout/")
    assert page.status_code == 200 and "退出平台统一登录" in page.content.decode()
    assert_still_signed_in(client)


@pytest.mark.parametrize("tamper", ["garbage", "signature", "machine-audience", "issuer"])
def test_a_forged_or_malformed_id_token_is_refused_without_a_server_error(
    tamper, public_client, machine_client, officer
):
    client = signed_in(officer)
    id_token = sign_in_tokens(client, public_client)["id_token"]
    header, payload, signature = id_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    if tamper == "garbage":
        hint = "not-a-jwt"
    else:
        if tamper == "signature":
            claims["sub"] = "1"
        elif tamper == "machine-audience":  # a client with no signing key: must not reach a 500
            claims["aud"] = machine_client[0].client_id
        elif tamper == "issuer":
            claims["iss"] = "https://evil.example.com"
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        hint = f"{header}.{forged}.{signature}"
    response = client.get(logout_url(id_token_hint=hint, post_logout_redirect_uri=POST_LOGOUT_URI))
    assert response.status_code == 400
    assert "登录凭据" in response.content.decode()
    assert_still_signed_in(client)


def test_an_id_token_of_another_client_does_not_match_the_client_id(
    public_client, second_public_client, officer
):
    client = signed_in(officer)
    id_token = sign_in_tokens(client, public_client)["id_token"]
    response = client.get(logout_url(id_token_hint=id_token, client_id=second_public_client.client_id))
    assert response.status_code == 400
    assert "不一致" in response.content.decode()
    assert_still_signed_in(client)


def test_an_unknown_client_id_is_refused_without_a_server_error(officer):
    response = signed_in(officer).get(logout_url(client_id="no-such-client"))
    assert response.status_code == 400
    assert "未在本平台登记" in response.content.decode()


def test_an_expired_id_token_still_signs_out(public_client, officer):
    """RP-Initiated Logout §2: the client usually signs out long after its ID token's hour."""
    client = signed_in(officer)
    tokens = sign_in_tokens(client, public_client)
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=3), tick=False):
        response = client.get(
            logout_url(id_token_hint=tokens["id_token"], post_logout_redirect_uri=POST_LOGOUT_URI)
        )
    assert response.status_code == 302 and response["Location"] == POST_LOGOUT_URI
    assert not IDToken.objects.filter(user=officer).exists()


def test_a_client_signs_out_a_user_whose_platform_session_already_ended(public_client, officer):
    tokens = sign_in_tokens(signed_in(officer), public_client)
    browser = Client()  # nobody signed in here: nothing to ask about
    response = browser.get(
        logout_url(id_token_hint=tokens["id_token"], post_logout_redirect_uri=POST_LOGOUT_URI)
    )
    assert response.status_code == 302 and response["Location"] == POST_LOGOUT_URI
    assert userinfo(tokens["access_token"]).status_code == 401
    assert_audited(AuditEvent.TOKEN_REVOKED, obj=officer, actor=officer)
    assert not audit_entries(AuditEvent.LOGGED_OUT, obj=officer).exists()  # there was no session to end
