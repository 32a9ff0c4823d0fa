"""The FAQ review tile: a county author's submitted entry waits on the province reviewer's workbench."""

import pytest
from django.test import Client

from smartjustice.core import modules
from smartjustice.core.testing import make_staff
from smartjustice.qa import services

from .test_faq_review import PROVINCE, TIANHE, WAGES

pytestmark = pytest.mark.django_db


def workbench(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/workbench/").content.decode()


def test_a_submitted_entry_is_on_the_province_reviewer_s_to_do_list_only(statute_library):
    author = make_staff(TIANHE, "legal_aid_officer")
    reviewer = make_staff(PROVINCE, "legal_aid_officer")
    entry = services.create_entry(actor=author, **WAGES)
    assert "待审核的常见问题" not in workbench(reviewer)  # a draft is not submitted yet
    services.submit_entry(entry, actor=author)
    body = workbench(reviewer)
    assert "待审核的常见问题" in body and WAGES["question"] in body
    assert f'href="/qa/faq/manage/{entry.pk}/"' in body
    assert WAGES["question"] not in workbench(author)  # the county author may not publish it


def test_a_returned_entry_is_on_the_county_author_s_to_do_list(statute_library):
    author = make_staff(TIANHE, "legal_aid_officer")
    reviewer = make_staff(PROVINCE, "legal_aid_officer")
    entry = services.create_entry(actor=author, **WAGES)
    services.submit_entry(entry, actor=author)
    assert "退回修改的常见问题" not in workbench(author)  # nothing returned: no empty tile
    services.return_entry(entry, actor=reviewer, comment="请补充投诉的途径")
    body = workbench(author)
    assert "退回修改的常见问题" in body and WAGES["question"] in body
    assert f'href="/qa/faq/manage/{entry.pk}/"' in body
    assert "退回修改的常见问题" not in workbench(reviewer)  # it waits on the author, not on the reviewer
    services.submit_entry(entry, actor=author)
    assert "退回修改的常见问题" not in workbench(author)


def test_county_staff_get_no_review_tile_that_is_always_empty(statute_library):
    author = make_staff(TIANHE, "legal_aid_officer")
    reviewer = make_staff(PROVINCE, "legal_aid_officer")
    assert "待审核的常见问题" not in workbench(author)  # only the province publishes
    assert "qa.review" not in {tile.key for tile, _ in modules.tiles_for(author)}
    assert "qa.review" in {tile.key for tile, _ in modules.tiles_for(reviewer)}  # "没有待审核的常见问题"
