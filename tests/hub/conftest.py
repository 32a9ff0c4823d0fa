import contextlib

import pytest

from smartjustice.core.testing import make_staff
from smartjustice.hub import services
from smartjustice.hub.choices import ConsumerKind
from smartjustice.hub.models import Dataset
from tests.core.factories import PROVINCE, jurisdiction

from .consumer import LocalConsumer


@pytest.fixture
def catalogue(db):
    services.load_catalogue()
    return {d.code: d for d in Dataset.objects.all()}


@pytest.fixture
def hub_admin(db):
    return make_staff(PROVINCE, "data_sharing_admin")


@pytest.fixture
def local_consumer():
    consumer = LocalConsumer()
    yield consumer
    with contextlib.suppress(Exception):  # a test may have stopped it already
        consumer.stop()


def register(
    code="bigdata", *, kind=ConsumerKind.PROVINCIAL_BIG_DATA, place=PROVINCE, push_url="", actor=None
):
    return services.register_consumer(
        actor=actor,
        code=code,
        name=f"{code} 系统",
        kind=kind,
        jurisdiction=jurisdiction(place),
        push_url=push_url,
    )


@pytest.fixture
def pushed_consumer(catalogue, local_consumer, hub_admin):
    """省政务大数据中心 subscribed (push) to 行政执法案件, with the local HTTP consumer as its endpoint."""
    consumer, credentials = register(push_url=local_consumer.url, actor=hub_admin)
    local_consumer.secret = credentials["push_secret"]
    subscription = services.subscribe(
        actor=hub_admin,
        consumer=consumer,
        dataset=catalogue["enforcement.case"],
        purpose="行政执法监督和信用监管",
        legal_basis="《广东省政务数据资源共享管理办法》",
    )
    return consumer, subscription


def _token_response(credentials: dict, scope: str) -> tuple[int, str]:
    """(HTTP status, body) of the OAuth2 token endpoint logic for a client-credentials request."""
    from django.test import RequestFactory
    from oauth2_provider.oauth2_backends import get_oauthlib_core

    request = RequestFactory().post(
        "/o/token/",
        {
            "grant_type": "client_credentials",
            "client_id": credentials["client_id"],
            "client_secret": credentials["client_secret"],
            "scope": scope,
        },
    )
    _, _, body, status = get_oauthlib_core().create_token_response(request)
    return status, body


def token_status(credentials: dict, scope: str = "hub.pull") -> int:
    return _token_response(credentials, scope)[0]


def issue_token(credentials: dict, scope: str) -> str:
    """An access token from the OAuth2 token endpoint logic (grant_type=client_credentials)."""
    import json

    status, body = _token_response(credentials, scope)
    assert status == 200, body
    return json.loads(body)["access_token"]
