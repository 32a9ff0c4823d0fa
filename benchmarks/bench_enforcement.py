"""`make bench-enforcement`: 行政执法 at province scale — the supervision scan, the annual aggregation and the list and
dashboard latencies over 1,000,000 cases, each against a naive baseline measured in the same run.

1. Creates its own PostgreSQL database (`sj_bench_enforcement` on the DATABASE_URL server, or on
   postgres://postgres@127.0.0.1:5432), migrates it, loads Guangdong's divisions down to the counties, and generates
   with COPY (no ORM, no audit rows; the big tables' indexes and constraints dropped during the load and rebuilt
   after): 司法局 in every city and county, 行政执法主体 per domain in every city and county, officers with their
   行政执法证 (a few expired, suspended or revoked), a published power list of penalty items with fine ranges,
   parties, BENCH_CASES cases (default 1,000,000; `--cases`) spread over the 21 cities by size, in every stage of both
   procedures with consistent dates and statutory clocks, the 承办人/法制审核人员 as core assignments, and payments.
   Crafted anomalies the supervision checks must find: cases open past 第六十条's ninety days, fines outside the
   item's range, a single officer, an officer without a valid certificate, the same conduct fined twice, on-the-spot
   fines above 第五十一条's limits, late payments, decisions without the required 法制审核.
2. The full supervision scan (`supervision.checks.scan`, detection only and with the flags written) against
   `scan_naive` (a Python loop asking each rule about each case) run on an evenly spread sample and extrapolated
   linearly; both run on the same sample too and must find the same (rule, case) pairs. Target < 60 s at 1M.
3. The province's annual aggregation (`disclosure.queries.province_aggregate`, one grouped query) against
   `province_aggregate_naive` (row by row in Python); the results must be equal. Target < 10 s.
4. p50/p95 of the case list's first page (`enforcement.case_queries.list_cases`: the 20 rows, then the pager's count)
   for a county officer, a city supervisor and the province supervisor, and of the supervision dashboard; baseline:
   the same calls with the case, assignment and flag tables' secondary indexes dropped (in a transaction rolled back).
   Where no index serves the list's order (days left on the statutory clock) the rows are timed again with one.
   Target p95 < 300 ms.

The database is dropped at the end unless --keep; --reuse measures a kept database without generating again.
Generation time at 1,000,000 cases: see the README figures (printed by each run).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlparse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))

DB_NAME = "sj_bench_enforcement"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
CASE_TYPE = "enforcement.enforcementcase"
PASSWORD = "!bench-unusable"  # an unusable password hash: generated officers never sign in

# Relative case volume per city (population and economy, roughly): 广州, 深圳, 东莞, 佛山 carry most of the load.
CITY_WEIGHT = {
    "4401": 18, "4402": 3, "4403": 18, "4404": 3, "4405": 5, "4406": 10, "4407": 5, "4408": 6, "4409": 5,
    "4412": 4, "4413": 6, "4414": 4, "4415": 3, "4416": 3, "4417": 3, "4418": 4, "4419": 10, "4420": 4,
    "4451": 3, "4452": 5, "4453": 3,
}  # fmt: skip
CITY_DOMAINS = [
    "market_regulation", "ecology_environment", "urban_management", "transport", "emergency_management",
    "agriculture", "culture_tourism", "human_resources", "health", "natural_resources",
]  # fmt: skip
COUNTY_DOMAINS = ["market_regulation", "urban_management", "transport", "emergency_management", "agriculture",
                  "culture_tourism", "natural_resources"]  # fmt: skip
AGENCY_NAMES = {
    "market_regulation": "市场监督管理局", "ecology_environment": "生态环境局", "urban_management": "城市管理和综合执法局",
    "transport": "交通运输局", "emergency_management": "应急管理局", "agriculture": "农业农村局",
    "culture_tourism": "文化广电旅游体育局", "human_resources": "人力资源和社会保障局", "health": "卫生健康局",
    "natural_resources": "自然资源局",
}  # fmt: skip
# Penalty items per domain: (name, fine lower, fine upper) — the shape of real 权责清单 entries.
ITEMS = {
    "market_regulation": [("销售不符合食品安全标准的食品", 50_000, 100_000), ("未取得食品经营许可从事食品经营", 5_000, 100_000),
                          ("虚假宣传", 200_000, 1_000_000), ("价格违法行为", 5_000, 500_000), ("无照经营", 1_000, 100_000),
                          ("计量器具不合格", 1_000, 10_000), ("侵害消费者权益", 10_000, 500_000)],
    "ecology_environment": [("超标排放大气污染物", 100_000, 1_000_000), ("未批先建", 50_000, 200_000),
                            ("危险废物贮存不规范", 100_000, 1_000_000), ("噪声污染扰民", 2_000, 20_000)],
    "urban_management": [("违法占道经营", 50, 5_000), ("擅自设置户外广告", 1_000, 10_000), ("乱倒建筑垃圾", 5_000, 50_000),
                         ("违法建设", 10_000, 200_000), ("损坏绿化", 200, 5_000)],
    "transport": [("无证从事道路运输经营", 10_000, 100_000), ("超限运输", 500, 30_000), ("出租车拒载", 200, 2_000),
                  ("网约车未取得许可", 5_000, 30_000)],
    "emergency_management": [("未按规定开展安全生产培训", 10_000, 50_000), ("未落实隐患排查", 20_000, 100_000),
                             ("危险化学品储存违规", 50_000, 200_000)],
    "agriculture": [("销售假劣农药", 5_000, 50_000), ("违规使用兽药", 10_000, 50_000), ("非法捕捞", 500, 50_000)],
    "culture_tourism": [("未经许可经营网吧", 10_000, 100_000), ("旅行社违规经营", 10_000, 50_000),
                        ("娱乐场所违规接纳未成年人", 5_000, 30_000)],
    "human_resources": [("拖欠劳动者工资", 2_000, 20_000), ("违法使用童工", 5_000, 50_000)],
    "health": [("医疗机构未经许可执业", 10_000, 100_000), ("公共场所卫生不合格", 500, 20_000)],
    "natural_resources": [("非法占用土地", 10_000, 500_000), ("无证采矿", 50_000, 500_000)],
}  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁龙林欣晨"
TRADES = [
    "宏达",
    "兴业",
    "恒信",
    "华盛",
    "鑫源",
    "嘉禾",
    "粤海",
    "南方",
    "珠江",
    "岭南",
    "金穗",
    "海川",
    "友邦",
    "利丰",
]
INDUSTRIES = [
    "贸易",
    "餐饮管理",
    "建筑工程",
    "物流",
    "科技",
    "食品",
    "环保科技",
    "运输",
    "文化传播",
    "五金制品",
]
ROADS = [
    "中山路",
    "解放路",
    "人民路",
    "建设路",
    "环城路",
    "新华路",
    "东风路",
    "滨江路",
    "工业大道",
    "迎宾大道",
]
ANOMALY_RATE = 0.004  # share of cases given each crafted anomaly


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        url = DEFAULT_SERVER
    return url


def _database_url(server: str) -> str:
    return urlparse(server)._replace(path=f"/{DB_NAME}").geturl()


def _admin(server: str, statement: str) -> None:
    import psycopg

    admin = urlparse(server)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(statement)


def _database_exists(server: str) -> bool:
    import psycopg

    admin = urlparse(server)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone())


# --- COPY ------------------------------------------------------------------------------------------------------


def _text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    elif not isinstance(value, str):
        return str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


class Table:
    """A model's table filled by COPY: every concrete column, the model's defaults where a row gives no value."""

    def __init__(self, model, **fixed):
        from django.db.models import NOT_PROVIDED

        self.model = model
        self.columns = [f.column for f in model._meta.concrete_fields]
        template = []
        for f in model._meta.concrete_fields:
            if f.column in fixed:
                template.append(_text(fixed[f.column]))
            elif f.has_default() and f.default is not NOT_PROVIDED:
                template.append(_text(f.get_default()))
            elif f.null:
                template.append("\\N")
            elif f.get_internal_type() in ("DateTimeField",):
                template.append(_text(NOW.isoformat()))
            else:
                template.append("")  # blank strings for CharFields without a default
        self.template = template
        self.index = {c: i for i, c in enumerate(self.columns)}
        self.buffer: list[str] = []
        self.rows = 0

    def add(self, **values) -> None:
        row = self.template.copy()
        index = self.index
        for column, value in values.items():
            row[index[column]] = _text(value)
        self.buffer.append("\t".join(row))
        self.rows += 1
        if len(self.buffer) >= 50_000:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        from django.db import connection

        data = ("\n".join(self.buffer) + "\n").encode()
        self.buffer = []
        columns = ", ".join(f'"{c}"' for c in self.columns)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f'COPY "{self.model._meta.db_table}" ({columns}) FROM STDIN') as copy,
        ):
            copy.write(data)

    def next_id(self) -> int:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{self.model._meta.db_table}"')
            return cursor.fetchone()[0]


NOW = datetime.now(UTC)
TODAY = NOW.date()


def _reset_sequences(models) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)'
            )


BIG_TABLES = (
    "enforcement_party",
    "enforcement_enforcementcase",
    "core_assignment",
    "enforcement_casepayment",
)


def _drop_indexes(tables) -> list[str]:
    """Drop the tables' foreign keys, unique constraints and secondary indexes; returns the statements that restore
    them (indexes first, then constraints)."""
    from django.db import connection

    indexes, constraints = [], []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
                [table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                constraints.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary",
                [table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')
                indexes.append(definition)
    return indexes + constraints


def _restore_indexes(statements: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# --- generation --------------------------------------------------------------------------------------------------


class Generator:
    """Everything the checks join, generated in dependency order with ids chosen here (so no read-back)."""

    def __init__(self, cases: int, seed: int = 2026):
        from smartjustice.core.models import Jurisdiction

        self.n = cases
        self.rng = random.Random(seed)
        self.timings: dict[str, float] = {}
        self.anomalies: dict[str, int] = {}
        self.province = Jurisdiction.objects.get(code="440000000000")
        self.cities = list(Jurisdiction.objects.filter(level=2, code__startswith="44").order_by("code"))
        counties = Jurisdiction.objects.filter(level=3, code__startswith="44").order_by("code")
        self.counties_of: dict[str, list] = {}
        for county in counties:
            self.counties_of.setdefault(county.code[:4], []).append(county)

    def timed(self, label, function):
        started = time.perf_counter()
        result = function()
        self.timings[label] = time.perf_counter() - started
        print(f"  {label}: {self.timings[label]:.1f} 秒", flush=True)
        return result

    def run(self) -> None:
        from django.db import connection, transaction

        with transaction.atomic():
            self.timed("司法局与执法主体", self.organisations)
            self.timed("执法人员、账号与行政执法证", self.officers)
            self.timed("权责清单事项与处罚幅度", self.items)
            # The usual bulk load: the big tables' secondary indexes and constraints go, COPY runs, they come back
            # (rebuilt in one sorted pass each and validated set-based instead of row by row).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
                # The small tables' deferred checks run now, before the DDL below.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            saved = self.timed("去掉大表的索引和约束", lambda: _drop_indexes(BIG_TABLES))
            self.timed(f"当事人、{self.n:,} 件案件、承办人员指派与缴款（COPY）", self.cases)
            self.timed("重建索引、校验约束", lambda: _restore_indexes(saved))
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute("ANALYZE")
            self.timings["ANALYZE"] = time.perf_counter() - started

    # -- organisations --

    def organisations(self) -> None:
        from smartjustice.core import identity
        from smartjustice.core.models import Organisation

        table = Table(Organisation, created_at=NOW.isoformat(), updated_at=NOW.isoformat())
        next_id = table.next_id()
        self.bureaus: dict[str, int] = {}  # jurisdiction code → 司法局/司法厅 id
        self.agencies: list[tuple[int, str, str, str]] = []  # (id, jurisdiction code, domain, name)
        rng = self.rng

        def add(j, name, kind, parent=None, domain=""):
            nonlocal next_id
            region = j.code[:6] if j.level >= 3 else (j.code[:4] + "00")
            uscc = identity.generate_uscc(rng, region_code=region, department="1", category="1")
            table.add(
                id=next_id, name=name, kind=kind, jurisdiction_id=j.code, parent_id=parent,
                enforcement_domain=domain, domains=[domain] if domain else [], uscc=uscc,
                address=f"{j.full_name or j.name}{rng.choice(ROADS)}{rng.randint(1, 300)}号",
                phone=f"020-{rng.randint(2, 8)}{rng.randrange(10**7):07d}",
            )  # fmt: skip
            next_id += 1
            return next_id - 1

        self.bureaus[self.province.code] = add(self.province, "广东省司法厅（基准）", "justice_department")
        self.weights: list[float] = []
        for city in self.cities:
            prefix = city.code[:4]
            self.bureaus[city.code] = add(
                city, f"{city.name}司法局", "justice_bureau", parent=self.bureaus[self.province.code]
            )
            counties = self.counties_of.get(prefix, [])
            city_weight = CITY_WEIGHT.get(prefix, 3)
            # City agencies handle about a fifth of a city's cases (all of it where there are no counties).
            city_share = city_weight * (0.2 if counties else 1.0)
            for domain in CITY_DOMAINS:
                agency = add(city, f"{city.name}{AGENCY_NAMES[domain]}", "enforcement_agency", domain=domain)
                self.agencies.append((agency, city.code, domain, f"{city.name}{AGENCY_NAMES[domain]}"))
                self.weights.append(
                    city_share / len(CITY_DOMAINS) * (3 if domain in COUNTY_DOMAINS[:2] else 1)
                )
            for county in counties:
                display = f"{city.name}{county.name}" if county.name.endswith("区") else county.name
                self.bureaus[county.code] = add(
                    county, f"{display}司法局", "justice_bureau", parent=self.bureaus[city.code]
                )
                for domain in COUNTY_DOMAINS:
                    name = f"{display}{AGENCY_NAMES[domain]}"
                    agency = add(county, name, "enforcement_agency", domain=domain)
                    self.agencies.append((agency, county.code, domain, name))
                    self.weights.append(
                        city_weight * 0.8 / len(counties) / len(COUNTY_DOMAINS)
                        * (3 if domain in COUNTY_DOMAINS[:2] else 1)
                    )  # fmt: skip
        table.flush()

    # -- officers and certificates --

    def officers(self) -> None:
        from smartjustice.core.models import User
        from smartjustice.credentials.models import Credential
        from smartjustice.enforcement.models import EnforcementOfficer

        stamp = NOW.isoformat()
        users = Table(
            User, password=PASSWORD, kind="staff", created_at=stamp, updated_at=stamp, date_joined=stamp
        )
        credentials = Table(
            Credential, created_at=stamp, updated_at=stamp, type_code="administrative_enforcement_certificate",
            algorithm="SM2", key_id="bench", status_list_sequence=0,
        )  # fmt: skip
        officers = Table(EnforcementOfficer, created_at=stamp, updated_at=stamp)
        user_id, credential_id, officer_id = users.next_id(), credentials.next_id(), officers.next_id()
        rng = self.rng
        # Per agency: officer user ids whose certificate is valid, and those whose certificate is not.
        self.valid_officers: dict[int, list[int]] = {}
        self.invalid_officers: dict[int, list[int]] = {}
        total = sum(self.weights)
        invalid_states = 0
        for (agency, code, domain, _name), weight in zip(self.agencies, self.weights, strict=True):
            count = max(4, min(80, round(weight / total * self.n / 150)))
            issuer = self.bureaus[code[:4] + "00000000"] if code[4:6] != "00" else self.bureaus[code]
            for number in range(count):
                name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
                users.add(
                    id=user_id, username=f"bench_officer_{user_id}", real_name=name, organisation_id=agency,
                    jurisdiction_id=code, title="执法队员",
                )  # fmt: skip
                roll = rng.random() if number >= 3 else 1.0  # every agency keeps three certified officers
                valid_from = NOW - timedelta(days=rng.randint(200, 1500))
                valid_until = valid_from + timedelta(days=5 * 365)
                status = "active"
                if roll < 0.03:
                    valid_until = NOW - timedelta(days=rng.randint(1, 300))  # expired
                elif roll < 0.045:
                    status = "suspended"
                elif roll < 0.06:
                    status = "revoked"
                ok = status == "active" and valid_until > NOW
                invalid_states += not ok
                credentials.add(
                    id=credential_id, credential_id=f"urn:bench:{credential_id}", number=f"粤执{credential_id:08d}",
                    issuer_id=issuer, jurisdiction_id=code, holder_id=user_id, subject_name=name,
                    claims={"enforcementArea": code, "enforcementDomain": domain}, valid_from=valid_from.isoformat(),
                    valid_until=valid_until.isoformat(), status=status, status_index=credential_id,
                    issued_by_id=None,
                )  # fmt: skip
                officers.add(
                    id=officer_id, user_id=user_id, agency_id=agency, domains=[domain], jurisdiction_id=code,
                    credential_id=credential_id, training_hours={str(TODAY.year): rng.randint(20, 80)},
                )  # fmt: skip
                (self.valid_officers if ok else self.invalid_officers).setdefault(agency, []).append(user_id)
                user_id, credential_id, officer_id = user_id + 1, credential_id + 1, officer_id + 1
        users.flush()
        credentials.flush()
        officers.flush()
        self.anomalies["持证无效的执法人员（过期、暂停、吊销）"] = invalid_states
        self.counts = {"执法人员": officers.rows}

    # -- power list --

    def items(self) -> None:
        from smartjustice.core.models import Organisation
        from smartjustice.enforcement.models import EnforcementItem, ItemSanction

        stamp = NOW.isoformat()
        items = Table(EnforcementItem, created_at=stamp, updated_at=stamp, item_type="penalty", status="published",
                      basis_status="valid", published_at=stamp, levels=["city", "county"])  # fmt: skip
        sanctions = Table(ItemSanction, unit="元")
        item_id, sanction_id = items.next_id(), sanctions.next_id()
        first_org = Organisation.objects.filter(kind="enforcement_agency").order_by("id")
        owner = {domain: first_org.filter(enforcement_domain=domain).values_list("id", flat=True).first()
                 for domain in ITEMS}  # fmt: skip
        self.items_of: dict[str, list[tuple[int, str, int, int]]] = {}
        for domain, entries in ITEMS.items():
            for number, (name, lower, upper) in enumerate(entries, start=1):
                items.add(id=item_id, code=f"BENCH-{domain}-{number:03d}", name=f"对{name}的行政处罚",
                          domain=domain, organisation_id=owner[domain])  # fmt: skip
                sanctions.add(id=sanction_id, item_id=item_id, kind="罚款", lower=lower, upper=upper)
                sanctions.add(id=sanction_id + 1, item_id=item_id, kind="警告、通报批评")
                self.items_of.setdefault(domain, []).append((item_id, name, lower, upper))
                item_id, sanction_id = item_id + 1, sanction_id + 2
        items.flush()
        sanctions.flush()

    # -- parties, cases, assignments, payments --

    def cases(self) -> None:  # noqa: C901 — one pass keeps the dates of a case consistent
        from smartjustice.core import identity
        from smartjustice.core.models import Assignment
        from smartjustice.enforcement.models import CasePayment, EnforcementCase, Party

        stamp = NOW.isoformat()
        parties = Table(Party, created_at=stamp, updated_at=stamp)
        cases = Table(EnforcementCase, created_at=stamp, updated_at=stamp)
        assignments = Table(Assignment, object_type=CASE_TYPE, role="handler")
        payments = Table(CasePayment, kind="fine")
        party_id, case_id = parties.next_id(), cases.next_id()
        assignment_id, payment_id = assignments.next_id(), payments.next_id()
        self.first_case_id = case_id
        rng = self.rng
        anomalies = self.anomalies
        for key in ("逾期未结（立案超过九十日仍在办）", "罚款超出事项法定幅度", "仅一名执法人员承办", "承办人无有效行政执法证",
                    "同一违法行为两次罚款", "当场处罚超出第五十一条限额", "逾期未缴罚款", "须法制审核而未审核即决定", "未告知听证权利"):  # fmt: skip
            anomalies.setdefault(key, 0)
        # Cases per agency from the weights; a party pool per agency (repeat offenders are common).
        total = sum(self.weights)
        shares = [w / total * self.n for w in self.weights]
        per_agency = [int(share) for share in shares]
        by_remainder = sorted(range(len(shares)), key=lambda i: per_agency[i] - shares[i])
        for i in by_remainder[: self.n - sum(per_agency)]:  # largest remainders: exactly n cases in all
            per_agency[i] += 1
        start = date(2024, 1, 1)
        span = (TODAY - start).days
        sequence: dict[tuple[str, int], int] = {}
        ids = {"person": 0, "organisation": 0}
        for (agency, code, domain, agency_name), count in zip(self.agencies, per_agency, strict=True):
            if count <= 0:
                continue
            region = code[:6] if code[4:6] != "00" else code[:4] + "00"
            pool, seen = [], set()
            for _ in range(max(1, count // 3)):
                person = rng.random() < 0.55
                if person:
                    ids["person"] += 1
                    born = date(1950 + rng.randrange(55), 1 + rng.randrange(12), 1 + rng.randrange(28))
                    id_number = identity.generate_citizen_id(rng, region_code=region, birth_date=born,
                                                             sex=rng.choice("男女"))  # fmt: skip
                    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
                    representative = ""
                else:
                    ids["organisation"] += 1
                    id_number = identity.generate_uscc(rng, region_code=region, department="9", category="1")
                    name = f"{agency_name[:3]}{rng.choice(TRADES)}{rng.choice(INDUSTRIES)}有限公司{party_id % 97}"
                    representative = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
                if id_number in seen:  # the same person drawn twice: one party per agency and ID number
                    continue
                seen.add(id_number)
                parties.add(
                    id=party_id, agency_id=agency, jurisdiction_id=code, kind="person" if person else "organisation",
                    name=name, id_number=id_number, legal_representative=representative,
                    phone=f"13{rng.randrange(10**9):09d}", address=f"{rng.choice(ROADS)}{rng.randint(1, 500)}号",
                )  # fmt: skip
                pool.append((party_id, person, id_number))
                party_id += 1
            valid = self.valid_officers[agency]
            invalid = self.invalid_officers.get(agency, [])
            items = self.items_of[domain]
            recent: list[
                tuple
            ] = []  # this agency's last fined conducts (key, party, item, date), to repeat one
            for _ in range(count):
                party, person, id_number = rng.choice(pool)
                item_id, item_name, lower, upper = rng.choice(items)
                discovered = start + timedelta(days=int(span * rng.random() ** 0.8))
                age = (TODAY - discovered).days
                row = {
                    "id": case_id, "agency_id": agency, "jurisdiction_id": code, "domain": domain,
                    "item_id": item_id, "party_id": party, "cause": f"涉嫌{item_name}",
                    "facts": f"经查，当事人涉嫌{item_name}。", "location": f"{rng.choice(ROADS)}{rng.randint(1, 500)}号",
                    "source": rng.choice(("lead", "lead", "complaint", "complaint", "referral", "inspection")),
                    "occurred_on": discovered - timedelta(days=rng.randint(0, 20)), "discovered_on": discovered,
                }  # fmt: skip
                handlers = 2
                fined = False
                limit = 200 if person else 3000
                # 当场处罚 (第五十一条) only where the item's range reaches down to the on-the-spot limit.
                spot = [entry for entry in items if entry[2] <= limit]
                simplified = bool(spot) and rng.random() < 0.15
                if simplified:
                    item_id, item_name, lower, upper = rng.choice(spot)
                    row.update(
                        item_id=item_id, cause=f"涉嫌{item_name}", facts=f"经查，当事人涉嫌{item_name}。"
                    )
                    fine = rng.choice(
                        [f for f in ((50, 100, 200) if person else (500, 1000, 2000, 3000)) if f >= lower]
                    )
                    if rng.random() < ANOMALY_RATE:
                        fine = limit * rng.choice((2, 5))
                        anomalies["当场处罚超出第五十一条限额"] += 1
                    year = discovered.year
                    sequence[(region, year)] = number = sequence.get((region, year), 0) + 1
                    status = (
                        "archived"
                        if age > 120
                        else "closed"
                        if age > 30
                        else "executed"
                        if age > 10
                        else "served"
                    )
                    row.update(
                        procedure="simplified", status=status, source="on_site", filed_on=discovered,
                        decided_on=discovered, served_on=discovered, service_method="on_the_spot",
                        number=f"粤{region}简〔{year}〕{case_id}号", decision_number=f"{region}当罚〔{year}〕{number}号",
                        fine_amount=fine, payment_due_on=discovered + timedelta(days=15),
                    )  # fmt: skip
                    if status == "served":
                        row.update(clock_code="payment", clock_started_on=discovered,
                                   clock_due_on=discovered + timedelta(days=15))  # fmt: skip
                    if status != "served":
                        row.update(
                            paid_amount=fine, executed_on=discovered + timedelta(days=rng.randint(0, 14))
                        )
                    if status in ("closed", "archived"):
                        row["closed_on"] = row["executed_on"] + timedelta(days=1)
                    if status == "archived":
                        row["archived_on"] = row["closed_on"] + timedelta(days=30)
                    fined = True
                else:
                    # An ordinary case walks its stages; where it stands today follows from how long each took.
                    roll = rng.random()
                    filed = discovered + timedelta(days=rng.randint(1, 15))
                    if filed > TODAY:
                        # 立案核查: fifteen working days from discovery (about three weeks).
                        row.update(status="lead", clock_code="filing", clock_started_on=discovered,
                                   clock_due_on=discovered + timedelta(days=21))  # fmt: skip
                        handlers = 0
                    elif roll < 0.04:
                        row.update(status="not_filed")
                        handlers = 0
                    else:
                        year = filed.year
                        row.update(filed_on=filed, number=f"粤{region}罚立〔{year}〕{case_id}号")
                        fine = min(
                            upper,
                            max(lower, round((lower + (upper - lower) * rng.random() ** 2) / 100) * 100),
                        )
                        if rng.random() < ANOMALY_RATE:
                            fine = upper * 2 if rng.random() < 0.5 else max(1, lower // 2)
                            anomalies["罚款超出事项法定幅度"] += 1
                        grave = fine >= 200_000 and rng.random() < 0.5
                        # 第六十三条 with Guangdong's 较大数额 (5,000 yuan for a person, 50,000 for an organisation):
                        # the hearing right, and with it 法制审核 (第五十八条 as enforcement/penalties.py applies it).
                        right = fine >= (5_000 if person else 50_000)
                        review = right or grave
                        offered = right and not (rng.random() < ANOMALY_RATE / 2)
                        hearing = offered and rng.random() < 0.3
                        anomalies["未告知听证权利"] += right and not offered
                        stuck = rng.random() < ANOMALY_RATE * 2
                        investigated = filed + timedelta(days=rng.randint(15, 60 if not stuck else 400))
                        reviewed = (
                            investigated + timedelta(days=rng.randint(2, 7)) if review else investigated
                        )
                        notified = reviewed + timedelta(days=rng.randint(1, 3))
                        heard = notified + timedelta(days=rng.randint(10, 20)) if hearing else notified
                        discussed = heard + timedelta(days=rng.randint(3, 10)) if grave else heard
                        decided = discussed + timedelta(days=rng.randint(3, 8))
                        served = decided + timedelta(days=rng.randint(0, 7))
                        late = rng.random() < ANOMALY_RATE * 3
                        executed = served + timedelta(
                            days=rng.randint(3, 15) if not late else rng.randint(40, 200)
                        )
                        closed = executed + timedelta(days=rng.randint(2, 10))
                        archived = closed + timedelta(days=rng.randint(20, 60))
                        row.update(fine_amount=fine, legal_review_required=review, grave=grave,
                                   legal_basis=f"依据事项{item_id}的法定依据", discretion_grade="ordinary")  # fmt: skip
                        dropped = roll < 0.07
                        if dropped:
                            row.update(fine_amount=None, legal_review_required=False, grave=False)
                            stages = [("investigating", filed), ("dropped", investigated),
                                      ("closed", investigated + timedelta(days=5))]  # fmt: skip
                        else:
                            stages = [("investigating", filed)]
                            stages += [("legal_review", investigated)] if review else []
                            stages += [("notified", notified)]
                            stages += [("hearing", notified + timedelta(days=5))] if hearing else []
                            stages += [("discussion", heard)] if grave else []
                            stages += [("decided", decided), ("served", served), ("executed", executed),
                                       ("closed", closed), ("archived", archived)]  # fmt: skip
                        reached = {name: on for name, on in stages if on <= TODAY}
                        row["status"] = status = [name for name, on in stages if on <= TODAY][-1]
                        fined = "decided" in reached
                        if dropped and status == "closed":
                            row["closed_on"] = reached["closed"]
                        if "notified" in reached:
                            if review:
                                skipped = fined and rng.random() < ANOMALY_RATE / 2
                                row.update(legal_review_passed=None if skipped else True, reviewed_on=None
                                           if skipped else reviewed, legal_review_opinion="" if skipped
                                           else "事实清楚，证据确凿，适用依据正确，程序合法，处罚适当。")  # fmt: skip
                                anomalies["须法制审核而未审核即决定"] += skipped
                            row.update(notified_on=notified, notice_number=f"{region}罚告〔{year}〕{case_id}号",
                                       hearing_offered=offered, statement_waived=rng.random() < 0.6)  # fmt: skip
                        if "hearing" in reached:
                            row.update(hearing_requested_on=notified + timedelta(days=3), hearing_on=heard,
                                       hearing_record="当事人到场陈述申辩，执法人员出示证据。" if heard <= TODAY else "")  # fmt: skip
                        if "discussion" in reached and discussed <= TODAY:
                            row.update(
                                discussed_on=discussed, discussion_record="经集体讨论，同意拟处罚意见。"
                            )
                        if fined:
                            sequence[(region, decided.year)] = number = (
                                sequence.get((region, decided.year), 0) + 1
                            )
                            row.update(
                                decided_on=decided,
                                decision_number=f"{region}罚决〔{decided.year}〕{number}号",
                            )
                        if "served" in reached:
                            row.update(served_on=served, service_method="in_person",
                                       payment_due_on=served + timedelta(days=15))  # fmt: skip
                            if status == "served" and served + timedelta(days=15) < TODAY:
                                anomalies["逾期未缴罚款"] += 1
                                days = (TODAY - served - timedelta(days=15)).days
                                row["surcharge_amount"] = min(fine, round(fine * 0.03 * days, 2))
                        if "executed" in reached:
                            row.update(executed_on=executed, paid_amount=fine)
                            if late:
                                anomalies["逾期未缴罚款"] += 1
                                days = (executed - served - timedelta(days=15)).days
                                row["surcharge_amount"] = surcharge = min(fine, round(fine * 0.03 * days, 2))
                                row["paid_amount"] = fine + surcharge
                        if "closed" in reached and not dropped:
                            row["closed_on"] = closed
                        if "archived" in reached:
                            row["archived_on"] = archived
                        # Clocks as enforcement/case_workflow.py runs them: 第六十条 (decide within 90 days of filing)
                        # while open, 第六十一条 (serve within 7 days), then the 15-day payment term.
                        if status in ("investigating", "legal_review", "notified", "hearing", "discussion"):
                            row.update(clock_code="decision", clock_started_on=filed,
                                       clock_due_on=filed + timedelta(days=90))  # fmt: skip
                            if filed + timedelta(days=90) < TODAY:
                                anomalies["逾期未结（立案超过九十日仍在办）"] += 1
                        elif status == "decided":
                            row.update(clock_code="service", clock_started_on=decided,
                                       clock_due_on=decided + timedelta(days=7))  # fmt: skip
                        elif status == "served":
                            row.update(clock_code="payment", clock_started_on=served,
                                       clock_due_on=served + timedelta(days=15))  # fmt: skip
                if fined:
                    key = hashlib.sha256(f"{id_number}|{item_id}|{row['occurred_on']}".encode()).hexdigest()
                    if recent and rng.random() < ANOMALY_RATE / 2:
                        # The same conduct of the same party fined again by another case: 一事不再罚 (第二十九条).
                        key, row["party_id"], row["item_id"], row["occurred_on"] = rng.choice(recent)
                        anomalies["同一违法行为两次罚款"] += 1
                    else:
                        recent.append((key, row["party_id"], row["item_id"], row["occurred_on"]))
                        del recent[:-50]
                    row["conduct_key"] = key
                    revoked = row["decided_on"] + timedelta(days=rng.randint(20, 120))
                    if rng.random() < 0.002 and revoked <= TODAY:
                        row.update(
                            revoked_on=revoked,
                            revocation_reason="经行政复议，原处罚决定认定事实不清，予以撤销",
                        )
                if handlers == 2 and rng.random() < ANOMALY_RATE:
                    handlers = 1
                    anomalies["仅一名执法人员承办"] += 1
                if handlers:
                    chosen = rng.sample(valid, min(handlers, len(valid)))
                    if invalid and rng.random() < ANOMALY_RATE:
                        chosen[-1] = rng.choice(invalid)
                        anomalies["承办人无有效行政执法证"] += 1
                    assigned_at = datetime.combine(
                        row.get("filed_on") or discovered, datetime.min.time(), UTC
                    )
                    for user in chosen:
                        assignments.add(id=assignment_id, object_id=str(case_id), user_id=user, jurisdiction_code=code,
                                        assigned_at=assigned_at.isoformat())  # fmt: skip
                        assignment_id += 1
                    if row.get("legal_review_passed"):
                        reviewer = next(u for u in valid if u not in chosen)
                        assignments.add(id=assignment_id, object_id=str(case_id), user_id=reviewer, role="reviewer",
                                        jurisdiction_code=code, assigned_at=assigned_at.isoformat())  # fmt: skip
                        assignment_id += 1
                if row.get("executed_on") and row.get("paid_amount"):
                    payments.add(id=payment_id, case_id=case_id, amount=row["paid_amount"], due_on=row["payment_due_on"],
                                 paid_on=row["executed_on"], receipt_number=f"GD{payment_id:012d}",
                                 recorded_by_id=valid[0])  # fmt: skip
                    payment_id += 1
                cases.add(**row)
                case_id += 1
        for table in (parties, cases, assignments, payments):
            table.flush()
        self.counts.update({"当事人": parties.rows, "案件": cases.rows, "承办人员指派": assignments.rows,
                            "缴款记录": payments.rows})  # fmt: skip


def generate(cases: int) -> Generator:
    from smartjustice.core.models import Assignment, Organisation, User
    from smartjustice.credentials.models import Credential
    from smartjustice.enforcement.models import (
        CasePayment,
        EnforcementCase,
        EnforcementItem,
        EnforcementOfficer,
        ItemSanction,
        Party,
    )

    generator = Generator(cases)
    generator.run()
    _reset_sequences([Organisation, User, Credential, EnforcementOfficer, EnforcementItem, ItemSanction, Party,
                      EnforcementCase, Assignment, CasePayment])  # fmt: skip
    return generator


# --- the people whose lists and dashboards are timed ---------------------------------------------------------------


def _role_for(*permissions: str, prefer: str) -> list[str]:
    """The role codes that together grant `permissions` (the preferred one where it grants them all)."""
    from fnmatch import fnmatchcase

    from smartjustice.core import access

    definitions = access.role_definitions()

    def grants(code, perm):
        return any(fnmatchcase(perm, pattern) for pattern in definitions.get(code, {}).get("permissions", []))

    if all(grants(prefer, p) for p in permissions):
        return [prefer]
    codes = []
    for perm in permissions:
        granting = sorted(access.roles_granting(perm))
        if granting and not any(c in codes for c in granting):
            codes.append(granting[0])
    return codes or [prefer]


def bench_users(generator: Generator | None) -> dict:
    """A county officer (天河区 market regulator), a city supervisor (广州市司法局) and the province supervisor."""
    from smartjustice.core.models import Organisation, Role, User

    wanted = {
        "county_officer": ("bench_county_officer", "440106000000", "enforcement_agency", "market_regulation"),
        "city_supervisor": ("bench_city_supervisor", "440100000000", "justice_bureau", ""),
        "province_supervisor": ("bench_province_supervisor", "440000000000", "justice_department", ""),
    }
    roles = {
        "county_officer": _role_for("enforcement.view_enforcementcase", "enforcement.change_enforcementcase",
                                    prefer="enforcement_officer"),
        "city_supervisor": _role_for("enforcement.view_enforcementcase", "enforcement.supervise_enforcementcase",
                                     prefer="enforcement_supervisor"),
        "province_supervisor": _role_for("enforcement.view_enforcementcase", "enforcement.supervise_enforcementcase",
                                         prefer="enforcement_supervisor"),
    }  # fmt: skip
    users = {}
    for key, (username, code, kind, domain) in wanted.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            orgs = Organisation.objects.filter(kind=kind, jurisdiction_id=code)
            if domain:
                orgs = orgs.filter(enforcement_domain=domain)
            org = orgs.order_by("id").first()
            stamp = NOW.isoformat()
            table = Table(User, password=PASSWORD, kind="staff", created_at=stamp, updated_at=stamp,
                          date_joined=stamp)  # fmt: skip
            pk = table.next_id()
            table.add(id=pk, username=username, real_name="基准用户", organisation_id=org.pk,
                      jurisdiction_id=org.jurisdiction_id)  # fmt: skip
            table.flush()
            _reset_sequences([User])
            user = User.objects.get(pk=pk)
            through = User.roles.through
            through.objects.bulk_create(
                through(user_id=pk, role_id=role.pk) for role in Role.objects.filter(code__in=roles[key])
            )
        users[key] = User.objects.get(pk=user.pk)
    return users


# --- timing ---------------------------------------------------------------------------------------------------------


def _percentiles(function, samples: int) -> tuple[float, float, float]:
    """p50, p95 and max in milliseconds over `samples` calls after one warm-up call (five calls where one takes
    over two seconds: the figure is then far off the target anyway)."""
    started = time.perf_counter()
    function()
    if time.perf_counter() - started > 2:
        samples = min(samples, 5)
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))], times[-1]


class IndexesDropped:
    """The naive baseline for lists: the case table without its secondary indexes (dropped in a transaction that is
    rolled back, so the database is as before)."""

    def __enter__(self):
        from django.db import connection, transaction

        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                   JOIN pg_class t ON t.oid = x.indrelid
                   WHERE t.relname IN ('enforcement_enforcementcase', 'core_assignment', 'supervision_supervisionflag')
                   AND NOT x.indisprimary
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"""
            )
            self.dropped = [name for (name,) in cursor.fetchall()]
            for name in self.dropped:
                cursor.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, *exc):
        from django.db import transaction

        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        return False


