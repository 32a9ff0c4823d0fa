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


# axe-core from npm (frontend/package.json), injected from node_modules: never from a CDN.
AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
AXE_IMPACTS = ("serious", "critical")
# Runs axe once a page has loaded (a link or form that navigates) and reports to the test through a binding.
AXE_ON_LOAD = """
window.addEventListener("load", () => {
  if (!window.axe || !window.__axeReport) return;
  window.axe.run(document, {resultTypes: ["violations"]}).then((r) => window.__axeReport(location.pathname, r));
});
"""


def _serious(results: dict) -> list[dict]:
    return [v for v in results.get("violations", []) if v.get("impact") in AXE_IMPACTS]


def _describe(path: str, violations: list[dict]) -> list[str]:
    """One line per violation: the rule, how many nodes, and each node's selector with axe's reason."""
    lines = []
    for violation in violations:
        nodes = []
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node.get("target", []))
            reason = next((c.get("message", "") for c in node.get("any", []) + node.get("all", [])), "")
            nodes.append(f"{target}（{reason}）" if reason else target)
        lines.append(
            f"{path}: {violation['id']} ({violation['impact']}) {violation['help']} — {len(nodes)} 处："
            + "；".join(nodes)
        )
    return lines


class AxeAudit:
    """Every page a journey visits is checked with axe-core: zero serious or critical violations."""

    def __init__(self):
        self.checked: list[str] = []
        self.problems: list[str] = []

    def record(self, path: str, results: dict) -> None:
        self.checked.append(path)
        self.problems.extend(_describe(path, _serious(results)))

    def check(self, page) -> None:
        """Run axe on the page as it is now (after a goto, and at the end of the journey)."""
        if page.is_closed():
            return
        if not page.evaluate("() => !!window.axe"):
            page.add_script_tag(path=str(AXE))
        results = page.evaluate("() => window.axe.run(document, {resultTypes: ['violations']})")
        self.record(page.evaluate("() => location.pathname"), results)


@pytest.fixture
def axe_audit():
    return AxeAudit()


@pytest.fixture
def new_page(browser, live_server, axe_audit):
    """Open a page in a fresh browser context (`new_page(**PHONE)`), closed after the test; axe-core checks every
    page it shows (after each goto, after each navigation a click causes, and the last page)."""
    if not AXE.exists():
        pytest.fail("未找到 axe-core（frontend/node_modules/axe-core）：请先运行 make frontend（npm ci）")
    contexts, pages = [], []

    def open_page(**options):
        context = browser.new_context(
            locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url, **options
        )
        context.set_default_timeout(10_000)
        context.add_init_script(path=str(AXE))
        context.add_init_script(script=AXE_ON_LOAD)
        context.expose_binding("__axeReport", lambda source, path, results: axe_audit.record(path, results))
        contexts.append(context)
        page = context.new_page()
        goto = page.goto

        def goto_and_check(url, **kwargs):
            response = goto(url, **kwargs)
            axe_audit.check(page)
            return response

        page.goto = goto_and_check
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        axe_audit.check(page)
    for context in contexts:
        context.close()
    assert axe_audit.checked, "axe-core checked no page"
    assert not axe_audit.problems, "axe-core: serious or critical accessibility violations:\n" + "\n".join(
        dict.fromkeys(axe_audit.problems)
    )
