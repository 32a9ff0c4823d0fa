"""`make bench-hub`: bulk ingest through the hub against a raw COPY of the same rows, then push throughput.

1. Generates N realistic 行政执法案件 records (default 1,000,000; `--records`), spread over Guangdong's counties.
2. Baseline: the same rows (record key, division code, JSON) COPYed into a plain table, batch by batch.
3. The hub's ingest path (`hub.services.ingest`: schema validation, de-duplication, storage, outbox) with the same
   batches, in the same run. Target: at least 50% of the baseline's rows per second.
4. Delivery: one county's records fanned out and pushed (signed HTTP, one request per record) to a local consumer.

Needs PostgreSQL: DATABASE_URL, or postgres://postgres@127.0.0.1:5432/sj_bench (created if missing). The hub
tables of that database are emptied first.
"""

import argparse
import os
import statistics
import sys
import time
from urllib.parse import urlparse

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sj_bench"
BATCH = 50_000


def _ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _records(n: int, counties: list[str], *, first: int = 0):
    import random
    from datetime import date, timedelta

    from smartjustice.core import identity

    rng = random.Random(2026)
    causes = ["未按规定办理食品经营许可", "超标排放大气污染物", "违法占道经营", "未取得施工许可擅自施工",
              "销售不符合安全标准的食品", "无证驾驶机动车从事营运", "未按规定公示收费标准", "擅自改变房屋用途"]  # fmt: skip
    agencies = ["市场监督管理局", "生态环境局", "城市管理和综合执法局", "交通运输局", "住房和城乡建设局"]
    surnames, given = (
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁",
        "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华",
    )
    ids = [
        identity.generate_citizen_id(
            rng,
            region_code="440106",
            birth_date=date(1950 + i % 50, 1 + i % 12, 1 + i % 28),
            sex="男女"[i % 2],
        )
        for i in range(5000)
    ]
    start = date(2025, 1, 1)
    for i in range(first, first + n):
        code = counties[i % len(counties)]
        person = i % 3 != 0
        filed = start + timedelta(days=i % 480)
        data = {
            "case_number": f"粤{code[:6]}执罚〔{filed.year}〕{i}号",
            "case_type": ("行政处罚", "行政强制", "行政检查")[i % 3],
            "cause": causes[i % len(causes)],
            "party_type": "自然人" if person else "法人",
            "party_name": rng.choice(surnames) + rng.choice(given) + rng.choice(given)
            if person
            else f"广州市某某贸易有限公司{i % 997}",
            "enforcement_agency": f"{agencies[i % len(agencies)]}",
            "filed_on": filed.isoformat(),
            "status": ("已立案", "调查中", "已决定", "已结案")[i % 4],
        }
        if person:
            data["party_id_number"] = ids[i % len(ids)]
        if i % 4 >= 2:
            data["decided_on"] = (filed + timedelta(days=30)).isoformat()
            data["fine_amount"] = float(rng.randrange(200, 200_000, 50))
        yield {"record_key": f"EC-{i:08d}", "jurisdiction_code": code, "data": data}


