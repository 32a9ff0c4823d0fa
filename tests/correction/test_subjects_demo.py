"""The demo subjects (correction/demo_subjects.py): at least twelve across 天河区 (五山街道 and the county), 越秀区
(北京街道) and 乐昌市, every category and level, a minor, a woman with her 矫正小组, released and terminated terms,
a pending and an accepted transfer, 粤矫通 accounts subject1…subject8 — and a second run creates nothing."""

import pytest
from django.db import transaction
from django.test import override_settings

from smartjustice.core import access, demo
from smartjustice.core.models import AuditEntry, User
from smartjustice.correction import demo_subjects, subject_queries
from smartjustice.correction.choices import CorrectionCategory, SubjectStatus, SupervisionLevel
from smartjustice.correction.models import CorrectionSubject, SubjectTransfer

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media, NOTIFICATION_CHANNELS=[]),
        transaction.atomic(),
    ):
        demo.load()
        first = demo_subjects.load_demo()
        entries = AuditEntry.objects.count()
        second = demo_subjects.load_demo()
        yield {"first": first, "second": second, "new_entries": AuditEntry.objects.count() - entries}
        transaction.set_rollback(True)


def test_demo_subjects_cover_the_counties_categories_and_levels(loaded):
    found = CorrectionSubject.objects.filter(number__startswith="DEMO-")
    assert found.count() >= 12
    assert {s.jurisdiction_id[:6] for s in found} >= {"440106", "440104", "440281"}
    assert set(found.values_list("category", flat=True)) == set(CorrectionCategory.values)
    assert set(found.values_list("level", flat=True)) == set(SupervisionLevel.values)
    assert found.filter(is_minor=True).exists()
    woman = found.filter(gender="female", group_members__gender="female").distinct().first()
    assert woman is not None and woman.correction_plan
    assert found.filter(status=SubjectStatus.RELEASED).exclude(release_certificate_number="").exists()
    assert found.filter(status=SubjectStatus.TERMINATED).exists()
    assert SubjectTransfer.objects.filter(status="requested").exists()
    assert SubjectTransfer.objects.filter(status="accepted").exists()


def test_demo_accounts_are_linked_and_see_only_themselves(loaded):
    for n in range(1, 9):
        user = User.objects.get(username=f"subject{n}")
        own = CorrectionSubject.objects.get(account=user)
        assert list(subject_queries.list_subjects(user)) == [own]


def test_the_wushan_station_sees_only_its_street(loaded):
    ws = User.objects.get(username="ws_correction")
    visible = list(subject_queries.list_subjects(ws))
    assert visible and all(s.jurisdiction_id == "440106001000" for s in visible)
    th = User.objects.get(username="th_correction")
    assert len(subject_queries.list_subjects(th)) > len(visible)
    assert not access.can(ws, "view", CorrectionSubject.objects.get(number="DEMO-0004"))


def test_the_demo_is_idempotent(loaded):
    assert loaded["first"] > 12
    assert loaded["second"] == 0
    assert loaded["new_entries"] == 0
