"""Fixtures for e-certificates: an issuing officer, a holder, and one issued 行政执法证."""

import json

import pytest

from smartjustice.core import access
from smartjustice.core.models import Role
from smartjustice.core.testing import COUNTY_A, make_staff
from smartjustice.credentials import services

# The role the platform grants to whoever manages e-certificates. Until core/data/roles.json carries it, the tests
# add it to a copy of that file (the same file format, read by the same core.access code).
CREDENTIAL_ROLE = {
    "code": "credential_officer",
    "name": "证照管理员",
    "description": "签发、暂停、恢复、吊销本辖区的电子证照",
    "permissions": ["credentials.*_credential", "core.view_organisation"],
}
TYPE = "administrative_enforcement_certificate"


@pytest.fixture(autouse=True)
def credential_role(db, monkeypatch, tmp_path):
    if CREDENTIAL_ROLE["code"] not in access.role_definitions():
        data = json.loads(access.ROLES_FILE.read_text(encoding="utf-8"))
        data["roles"].append(CREDENTIAL_ROLE)
        path = tmp_path / "roles.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        monkeypatch.setattr(access, "ROLES_FILE", path)
        access.role_definitions.cache_clear()
    Role.objects.get_or_create(
        code=CREDENTIAL_ROLE["code"],
        defaults={"name": CREDENTIAL_ROLE["name"], "permissions": CREDENTIAL_ROLE["permissions"]},
    )
    yield
    access.role_definitions.cache_clear()


@pytest.fixture(autouse=True)
def public_url(settings):
    settings.CREDENTIALS_PUBLIC_URL = "http://testserver"


@pytest.fixture
def officer(db):
    return make_staff(COUNTY_A, "credential_officer", real_name="发证专员")


@pytest.fixture
def holder(db):
    return make_staff(COUNTY_A, "enforcement_officer", real_name="张执法")


def issue(officer, holder, **kwargs):
    return services.issue_credential(
        actor=officer,
        type_code=TYPE,
        holder=holder,
        claims=kwargs.pop("claims", {"enforcementArea": "广州市天河区", "enforcementDomain": "市场监管"}),
        **kwargs,
    )


@pytest.fixture
def credential(officer, holder):
    return issue(officer, holder)
