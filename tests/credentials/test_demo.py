"""Demo 电子证照 (`smartjustice load_demo`): real 行政执法证 issued by gz_credentials, verifiable on the public pages."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from smartjustice.core import access, workflow
from smartjustice.core import demo as core_demo
from smartjustice.core.errors import DomainError
from smartjustice.core.models import AuditEntry, User
from smartjustice.credentials import bundles, demo, offline, queries, services, trust
from smartjustice.credentials.choices import CredentialAuditEvent
from smartjustice.credentials.models import Credential
from smartjustice.ledger.models import LedgerEntry

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The quick core demo and every module's demo records, loaded once inside a transaction rolled back after."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, CREDENTIALS_PUBLIC_URL="http://testserver"),
        transaction.atomic(),
    ):
        core_demo.load(quick=True)
        steps = {step.label: step for step in core_demo.load_domains()}  # as `load_demo` loads them
        yield steps["电子证照"]
        transaction.set_rollback(True)


def entries() -> list[dict]:
    return demo.spec()["credentials"]


def credential_for(entry: dict) -> Credential:
    holder = User.objects.get(username=entry["holder"])
    found = demo.existing(entry, type_code=demo.spec()["type"], holder=holder)
    assert found is not None, entry
    return found


def test_every_demo_certificate_is_issued_and_counted_by_state(loaded):
    assert (loaded.created, loaded.existing) == (len(entries()), 0)
    assert loaded.detail == {"有效": 3, "已暂停": 1, "已吊销": 1}
    # One certificate per entry (the enforcement demo issues its own officers' certificates as well).
    assert len({credential_for(e).pk for e in entries()}) == len(entries())


def test_each_certificate_was_issued_by_gz_credentials_signed_and_recorded_in_the_ledger(loaded):
    issuer = User.objects.get(username="gz_credentials")
    for entry in entries():
        credential = credential_for(entry)
        assert credential.issued_by == issuer and credential.issuer == issuer.organisation
        assert access.may_act_in(issuer, credential.holder.jurisdiction_id)
        assert credential.claims["enforcementArea"] == entry["claims"]["enforcementArea"]
        assert credential.claims["employer"] == credential.holder.organisation.name
        entry_row = LedgerEntry.objects.get(pk=credential.ledger_entry_id)
        assert entry_row.log.name == services.LEDGER_LOG and entry_row.kind == "credential.issued"
        created = AuditEntry.objects.get(
            event=CredentialAuditEvent.ISSUED,
            object_type="credentials.credential",
            object_id=str(credential.pk),
        )
        assert (created.actor_username, created.channel) == ("gz_credentials", "command")


def test_the_suspended_and_revoked_ones_went_through_the_workflow_with_their_reasons(loaded):
    for entry in (e for e in entries() if e.get("steps")):
        credential = credential_for(entry)
        history = [(h.transition, h.actor.username, h.comment) for h in workflow.history(credential)]
        assert history == [(s["action"], "gz_credentials", s["reason"]) for s in entry["steps"]]
        assert credential.status_reason == entry["steps"][-1]["reason"]
        bits = services.status_bits(credential)
        assert bits == {
            "revocation": credential.status == "revoked",
            "suspension": credential.status == "suspended",
        }


def test_the_public_verification_pages_show_each_state(loaded):
    states = {}
    for entry in entries():
        credential = credential_for(entry)
        link = queries.default_link(credential)
        response = Client().get(f"/credentials/v/{link.token}/")
        assert response.status_code == 200
        html = response.content.decode()
        states[credential.status] = re.search(r'data-testid="verification-state">([^<]+)<', html).group(1)
        assert credential.subject_name in html and "已在可信存证账本中登记" in html
    assert states == {"active": "有效", "suspended": "已暂停", "revoked": "已吊销"}


def test_the_downloaded_files_verify_offline(loaded):
    anchors = trust.parse(bundles.trust_document())  # the platform's trust file, pinned by the verifier
    for entry in entries():
        credential = credential_for(entry)
        assert offline.verify_bundle(bundles.build_bundle(credential)).state in (
            "unverified",
            "revoked",
            "suspended",
        )
        result = offline.verify_bundle(bundles.build_bundle(credential), trust=anchors)
        assert (
            result.state
            == {"active": "valid", "suspended": "suspended", "revoked": "revoked"}[credential.status]
        )
        assert all(c.ok for c in result.checks if c.name in ("signature", "disclosures", "ledger"))


def test_staff_and_holders_see_the_certificates_they_should(loaded):
    def visible(username):
        return {c.pk for c in queries.list_credentials(User.objects.get(username=username))}

    everyone = {credential_for(e).pk for e in entries()}
    assert everyone <= visible("gz_credentials")
    th_officer = User.objects.get(username="th_officer")
    mine = queries.my_credentials(th_officer)
    assert {credential_for(e).pk for e in entries() if e["holder"] == "th_officer"} <= {c.pk for c in mine}
    assert all(c.holder_id == th_officer.pk for c in mine)
    client = Client()
    client.force_login(User.objects.get(username="gz_credentials"))
    html = client.get("/credentials/").content.decode()
    assert all(credential_for(e).number in html for e in entries())


def test_loading_again_creates_nothing(loaded):
    counts = (Credential.objects.count(), LedgerEntry.objects.count(), AuditEntry.objects.count())
    again = demo.load()
    assert (again.created, again.existing) == (0, len(entries()))
    out = StringIO()
    call_command("load_demo", "--quick", stdout=out)
    assert f"电子证照：新增 0，已存在 {len(entries())}" in out.getvalue()
    assert counts == (Credential.objects.count(), LedgerEntry.objects.count(), AuditEntry.objects.count())


def test_missing_demo_accounts_are_reported(loaded, monkeypatch):
    broken = {**demo.spec(), "credentials": [{**entries()[0], "holder": "officer99"}]}
    monkeypatch.setattr(demo, "spec", lambda: broken)
    with pytest.raises(DomainError, match="officer99"):
        demo.load()
