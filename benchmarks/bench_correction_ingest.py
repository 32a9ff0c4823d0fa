"""`make bench-correction` (ingest section): GPS points per second through the real HTTP API into PostgreSQL, with
geofences evaluated and the breach tracker run, against a naive baseline measured in the same run.

1. Sets up a PostgreSQL database (DATABASE_URL, or postgres://postgres@127.0.0.1:5432/sj_bench_correction, created
   if missing): migrations (the points table partitioned by month), Guangdong's divisions, SUBJECTS subjects under
   correction spread over three counties, each with their county as the allowed area (offline boundary data), and a
   定位数据接入 account with a personal token.
2. Starts a real server process (gunicorn, WORKERS workers) on a free local port.
3. Fast path: POST /api/v1/correction/gps/batches with BATCH points per request from CLIENTS concurrent clients —
   every subject reporting every 2 minutes, some of them leaving their county so alerts are raised.
4. Naive baseline in the same run: one request per point (what a device sending each fix would do), on a sample.

Prints points/s for both, the speed-up, request latency (p50/p95), rows stored, duplicates and alerts raised.
Target: at least 5,000 points per second through the API.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sj_bench_correction"
COUNTIES = ("440106000000", "440104000000", "440281000000")  # 天河区, 越秀区, 乐昌市
ROOT = Path(__file__).resolve().parent.parent


def _ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _setup(n_subjects: int) -> tuple[str, list[tuple[int, tuple, tuple]]]:
    """Subjects with county fences, a feed account and its token; returns (token, [(subject id, home, away)])."""
    from django.core.management import call_command
    from django.db import connection

    from smartjustice.core import services
    from smartjustice.core.models import Jurisdiction, Organisation, Role, User
    from smartjustice.core.roles import sync_roles
    from smartjustice.correction import geofences
    from smartjustice.correction.choices import FenceKind, FenceSource
    from smartjustice.correction.models import CorrectionAlert, CorrectionSubject, Geofence

    call_command("migrate", verbosity=0)
    if not Jurisdiction.objects.filter(code=COUNTIES[-1]).exists():
        call_command("load_jurisdictions", max_level=3, verbosity=0)
    sync_roles()
    with (
        connection.cursor() as cursor
    ):  # a clean slate for the figures (a DELETE would leave dead row versions)
        cursor.execute("TRUNCATE correction_gpspoint, correction_trackersnapshot")
    CorrectionAlert.objects.all().delete()
    Geofence.objects.filter(subject__number__startswith="BENCH-").delete()
    CorrectionSubject.objects.filter(number__startswith="BENCH-").delete()

    import random
    from datetime import date

    from smartjustice.core import identity

    rng = random.Random(12)
    agencies = {}
    for code in COUNTIES:
        place = Jurisdiction.objects.get(code=code)
        agencies[code] = Organisation.objects.get_or_create(
            jurisdiction=place,
            name=f"{place.name}社区矫正管理局（基准测试）",
            defaults={"kind": "justice_bureau"},
        )[0]
    subjects = []
    for i in range(n_subjects):
        code = COUNTIES[i % len(COUNTIES)]
        subjects.append(
            CorrectionSubject(
                number=f"BENCH-{i:06d}",
                name=f"基准对象{i:06d}",
                id_number=identity.generate_citizen_id(
                    rng, region_code="440106", birth_date=date(1960, 1, 1) + timedelta(days=i), sex="男"
                ),
                gender="male",
                category="probation",
                offence="危险驾驶罪",
                judgment_number=f"（2026）粤刑初{i}号",
                deciding_authority="人民法院",
                judgment_effective_on=date(2026, 1, 1),
                starts_on=date(2026, 1, 10),
                ends_on=date(2027, 12, 31),
                agency=agencies[code],
                jurisdiction_id=code,
                intake_on=date(2026, 1, 10),
            )
        )
    CorrectionSubject.objects.bulk_create(subjects, batch_size=1000)
    subjects = list(CorrectionSubject.objects.filter(number__startswith="BENCH-").order_by("pk"))
    fences, places = [], []
    for subject in subjects:
        area = geofences.default_allowed_area(subject)
        fences.append(
            Geofence(
                subject=subject,
                kind=FenceKind.ALLOWED,
                source=FenceSource.COUNTY_BOUNDARY,
                name="执行地县界",
                geometry=area,
            )
        )
        boundary = geofences.load_county_boundary(subject.jurisdiction_id)
        inside = boundary.representative_point()
        minx, miny, maxx, maxy = boundary.bounds
        places.append((subject.pk, (inside.x, inside.y), (maxx + 0.05, (miny + maxy) / 2)))
    Geofence.objects.bulk_create(fences, batch_size=500)
    feed = User.objects.filter(username="bench_gps_feed").first()
    if feed is None:
        feed = User(username="bench_gps_feed", real_name="定位数据接入（基准）", kind="staff",
                    organisation=agencies[COUNTIES[0]], jurisdiction_id="440000000000")  # fmt: skip
        feed.set_unusable_password()
        feed.save()
        feed.roles.set(Role.objects.filter(code="correction_gps_feed"))
    _, token = services.issue_api_token(actor=feed, name="基准测试")
    return token, places


def _points(places, total: int, *, start: datetime, every_s: int = 120, seed: int = 7):
    """`total` points: every subject reports every `every_s` seconds from `start`; one subject in fifty leaves its
    county for half an hour once (so alerts are raised and extended)."""
    import random

    rng = random.Random(seed)
    rounds = max(1, total // len(places) + 1)
    out = []
    for r in range(rounds):
        at = start + timedelta(seconds=every_s * r)
        for index, (subject_id, home, away) in enumerate(places):
            leaving = index % 50 == 0 and rounds // 3 <= r < rounds // 3 + 15
            lon, lat = away if leaving else home
            out.append(
                {
                    "subject_id": subject_id,
                    "recorded_at": at.isoformat(),
                    "longitude": round(lon + rng.uniform(-0.002, 0.002), 6),
                    "latitude": round(lat + rng.uniform(-0.002, 0.002), 6),
                    "accuracy_m": round(rng.uniform(5, 40), 1),
                    "source": "app",
                }
            )
            if len(out) >= total:
                return out
    return out


def _serve(port: int, workers: int, env: dict) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "smartjustice.config.wsgi",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(workers),
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    import requests

    for _ in range(600):  # Django and every app load in each worker first
        try:
            requests.get(f"http://127.0.0.1:{port}/api/v1/correction/alerts", timeout=5)
            return server
        except requests.RequestException:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("服务进程未能启动")


def _send_batches(url: str, token: str, points: list[dict], *, batch: int, clients: int) -> dict:
    import requests

    batches = [points[i : i + batch] for i in range(0, len(points), batch)]
    # Each client sends its subjects' batches in time order (a device feed is ordered per subject).
    local = threading.local()
    latencies, totals = [], {"accepted": 0, "duplicates": 0, "refused": 0, "alerts": set()}
    lock = threading.Lock()

    def send(body):
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
            session.headers["Authorization"] = f"Bearer {token}"
        started = time.perf_counter()
        response = session.post(url, json={"points": body}, timeout=300)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"HTTP {response.status_code}: {response.text[:300]}")
        data = response.json()
        with lock:
            latencies.append(elapsed)
            totals["accepted"] += data["accepted"]
            totals["duplicates"] += data["duplicates"]
            totals["refused"] += len(data["refused"])
            totals["alerts"].update(data["alert_ids"])

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        # Batches of one round go out together; rounds are in time order, so each subject's points arrive in order.
        for i in range(0, len(batches), clients):
            list(pool.map(send, batches[i : i + clients]))
    seconds = time.perf_counter() - started
    return {**totals, "seconds": seconds, "latencies": sorted(latencies), "requests": len(batches)}


def _secrets() -> dict:
    """var/secrets.env (what `make` exports): the server runs with DEBUG off, as in production."""
    path = ROOT / "var" / "secrets.env"
    found = {}
    if path.exists():
        for line in path.read_text().splitlines():
            name, sep, value = line.strip().partition("=")
            if sep and not name.startswith("#"):
                found[name.removeprefix("export ").strip()] = value.strip().strip("'\"")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200_000, help="points through the fast path")
    parser.add_argument("--baseline-points", type=int, default=2_000, help="points sent one request each")
    parser.add_argument("--subjects", type=int, default=3_000)
    parser.add_argument("--batch", type=int, default=2_000, help="points per request")
    parser.add_argument("--workers", type=int, default=min(8, os.cpu_count() or 2), help="server processes")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client connections")
    args = parser.parse_args()

    for name, value in _secrets().items():
        os.environ.setdefault(name, value)
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not os.environ.get("DATABASE_URL"):
        print(f"未设置 DATABASE_URL，使用 {DEFAULT_URL}")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartjustice.config.settings")
    _ensure_database(url)
    import django

    django.setup()
    started = time.perf_counter()
    token, places = _setup(args.subjects)
    print(f"  准备数据 {time.perf_counter() - started:.0f} 秒")
    from django.db import connection

    connection.close()

    port = _free_port()
    env = {**os.environ, "SMARTJUSTICE_DEBUG": "0", "SMARTJUSTICE_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    server = _serve(port, args.workers, env)
    endpoint = f"http://127.0.0.1:{port}/api/v1/correction/gps/batches"
    try:
        start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)
        points = _points(places, args.points, start=start)
        print(f"社区矫正定位数据接入：{len(places)} 名对象，{len(points)} 个定位点，每请求 {args.batch} 个，"
              f"{args.clients} 个并发连接，服务端 {args.workers} 个进程（gunicorn）")  # fmt: skip
        fast = _send_batches(endpoint, token, points, batch=args.batch, clients=args.clients)
        rate = len(points) / fast["seconds"]
        lat = fast["latencies"]
        print(f"  批量接口：{rate:,.0f} 点/秒（{fast['seconds']:.1f} 秒，{fast['requests']} 个请求；"
              f"延迟 p50 {statistics.median(lat) * 1000:.0f} ms，p95 {lat[int(len(lat) * 0.95) - 1] * 1000:.0f} ms）")  # fmt: skip
        print(
            f"    新存 {fast['accepted']}，重复 {fast['duplicates']}，拒收 {fast['refused']}，预警 {len(fast['alerts'])} 条"
        )
        # Baseline: the same kind of points, later in time, one request each.
        later = _points(places, args.baseline_points, start=start + timedelta(days=2), seed=8)
        naive = _send_batches(endpoint, token, later, batch=1, clients=args.clients)
        naive_rate = len(later) / naive["seconds"]
        print(
            f"  基线（每个定位点一个请求）：{naive_rate:,.0f} 点/秒（{len(later)} 个点，{naive['seconds']:.1f} 秒）"
        )
        print(
            f"  批量接口为基线的 {rate / naive_rate:.1f} 倍；目标 ≥ 5,000 点/秒：{'达到' if rate >= 5000 else '未达到'}"
        )
        again = _send_batches(
            endpoint, token, points[: args.batch * 5], batch=args.batch, clients=args.clients
        )
        print(
            f"  重发 {args.batch * 5} 个已存储的点：重复 {again['duplicates']}，新存 {again['accepted']}（只存一次）"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
