"""Fixtures for the OAuth2/OIDC provider: a signed-in staff member and registered clients."""

import base64
import hashlib
import secrets

import pytest

from smartjustice.core.testing import COUNTY_A, PROVINCE, make_staff
from smartjustice.oauth import services

REDIRECT_URI = "https://app.example.gov.cn/callback"


def pkce_pair() -> tuple[str, str]:
    """A PKCE verifier and its S256 challenge (RFC 7636 §4.1–4.2)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


@pytest.fixture
def admin(db):
    return make_staff(PROVINCE, "system_admin", real_name="系统管理员")


@pytest.fixture
def officer(db):
    return make_staff(
        COUNTY_A, "enforcement_officer", "legal_reviewer", real_name="张执法", email="zhang@example.gov.cn"
    )


@pytest.fixture
def public_client(admin):
    application, secret = services.register_client(
        actor=admin,
        name="移动执法终端",
        client_type="public",
        grant_type="authorization-code",
        redirect_uris=[REDIRECT_URI],
    )
    assert secret == ""
    return application


@pytest.fixture
def confidential_client(admin):
    return services.register_client(
        actor=admin,
        name="省政务服务网",
        client_type="confidential",
        grant_type="authorization-code",
        redirect_uris=[REDIRECT_URI],
    )


@pytest.fixture
def machine_client(admin):
    return services.register_client(
        actor=admin, name="省大数据中心", client_type="confidential", grant_type="client-credentials"
    )
