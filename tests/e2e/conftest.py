"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server.

The live server needs committed data, so these tests run in real transactions and the database is emptied after
each one; `divisions` loads the administrative divisions they need and restores the session's set afterwards, so
the rest of the suite is unaffected.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from smartjustice.core.models import Jurisdiction
from tests.core.factories import TIANHE

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(os.environ.get("SMARTJUSTICE_SCREENSHOTS", "/tmp/smartjustice-e2e"))
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}


@pytest.fixture(scope="module")
def _restore_divisions(django_db_setup, django_db_blocker):
    """After the module's last flush, put back the divisions the session loaded (down to towns)."""
    yield
    with django_db_blocker.unblock():
        call_command("load_jurisdictions", max_level=4, verbosity=0)


@pytest.fixture
def divisions(_restore_divisions, transactional_db):
    """Divisions down to counties for one journey (the flush after the previous journey removed them)."""
    if not Jurisdiction.objects.filter(code=TIANHE).exists():
        call_command("load_jurisdictions", max_level=3, verbosity=0)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            "未找到 /usr/bin/chromium（Debian 的 chromium 软件包），跳过浏览器测试；`make browser` 可安装"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context (`new_page(**PHONE)`), closed after the test."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(
            locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url, **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
