"""Demo 共享协同平台: consumers with subscriptions, records about demo citizens, and a first pull by each consumer.

What to create is data (hub/data/demo.json); this module only replays it through the services, as the demo's data
sharing administrator (gd_datahub) and as the consumers themselves would:

* consumers are registered and subscribed with `services.register_consumer` / `services.subscribe` (each masking
  rule and a purpose shown), so the audit trail names gd_datahub; their one-time credentials are discarded — rotate
  the client secret on the consumer's page to try the pull API;
* records are published with `services.publish` inside a transaction (the outbox), the people in them taken from the
  demo portal accounts (citizen1 …), so 我的数据共享记录 shows citizen1 which agency received what, when and why;
* the outbox is fanned out (`services.fan_out`, what the worker does) and the consumers marked `pull` pull once
  (`services.pull`, what their systems do); the others' deliveries stay pending. No consumer has a push URL: the
  demo runs offline, so there are no dead letters.

The catalogue is loaded first when an entry the demo needs is missing (`make run` loads it anyway). Idempotent:
consumers are known by code, subscriptions by (consumer, dataset), records by content (publish stores a version
once), and a pull serves nothing new twice; a second load creates nothing and writes no audit entry.
"""

from __future__ import annotations

import json
import random
from functools import lru_cache
from pathlib import Path

from django.db import transaction

from smartjustice.core import context, identity
from smartjustice.core import demo as core_demo
from smartjustice.core.demo import DemoDataInvalid, Step
from smartjustice.core.models import Jurisdiction, User

from . import services
from .choices import DeliveryMode, DeliveryStatus
from .models import Consumer, Dataset, Delivery, Subscription

DATA_FILE = Path(__file__).parent / "data" / "demo.json"
PULL_PAGE = 500


