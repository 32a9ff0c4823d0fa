"""A small statute library (the laws the tests ask about) and the robot's index over it, built once per worker.

The laws are committed like the session's divisions (browser journeys flush the database; the fixture imports them
again when that happened), and the index lives in a temporary directory, not in var/.
"""

import pytest
from django.core.management import call_command

from smartjustice.qa import retrieval, services
from smartjustice.statutes.models import Law

LAWS = [
    "中华人民共和国劳动合同法",
    "中华人民共和国民法典",
    "中华人民共和国消费者权益保护法",
    "中华人民共和国法律援助法",
    "中华人民共和国人民调解法",
]


def import_test_laws() -> None:
    call_command("laws", "import", "--laws", *LAWS, verbosity=0)


def _ensure_library() -> None:
    if Law.objects.filter(title__in=LAWS).values("title").distinct().count() < len(LAWS):
        import_test_laws()
    meta = retrieval.read_meta()
    if meta is None or meta.get("library") != services.library.signature():
        services.rebuild_index()


@pytest.fixture(scope="session")
def _session_library(django_db_setup, django_db_blocker, tmp_path_factory):
    """Imported and committed once per worker, like the divisions; the index in a temporary directory."""
    index_dir = tmp_path_factory.mktemp("qa-index")
    from django.conf import settings

    previous = settings.QA_INDEX_DIR
    settings.QA_INDEX_DIR = index_dir
    try:
        with django_db_blocker.unblock():
            _ensure_library()
    finally:
        settings.QA_INDEX_DIR = previous
    return index_dir


@pytest.fixture
def statute_library(_session_library, settings):
    """The test laws and the robot's index over them (imported again if a browser journey emptied the database)."""
    settings.QA_INDEX_DIR = _session_library
    _ensure_library()
    yield
    retrieval.forget()
