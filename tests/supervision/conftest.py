import pytest


@pytest.fixture(autouse=True)
def _credentials_public_url(settings):
    settings.CREDENTIALS_PUBLIC_URL = "http://testserver"