def measure_scan(n: int, sample: int) -> dict:
    """The full supervision scan and its naive baseline. The baseline (a Python loop asking each rule about each
    case) runs on an evenly spread sample of cases and is extrapolated linearly; the fast scan runs on the same sample
    too, and both must find the same (rule, case) pairs there."""
    from unittest import mock

    from django.db.models import F

    from smartjustice.supervision import checks

    started = time.perf_counter()
    found = checks.scan(today=TODAY, write=False)
    fast = time.perf_counter() - started
    print(
        f"  scan（集合查询，只检查）：{fast:8.2f} 秒，{n:,} 件案件（目标 < 60 秒）{'✔' if fast < 60 else '✘'}"
    )
    print(f"      {found.summary()}")
    started = time.perf_counter()
    written = checks.scan(today=TODAY, write=True)
    fast_write = time.perf_counter() - started
    print(f"  scan（检查并写入预警）：{fast_write:8.2f} 秒；{written.summary()}")

    step = max(1, n // sample)
    sampled = checks.EnforcementCase._base_manager.alias(spread=F("pk") % step).filter(spread=0).order_by()
    with mock.patch.object(checks, "_cases", lambda: sampled):
        count = sampled.count()
        started = time.perf_counter()
        fast_sample = checks.scan(today=TODAY, write=False)
        fast_sample_s = time.perf_counter() - started
        started = time.perf_counter()
        naive_sample = checks.scan_naive(today=TODAY, write=False)
        naive_s = time.perf_counter() - started
    same = naive_sample.pairs() == fast_sample.pairs()
    extrapolated = naive_s * n / max(count, 1)
    print(f"  scan_naive（逐案逐条检查）：抽样 {count:,} 件（每 {step} 件取 1）实测 {naive_s:.2f} 秒，"
          f"按件数外推 {n:,} 件约 {extrapolated:,.0f} 秒（{extrapolated / 3600:.1f} 小时）")  # fmt: skip
    print(f"      同一抽样上 scan {fast_sample_s:.2f} 秒；结果{'一致' if same else '不一致！'}"
          f"（{len(naive_sample.pairs()):,} 项）；全量 scan 比外推基线快 {extrapolated / fast:,.0f} 倍")  # fmt: skip
    return {"scan_s": fast, "scan_write_s": fast_write, "scan_naive_s": extrapolated, "same": same}


def measure_aggregate(year: int, n: int) -> dict:
    """The province's annual aggregation and its naive baseline (a Python loop over every case), same result."""
    from smartjustice.disclosure import queries

    started = time.perf_counter()
    fast_result = queries.province_aggregate(year)
    fast = time.perf_counter() - started
    total = fast_result["total"]
    print(f"  province_aggregate({year})：{fast:8.2f} 秒（目标 < 10 秒）{'✔' if fast < 10 else '✘'}；"
          f"{len(fast_result['cities'])} 个地级市，立案 {int(total.get('cases_filed', 0)):,}，"
          f"决定 {int(total.get('penalty_decisions', 0)):,}，罚款 {int(total.get('fine_total', 0)):,} 元")  # fmt: skip
    started = time.perf_counter()
    naive_result = queries.province_aggregate_naive(year)
    naive = time.perf_counter() - started
    same = naive_result == fast_result
    print(f"  province_aggregate_naive({year})（逐行 Python 汇总）：{naive:8.2f} 秒；提速 {naive / fast:,.1f} 倍；"
          f"结果{'一致' if same else '不一致！'}")  # fmt: skip
    return {"aggregate_s": fast, "aggregate_naive_s": naive, "same": same}


def _list_rows(user):
    """The first page of the case list: its 20 rows (with the related rows the list shows)."""
    from smartjustice.enforcement import case_queries

    return list(case_queries.list_cases(user)[:20])


def _list_count(user):
    """The total the pager shows under the list: counted up to core.pagination.COUNT_CAP (“10000+” beyond)."""
    from smartjustice.core.pagination import capped_count
    from smartjustice.enforcement import case_queries

    return capped_count(case_queries.list_cases(user))


def _visible(user) -> int:
    from smartjustice.enforcement import case_queries

    return case_queries.list_cases(user).count()


def measure_latencies(users: dict, samples: int, scan_s: float | None = None) -> dict:
    """p50/p95 of the list's first page (rows, then the pager's count) and of the dashboard, each against the same
    call with the secondary indexes dropped."""
    from smartjustice.supervision.queries import dashboard

    targets = []
    for key, title in (("county_officer", "县区执法人员"), ("city_supervisor", "市执法监督员"),
                       ("province_supervisor", "省执法监督员")):  # fmt: skip
        user = users[key]
        total = _visible(user)
        targets.append(
            (f"案件列表首页 20 行 · {title}（可见 {total:,} 件）", lambda user=user: _list_rows(user))
        )
        targets.append((f"案件列表总数（计至上限）· {title}", lambda user=user: _list_count(user)))
    for key, title in (("city_supervisor", "市"), ("province_supervisor", "省")):
        user = users[key]
        total = dashboard(user)["total"]
        targets.append(
            (f"监督看板 · {title}执法监督员（{total:,} 条预警）", lambda user=user: dashboard(user))
        )
    results = {}
    print(
        f"  enforcement.case_queries.list_cases（按剩余期限排序）与 supervision.queries.dashboard；每项 {samples} 次，毫秒"
    )
    print(f"  {'':48}{'p50':>8}{'p95':>8}{'max':>8}   基线（去掉二级索引）p50 / p95")
    fast = {title: _percentiles(function, samples) for title, function in targets}
    with IndexesDropped() as dropped:
        slow = {title: _percentiles(function, max(5, samples // 10)) for title, function in targets}
    for title, _function in targets:
        p50, p95, worst = fast[title]
        b50, b95, _ = slow[title]
        ok = "✔" if p95 < 300 else "✘"
        print(f"  {title:48}{p50:8.1f}{p95:8.1f}{worst:8.1f}   {b50:8.1f} / {b95:8.1f}  {ok}")
        results[title] = {"p50": p50, "p95": p95, "baseline_p50": b50, "baseline_p95": b95}
    print(
        f"  （目标 p95 < 300 毫秒；基线在事务中去掉案件表、指派表和预警表的 {len(dropped.dropped)} 个二级索引，测完回滚）"
    )
    _with_clock_order_index(targets, samples, results)
    if scan_s:
        print(
            f"  （看板读已存的预警；若不存预警、打开看板时现算，每次约等于一次全量 scan：{scan_s * 1000:,.0f} 毫秒）"
        )
    return results


CLOCK_ORDER = "(CASE WHEN clock_due_on IS NULL THEN 2 WHEN clock_paused_on IS NOT NULL THEN 1 ELSE 0 END)"


def _with_clock_order_index(targets, samples: int, results: dict) -> None:
    """The list is ordered by core.clocks.order_by_remaining (a CASE over the clock fields). Where no index serves that
    order yet, time the list rows again with one (created in a transaction that is rolled back): the figure the
    index proposed to the case list's owner would give."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_indexes WHERE tablename = 'enforcement_enforcementcase' AND indexdef LIKE '%%CASE WHEN%%'"
        )
        if cursor.fetchone():
            return
    rows = [(title, function) for title, function in targets if title.startswith("案件列表首页")]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE INDEX bench_clock_order ON enforcement_enforcementcase ({CLOCK_ORDER}, clock_due_on, id DESC)"
            )
            cursor.execute("ANALYZE enforcement_enforcementcase")
        indexed = {title: _percentiles(function, samples) for title, function in rows}
        transaction.set_rollback(True)
    print("  案件表尚无与“按剩余期限排序”相符的索引；加上后（事务内建索引，测完回滚）：")
    for title, (p50, p95, worst) in indexed.items():
        print(f"  {title:48}{p50:8.1f}{p95:8.1f}{worst:8.1f}   {'✔' if p95 < 300 else '✘'}")
        results[title]["with_index_p95"] = p95
    print(f"  （索引：{CLOCK_ORDER}, clock_due_on, id DESC）")


def _section(function, *args) -> dict:
    """One measurement; a failure is reported and the run goes on to the next."""
    from django.db import connection

    try:
        return function(*args)
    except Exception as error:  # noqa: BLE001 — a benchmark reports what broke and measures the rest
        print(f"  ✘ 失败：{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
        if connection.in_atomic_block:
            raise
        connection.close()
        return {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=int(os.environ.get("BENCH_CASES", 1_000_000)))
    parser.add_argument("--samples", type=int, default=60, help="timed calls per list or dashboard")
    parser.add_argument("--naive-sample", type=int, default=2_000, help="cases the naive scan runs on")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="measure a database kept by --keep, no generation"
    )
    args = parser.parse_args()

    server = _server_url()
    url = _database_url(server)
    if not (args.reuse and _database_exists(server)):
        _admin(server, f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        _admin(server, f'CREATE DATABASE "{DB_NAME}"')
        fresh = True
    else:
        fresh = False
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartjustice.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.DEBUG = False  # no per-query SQL log
    print(f"数据库：{connection.vendor} {DB_NAME}（{'新建' if fresh else '沿用'}）")
    status = 0
    try:
        generator = None
        if fresh:
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            call_command("load_jurisdictions", max_level=3, verbosity=0)
            print(f"迁移与行政区划：{time.perf_counter() - started:.1f} 秒")
            print(f"生成数据（COPY，{args.cases:,} 件案件）…", flush=True)
            started = time.perf_counter()
            generator = generate(args.cases)
            generation = time.perf_counter() - started
            print(f"生成完毕：{generation:.1f} 秒（含 ANALYZE {generator.timings['ANALYZE']:.1f} 秒）")
            for label, count in generator.counts.items():
                print(f"  {label}: {count:,}")
            print("  预置异常：")
            for label, count in generator.anomalies.items():
                print(f"    {label}: {count:,}")
        from smartjustice.enforcement.models import EnforcementCase

        n = EnforcementCase.objects.count()
        by_status = dict(
            EnforcementCase.objects.values_list("status").annotate(
                c=__import__("django").db.models.Count("id")
            )
        )
        print("  各阶段案件数：" + "，".join(f"{k} {v:,}" for k, v in sorted(by_status.items())))
        users = bench_users(generator)

        print(f"\n== 1. 全量执法监督扫描（{n:,} 件）==")
        scan = _section(measure_scan, n, args.naive_sample)
        print(f"\n== 2. 全省年度汇总（{TODAY.year - 1} 年）==")
        aggregate = _section(measure_aggregate, TODAY.year - 1, n)
        print("\n== 3. 列表与看板延迟 ==")
        latencies = _section(measure_latencies, users, args.samples, scan.get("scan_s"))
        met = (
            scan.get("scan_s", 1e9) < 60
            and scan.get("same")
            and aggregate.get("aggregate_s", 1e9) < 10
            and aggregate.get("same")
            and bool(latencies)
            and all(r["p95"] < 300 for r in latencies.values())
        )
        status = 0 if met else 1
        print(f"\n== 汇总（{n:,} 件案件，PostgreSQL，{connection.pg_version // 10000}）==")
        if scan:
            print(f"全量监督扫描 {scan['scan_s']:.1f} 秒（写入预警 {scan['scan_write_s']:.1f} 秒）；"
                  f"逐案基线约 {scan['scan_naive_s']:,.0f} 秒（抽样外推），{scan['scan_naive_s'] / scan['scan_s']:,.0f} 倍")  # fmt: skip
        if aggregate:
            print(f"全省年度汇总 {aggregate['aggregate_s']:.2f} 秒；逐行基线 {aggregate['aggregate_naive_s']:.1f} 秒，"
                  f"{aggregate['aggregate_naive_s'] / aggregate['aggregate_s']:,.1f} 倍")  # fmt: skip
        for title, figures in (latencies or {}).items():
            extra = (
                f"，加排序索引后 {figures['with_index_p95']:.0f} 毫秒" if "with_index_p95" in figures else ""
            )
            print(f"{title}：p95 {figures['p95']:.0f} 毫秒（基线 {figures['baseline_p95']:.0f} 毫秒{extra}）")
        print(f"目标{'全部达到' if met else '未全部达到'}")
    finally:
        connection.close()
        if not args.keep:
            _admin(server, f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            print(f"\n已删除数据库 {DB_NAME}")
    return status


if __name__ == "__main__":
    sys.exit(main())
