"""`smartjustice enforcement extract` proposes sanctions from the laws in the statute library."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def penalty_law(django_db_setup, django_db_blocker):
    """《行政处罚法》 and 《治安管理处罚法》 imported from the corpus, rolled back after this module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "laws",
            "import",
            "--laws",
            "中华人民共和国行政处罚法",
            "中华人民共和国治安管理处罚法",
            verbosity=0,
        )
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_extract_lists_fines_and_detention_of_a_law(penalty_law):
    out = StringIO()
    call_command("enforcement", "extract", "--law", "治安管理处罚法", stdout=out, verbosity=2)
    text = out.getvalue()
    assert "《中华人民共和国治安管理处罚法》第" in text
    assert "行政拘留 10–15 日" in text
    assert "含罚则" in text.splitlines()[-1]


@pytest.mark.django_db
def test_extract_as_json_lines_with_a_limit(penalty_law):
    out, err = StringIO(), StringIO()
    call_command(
        "enforcement", "extract", "--law", "行政处罚法", "--limit", "10", "--json", stdout=out, stderr=err
    )
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows and all(row["law"] == "中华人民共和国行政处罚法" for row in rows)
    assert "第九条" not in {row["article"] for row in rows}  # lists the kinds, imposes none
    assert "读取 10 条法条" in err.getvalue()


@pytest.mark.django_db
def test_extract_on_an_empty_library_says_what_to_do():
    out = StringIO()
    call_command("enforcement", "extract", "--law", "不存在的法", stdout=out)
    assert "laws import" in out.getvalue()