def _raw_copy(batch) -> float:
    """The baseline for one batch: the same rows COPYed into a plain table (created before the first batch),
    serialised with the same JSON library as the hub; returns seconds."""
    import orjson
    from django.db import connection, transaction

    started = time.perf_counter()
    buffer = b"".join(
        b"%s\t%s\t%s\n"
        % (
            r["record_key"].encode(),
            r["jurisdiction_code"].encode(),
            orjson.dumps(r["data"]).replace(b"\\", b"\\\\"),
        )
        for r in batch
    )
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy("COPY bench_raw_copy FROM STDIN") as copy,
    ):
        copy.write(buffer)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--deliveries", type=int, default=20_000, help="records pushed in the delivery test")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL")
    if not url:
        url = DEFAULT_URL
        print(f"未设置 DATABASE_URL，使用 {DEFAULT_URL}")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartjustice.config.settings")
    _ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from smartjustice.core.models import Jurisdiction
    from smartjustice.hub import services
    from smartjustice.hub.models import Dataset, Delivery, HubRecord, OutboxEntry

    call_command("migrate", verbosity=0)
    if not Jurisdiction.objects.filter(level=3).exists():
        call_command("load_jurisdictions", max_level=3, verbosity=0)
    services.load_catalogue()
    with connection.cursor() as cursor:  # a clean slate for the hub tables only
        cursor.execute(
            "TRUNCATE hub_disclosure, hub_delivery, hub_outboxentry, hub_recordcount, hub_deliverycount, hub_hubrecord"
            " RESTART IDENTITY CASCADE"
        )
    from smartjustice.hub.models import Consumer, Subscription

    for old in Consumer.objects.filter(code="bench-consumer"):
        Subscription.objects.filter(consumer=old).delete()
        old.delete()
    dataset = Dataset.objects.get(code="enforcement.case")
    counties = list(Jurisdiction.objects.filter(level=3).values_list("code", flat=True).order_by("code"))

    print(f"生成 {args.records:,} 条行政执法案件记录（{len(counties)} 个县区）…", flush=True)
    records = list(_records(args.records, counties))
    batches = [records[i : i + BATCH] for i in range(0, len(records), BATCH)]

    # Baseline and hub take turns batch by batch, so a busy moment on this shared machine slows both alike.
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_copy")
        cursor.execute("CREATE TABLE bench_raw_copy (record_key text, jurisdiction_code text, data jsonb)")
    raw = ingest = 0.0
    stored = 0
    ratios = []
    for number, batch in enumerate(batches):
        if number % 2:  # which goes first alternates, so neither always meets the other's dirty buffers
            raw_s = _raw_copy(batch)
        started = time.perf_counter()
        stored += services.ingest(dataset, source="bench", records=batch)["stored"]
        ingest_s = time.perf_counter() - started
        if not number % 2:
            raw_s = _raw_copy(batch)
        raw, ingest = raw + raw_s, ingest + ingest_s
        ratios.append(raw_s / ingest_s)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_raw_copy")
    again_started = time.perf_counter()
    repeat = services.ingest(dataset, source="bench", records=batches[0])
    again = time.perf_counter() - again_started
    # A daily export in which a tenth was sent before: the look-up path (stored keys first, then COPY of the rest).
    mixed = batches[1][: BATCH // 10] + list(_records(BATCH - BATCH // 10, counties, first=args.records))
    mixed_started = time.perf_counter()
    partly = services.ingest(dataset, source="bench", records=mixed)
    mixed_s = time.perf_counter() - mixed_started
    assert stored == len(records) and HubRecord.objects.count() == len(records) + partly["stored"]
    covered = sum(
        last - first + 1
        for first, last in OutboxEntry.objects.values_list("first_record_id", "last_record_id")
    )
    assert covered == HubRecord.objects.count(), covered
    assert repeat["stored"] == 0 and partly["stored"] == len(mixed) - BATCH // 10

    n = len(records)
    ratio = raw / ingest
    print(f"\n== 批量报送（{n:,} 条，每批 {BATCH:,} 条，PostgreSQL）==")
    print(f"基线：COPY 到普通表           {raw:7.2f} 秒  {n / raw:>10,.0f} 条/秒")
    print(f"共享平台报送（校验+去重+入库+发件箱） {ingest:7.2f} 秒  {n / ingest:>10,.0f} 条/秒")
    print(f"报送速度 / COPY 速度 = {ratio:.0%}（目标 ≥ 50%）{'✔' if ratio >= 0.5 else '✘'}；"
          f"逐批比值 最低 {min(ratios):.0%}、中位 {statistics.median(ratios):.0%}、最高 {max(ratios):.0%}")  # fmt: skip
    print(f"重复报送一批 {len(batches[0]):,} 条：{again:.2f} 秒，新入库 0 条")
    print(f"一批中 10% 已入库（先查重再入库）：{mixed_s:.2f} 秒，新入库 {partly['stored']:,} 条"
          f"（{len(mixed) / mixed_s:,.0f} 条/秒）")  # fmt: skip

    # --- delivery throughput ---------------------------------------------------------------------------------------
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    from tests.hub.consumer import LocalConsumer

    from smartjustice.core.models import Jurisdiction as J

    local = LocalConsumer()
    try:
        consumer, credentials = services.register_consumer(
            actor=None, code="bench-consumer", name="基准测试接收方", kind="department",
            jurisdiction=J.objects.get(code="440000000000"), push_url=local.url,
        )  # fmt: skip
        local.secret = credentials["push_secret"]
        per_county = n // len(counties)
        wanted = max(1, min(len(counties), args.deliveries // max(per_county, 1)))
        chosen = counties[:wanted]
        services.subscribe(
            actor=None, consumer=consumer, dataset=dataset, purpose="基准测试", legal_basis="基准测试",
            jurisdiction_codes=chosen,
        )  # fmt: skip
        # Fan-out reads every waiting record once (one outbox entry per batch) and makes deliveries for this
        # subscription's counties only.
        started = time.perf_counter()
        fanned = 0
        while handled := services.fan_out(limit=20_000):
            fanned += handled
        fan_s = time.perf_counter() - started
        started = time.perf_counter()
        delivered = 0
        while step := services.deliver_due(worker_id="bench"):
            if not any(step.values()):
                break
            delivered += step["delivered"]
        elapsed = time.perf_counter() - started
        print("\n== 分发与推送投递（本机 HTTP 接收方，签名 + 幂等键，每条一次请求）==")
        print(f"分发：{fanned:,} 条记录 {fan_s:.2f} 秒（{fanned / fan_s:,.0f} 条/秒），生成投递 "
              f"{Delivery.objects.count():,} 条")  # fmt: skip
        print(f"推送：投递成功 {delivered:,} 条，用时 {elapsed:.2f} 秒，{delivered / elapsed:,.0f} 条/秒；"
              f"接收方收到 {local.receipts:,} 次、应用 {len(local.applied):,} 条")  # fmt: skip
    finally:
        local.stop()
    return 0 if ratio >= 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