@lru_cache(maxsize=1)
def spec() -> dict:
    """The demo consumers, subscriptions and records (hub/data/demo.json)."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def load() -> Step:
    """Create whichever demo consumers, subscriptions and records are missing; then fan out and pull."""
    step = Step("共享协同平台")
    detail = {"数据使用方": 0, "数据订阅": 0, "共享记录": 0, "拉取记录": 0}
    with (
        transaction.atomic(),
        context.acting(actor=None, channel="command", request_id=context.new_request_id()),
    ):
        data = spec()
        _ensure_catalogue(data)
        actor = _user(data["actor"])
        consumers = {}
        for entry in data["consumers"]:
            consumer, created = _consumer(entry, actor)
            consumers[entry["code"]] = consumer
            detail["数据使用方"] += created
            for subscription in entry["subscriptions"]:
                detail["数据订阅"] += _subscription(consumer, subscription, actor)
        people = _people(data["records"])
        for entry in data["records"]:
            detail["共享记录"] += _publish(entry, people)
        services.fan_out()
        for entry in data["consumers"]:
            if entry.get("pull"):
                detail["拉取记录"] += _pull(consumers[entry["code"]])
    wanted = len(data["consumers"]) + sum(len(e["subscriptions"]) for e in data["consumers"])
    wanted += len(data["records"])
    step.created = detail["数据使用方"] + detail["数据订阅"] + detail["共享记录"]
    step.existing = wanted - step.created
    step.detail = {label: n for label, n in detail.items() if n}
    return step


def _ensure_catalogue(data: dict) -> None:
    needed = {s["dataset"] for c in data["consumers"] for s in c["subscriptions"]}
    needed |= {r["dataset"] for r in data["records"]}
    if not needed <= set(Dataset.objects.filter(code__in=needed).values_list("code", flat=True)):
        services.load_catalogue()


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise DemoDataInvalid(f"演示账号不存在：{username}（共享协同平台演示数据需先加载核心演示数据）")
    return user


def _place(prefix: str) -> Jurisdiction:
    place = Jurisdiction.objects.filter(code=core_demo.full_code(prefix)).first()
    if place is None:
        raise DemoDataInvalid(f"区划 {prefix} 不存在：请先运行 smartjustice load_jurisdictions")
    return place


def _consumer(entry: dict, actor: User) -> tuple[Consumer, int]:
    consumer = Consumer.objects.filter(code=entry["code"]).first()
    if consumer is not None:
        return consumer, 0
    consumer, _credentials = (
        services.register_consumer(  # the credentials are shown once: nobody to show here
            actor=actor,
            code=entry["code"],
            name=entry["name"],
            kind=entry["kind"],
            jurisdiction=_place(entry["jurisdiction"]),
            contact=entry.get("contact", ""),
        )
    )
    return consumer, 1


def _subscription(consumer: Consumer, entry: dict, actor: User) -> int:
    dataset = Dataset.objects.get(code=entry["dataset"])
    if Subscription.objects.filter(consumer=consumer, dataset=dataset).exists():
        return 0
    services.subscribe(
        actor=actor,
        consumer=consumer,
        dataset=dataset,
        purpose=entry["purpose"],
        legal_basis=entry.get("legal_basis", ""),
        jurisdiction_codes=[core_demo.full_code(p) for p in entry.get("jurisdictions", [])],
        fields=entry.get("fields", []),
        masking=entry.get("masking", {}),
        mode=entry.get("mode", DeliveryMode.PULL),
    )
    return 1


def _people(records: list[dict]) -> dict[str, User]:
    wanted = {r["person"]["username"] for r in records if "person" in r}
    people = {u.username: u for u in User.objects.filter(username__in=wanted)}
    missing = wanted - set(people)
    if missing:
        raise DemoDataInvalid(
            f"演示账号不存在：{'、'.join(sorted(missing))}（共享协同平台演示数据需先加载核心演示数据）"
        )
    return people


def _generated_person(spec_person: dict) -> dict[str, str]:
    """A reproducible identity that is nobody's (seeded like the core demo's people, never a real person)."""
    rng = random.Random(f"{core_demo.spec()['seed']}:hub:{spec_person['seed']}")
    sex = rng.choice(["男", "女"])
    born = core_demo.birth_date(rng, min_age=20, max_age=60)
    return {
        "real_name": core_demo.person_name(rng, sex),
        "id_number": identity.generate_citizen_id(
            rng, region_code=spec_person["region_code"], birth_date=born, sex=sex
        ),
        "sex": sex,
    }


def _record_data(entry: dict, people: dict[str, User]) -> dict:
    data = dict(entry["data"])
    if "person" in entry:
        person = people[entry["person"]["username"]]
        for field, attribute in entry["person"]["fields"].items():
            value = getattr(person, attribute, "")
            if not value:
                raise DemoDataInvalid(f"演示账号 {person.username} 没有 {attribute}，无法填入“{field}”")
            data[field] = value
    if "generated_person" in entry:
        generated = _generated_person(entry["generated_person"])
        for field, attribute in entry["generated_person"]["fields"].items():
            data[field] = generated[attribute]
    return data


def _publish(entry: dict, people: dict[str, User]) -> int:
    # publish() stores each version once: the same content again returns None (already there).
    with transaction.atomic():
        record = services.publish(
            entry["dataset"],
            record_key=entry["record_key"],
            data=_record_data(entry, people),
            jurisdiction_code=core_demo.full_code(entry["jurisdiction"]),
        )
    return int(record is not None)


def _pull(consumer: Consumer) -> int:
    """Pull everything waiting, page by page, as the consumer's system would; how many records were new to it."""
    waiting = _pending(consumer)
    cursor = 0
    while True:
        page = services.pull(consumer, cursor=cursor, limit=PULL_PAGE)
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return waiting - _pending(consumer)


def _pending(consumer: Consumer) -> int:
    return Delivery.objects.filter(
        subscription__consumer=consumer, mode=DeliveryMode.PULL, status=DeliveryStatus.PENDING
    ).count()
