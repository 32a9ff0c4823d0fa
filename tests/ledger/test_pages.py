"""The staff page /ledger/manage/: what 存证账本管理员 (the demo's gd_ledger) does in the browser."""

import base64

import pytest
from django.test import Client

from smartjustice import crypto
from smartjustice.core.testing import CITY, COUNTY_A, PROVINCE, assert_audited, make_staff
from smartjustice.crypto import hasher
from smartjustice.ledger import keys, merkle, services
from smartjustice.ledger.choices import LedgerAuditEvent
from smartjustice.ledger.models import Checkpoint, Log, SigningKey, Witness
from smartjustice.ledger.verify import verify_proof_bundle

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ledger_admin():
    """A province-level 存证账本管理员, like the demo account gd_ledger (广东省司法厅)."""
    return make_staff(PROVINCE, "ledger_admin", real_name="账本管理员")


def test_only_ledger_staff_open_the_page_and_see_the_link(ledger_admin):
    assert Client().get("/ledger/manage/").status_code == 302  # to the sign-in page
    assert signed_in(make_staff(COUNTY_A)).get("/ledger/manage/").status_code == 403
    page = signed_in(ledger_admin).get("/ledger/manage/")
    assert page.status_code == 200 and "可信存证账本 · 管理" in page.content.decode()
    assert "存证账本管理" in signed_in(ledger_admin).get("/ledger/").content.decode()
    assert "存证账本管理" not in Client().get("/ledger/").content.decode()


def test_a_ledger_admin_signs_a_checkpoint_from_the_page(ledger_admin):
    services.append_batch("decisions", [b"a", b"b"], kind="t")
    client = signed_in(ledger_admin)
    assert "decisions" in client.get("/ledger/manage/").content.decode()
    response = client.post("/ledger/manage/logs/decisions/checkpoint", follow=True)
    assert "已为 decisions 签发检查点（共 2 条）" in response.content.decode()
    checkpoint = Checkpoint.objects.get(log__name="decisions")
    assert_audited(LedgerAuditEvent.CHECKPOINT_SIGNED, obj=checkpoint, actor=ledger_admin)
    # A city administrator does not see (or sign) the platform's log.
    city = signed_in(make_staff(CITY, "ledger_admin"))
    assert "decisions" not in city.get("/ledger/manage/").content.decode()
    assert city.post("/ledger/manage/logs/decisions/checkpoint").status_code == 404


def test_a_ledger_admin_registers_a_witness_and_changes_its_address(ledger_admin):
    client = signed_in(ledger_admin)
    public = base64.b64encode(crypto.generate_keypair("ed25519")[1]).decode()
    form = {"name": "witness.gdjcy.example/ledger", "public_key": public, "url": "https://w.example/tlog/"}
    response = client.post("/ledger/manage/witnesses/", form, follow=True)
    assert "已登记见证方 witness.gdjcy.example/ledger" in response.content.decode()
    witness = Witness.objects.get(name=form["name"])
    assert (witness.url, witness.organisation) == (form["url"], None)
    assert_audited(LedgerAuditEvent.WITNESS_ADDED, obj=witness, actor=ledger_admin, count=1)
    response = client.post("/ledger/manage/witnesses/", {**form, "name": "other", "url": "nope"}, follow=True)
    assert "提交地址须为 http:// 或 https:// 开头的网址" in response.content.decode()
    response = client.post(
        f"/ledger/manage/witnesses/{witness.name}", {"url": "https://w2.example/"}, follow=True
    )
    assert "已更新见证方" in response.content.decode()
    client.post(f"/ledger/manage/witnesses/{witness.name}", {"is_active": "0"})
    witness.refresh_from_db()
    assert (witness.url, witness.is_active) == ("https://w2.example/", False)


def test_a_ledger_admin_rotates_the_platform_key_from_the_page(ledger_admin):
    old = keys.active_key(None)
    response = signed_in(ledger_admin).post("/ledger/manage/key-rotations/", {"key": old.key_id}, follow=True)
    assert "已轮换平台自身的 sm2 签名密钥" in response.content.decode()
    old.refresh_from_db()
    assert old.status == "retired"
    new = SigningKey.objects.get(organisation=None, status="active")
    assert_audited(LedgerAuditEvent.KEY_ROTATED, obj=new, actor=ledger_admin, count=1)


def test_a_ledger_admin_finds_an_entry_by_leaf_hash_and_downloads_its_proof(ledger_admin):
    services.append_batch("decisions", ["决定 1".encode(), "决定 2".encode()], kind="t")
    services.sign_checkpoint(Log.objects.get(name="decisions"))
    leaf = merkle.leaf_hash(hasher("sm3"), "决定 2".encode())
    client = signed_in(ledger_admin)
    html = client.get("/ledger/manage/", {"log": "decisions", "leaf_hash": leaf.hex()}).content.decode()
    assert "在 decisions 第 1 条" in html and "/ledger/manage/logs/decisions/entries/1/bundle" in html
    download = client.get("/ledger/manage/logs/decisions/entries/1/bundle")
    assert download["Content-Disposition"].endswith('.tlog-proof"')
    assert verify_proof_bundle(download.content.decode(), payload="决定 2".encode()).ok
    assert (
        signed_in(make_staff(CITY, "ledger_admin"))
        .get("/ledger/manage/logs/decisions/entries/1/bundle")
        .status_code
        == 404
    )


def test_the_transparency_page_reads_only_the_newest_checkpoint_of_each_log():
    from smartjustice.core.testing import assert_max_queries

    for name in ("log-a", "log-b"):
        for size in (1, 2, 3):
            services.append_entry(name, f"{name} {size}".encode(), kind="t")
            services.sign_checkpoint(Log.objects.get(name=name))
    client = Client()
    client.get("/ledger/")  # warm caches
    with assert_max_queries(8):
        html = client.get("/ledger/").content.decode()
    assert html.count("最新检查点（3 条") == 2 and "最新检查点（2 条" not in html
