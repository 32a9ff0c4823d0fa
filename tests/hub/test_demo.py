"""Demo 共享协同平台 (`smartjustice load_demo`): consumers subscribed by gd_datahub, records about demo citizens,
and a first pull, so citizen1 sees in 我的数据共享记录 which agency received what, when and why."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from smartjustice.core import demo as core_demo
from smartjustice.core.choices import AuditEvent
from smartjustice.core.errors import DomainError
from smartjustice.core.models import AuditEntry, User
from smartjustice.hub import demo, queries, sealing, services
from smartjustice.hub.choices import DeliveryMode, DeliveryStatus, HubAuditEvent, Masking, SharingClass
from smartjustice.hub.models import Consumer, Delivery, Disclosure, HubRecord, OutboxEntry, Subscription
from smartjustice.statutes import citations

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The quick core demo and every module's demo records in load_demo's order (the hub last), loaded once inside a
    transaction rolled back afterwards. The catalogue is not loaded beforehand: the hub demo loads what it needs."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        core_demo.load(quick=True)
        steps = {step.label: step for step in core_demo.load_domains()}
        yield steps["共享协同平台"]
        transaction.set_rollback(True)


def consumers() -> list[dict]:
    return demo.spec()["consumers"]


def subscriptions() -> list[dict]:
    return [{**s, "consumer": c["code"]} for c in consumers() for s in c["subscriptions"]]


def page(username: str, url: str) -> str:
    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_every_demo_consumer_subscription_and_record_is_created(loaded):
    records = demo.spec()["records"]
    assert (loaded.created, loaded.existing) == (len(consumers()) + len(subscriptions()) + len(records), 0)
    assert loaded.detail["数据使用方"] == Consumer.objects.count() == len(consumers())
    assert loaded.detail["数据订阅"] == Subscription.objects.count() == len(subscriptions())
    assert loaded.detail["共享记录"] == len(records)
    assert {r.record_key for r in HubRecord.objects.all()} >= {r["record_key"] for r in records}
    assert not OutboxEntry.objects.filter(
        dispatched_at__isnull=True
    ).exists()  # fanned out, as the worker would


def test_consumers_are_registered_and_subscribed_by_the_data_sharing_admin(loaded):
    admin = User.objects.get(username=demo.spec()["actor"])
    for entry in consumers():
        consumer = Consumer.objects.get(code=entry["code"])
        assert (consumer.name, consumer.kind) == (entry["name"], entry["kind"])
        assert consumer.jurisdiction_id == core_demo.full_code(entry["jurisdiction"])
        # One registration, one entry: named by the admin, under the command's channel, with what was issued.
        created = AuditEntry.objects.get(
            event=HubAuditEvent.CONSUMER_REGISTERED, object_type="hub.consumer", object_id=str(consumer.pk)
        )
        assert (created.actor_username, created.channel) == (admin.username, "command")
        assert "签发" in created.detail and created.after["code"] == consumer.code
        assert not AuditEntry.objects.filter(
            event=AuditEvent.OBJECT_CREATED, object_type="hub.consumer", object_id=str(consumer.pk)
        ).exists()
    listed = page(admin.username, "/hub/consumers/")
    assert all(entry["name"] in listed for entry in consumers())


def test_subscriptions_show_every_masking_rule_each_with_a_purpose(loaded):
    used = set()
    for subscription in Subscription.objects.select_related("dataset"):
        assert subscription.purpose
        assert subscription.dataset.sharing_class != SharingClass.NOT_SHARED
        if subscription.dataset.sharing_class == SharingClass.CONDITIONAL:
            assert subscription.legal_basis
        used |= set(subscription.masking.values())
    assert used == set(Masking.values)


def test_no_consumer_pushes_anywhere_the_demo_runs_offline(loaded):
    assert not Consumer.objects.exclude(push_url="").exists()
    assert set(Subscription.objects.values_list("mode", flat=True)) == {DeliveryMode.PULL}
    assert not Delivery.objects.filter(status=DeliveryStatus.DEAD).exists()


def test_the_legal_basis_of_every_demo_subscription_resolves(loaded):
    cited = [found for s in subscriptions() for found in citations.extract(s.get("legal_basis", ""))]
    assert cited
    call_command("laws", "import", "--laws", *sorted({f.citation.law for f in cited}), verbosity=0)
    for found in cited:
        result = citations.check_one(found)
        assert result.ok, f"{found.text}: {result.message}"


def test_citizen1_sees_which_agency_received_which_data_when_and_why(loaded):
    html = page("citizen1", "/hub/my-disclosures/")
    for agency, dataset, purpose in [
        ("司法部", "法律援助案件", "全国法律援助案件统计分析和质量评估"),
        ("广州市司法局", "法律援助案件", "本市法律援助案件指派、受援人回访和办案质量评查"),
        ("广东省政务大数据中心", "公证书", "公证书真伪核验"),
    ]:
        assert agency in html and dataset in html and purpose in html
    assert "受援人身份证号码（摘要（不可逆））" in html  # 司法部 gets a digest …
    assert "受援人身份证号码（明文（须有法定依据））" in html  # … 广州市司法局 the number, with its basis
    assert "《中华人民共和国法律援助法》第五十一条" in html
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", html)  # when
    citizen1 = User.objects.get(username="citizen1")
    mine = Disclosure.objects.filter(subject_digest=sealing.subject_digest(citizen1.id_number))
    assert {d.consumer.code for d in mine} == {"moj", "gz-justice", "gd-bigdata"}


def test_others_see_only_what_concerns_them(loaded):
    citizen2 = page("citizen2", "/hub/my-disclosures/")
    assert "广州市司法局" in citizen2 and "司法部" in citizen2 and "公证书" not in citizen2
    citizen3 = page("citizen3", "/hub/my-disclosures/")  # 深圳: outside 广州市司法局's subscription
    assert "司法部" in citizen3 and "广州市司法局" not in citizen3
    assert "暂无共享记录" in page("citizen4", "/hub/my-disclosures/")


def test_what_a_consumer_pulled_is_masked_as_it_subscribed(loaded):
    citizen1 = User.objects.get(username="citizen1")
    moj = services.pull(Consumer.objects.get(code="moj"), dataset_code="legalaid.case")["items"]
    mine = next(i["data"] for i in moj if i["record_key"] == "GZTH-LA-2026-0158")
    assert "applicant_phone" not in mine and mine["applicant_id_number"] != citizen1.id_number
    assert mine["applicant_name"] != citizen1.real_name and mine["applicant_name"].startswith(
        citizen1.real_name[0]
    )
    city = services.pull(Consumer.objects.get(code="gz-justice"))["items"]
    assert {i["record_key"] for i in city} == {"GZTH-LA-2026-0158", "GZYX-LA-2026-0077"}  # 广州 only
    clear = next(i["data"] for i in city if i["record_key"] == "GZTH-LA-2026-0158")
    assert clear["applicant_id_number"] == citizen1.id_number and clear["applicant_phone"] != citizen1.phone


def test_statistics_and_consumer_pages_have_numbers_for_gd_datahub(loaded):
    admin = User.objects.get(username="gd_datahub")
    html = page("gd_datahub", "/hub/statistics/")
    assert "暂无汇聚或共享的数据" not in html and "司法部" in html
    police = Consumer.objects.get(code="gd-police")  # subscribed, not pulled yet: its records wait
    # One delivery waits for each record of its subscribed dataset: the hub demo's own, and what the community
    # correction demo published at intake (loaded after the hub, fanned out by it as the worker would).
    waiting = HubRecord.objects.filter(dataset__code="correction.subject").count()
    assert waiting >= 1
    assert queries.delivery_counts(admin, police) == {"pending": waiting, "delivered": 0, "dead": 0}
    assert queries.delivery_counts(admin, Consumer.objects.get(code="moj"))["delivered"] == 3
    detail = page("gd_datahub", f"/hub/consumers/{police.pk}/")
    assert "社区矫正对象" in detail and f"待投递 {waiting} · 已投递 0 · 死信 0" in detail


def test_loading_again_creates_nothing(loaded):
    def counts():
        return tuple(
            model.objects.count()
            for model in (Consumer, Subscription, HubRecord, OutboxEntry, Delivery, Disclosure, AuditEntry)
        )

    before = counts()
    again = demo.load()
    assert (again.created, again.existing) == (0, loaded.created)
    out = StringIO()
    call_command("load_demo", "--quick", stdout=out)
    assert f"共享协同平台：新增 0，已存在 {loaded.created}" in out.getvalue()
    assert counts() == before


def test_missing_demo_accounts_are_reported(loaded, monkeypatch):
    spec = demo.spec()
    broken = {**spec, "records": [{**spec["records"][0], "person": {"username": "citizen99", "fields": {}}}]}
    monkeypatch.setattr(demo, "spec", lambda: broken)
    with pytest.raises(DomainError, match="citizen99"):
        demo.load()
    monkeypatch.setattr(demo, "spec", lambda: {**spec, "actor": "nobody"})
    with pytest.raises(DomainError, match="nobody"):
        demo.load()
