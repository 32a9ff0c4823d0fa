"""Monthly partitions of the GPS points table on PostgreSQL (docs/decisions/0014-gps-storage.md).

`smartjustice correction gps-partitions` runs `run_command`: it creates the coming months' partitions ahead of
time (moving any rows the DEFAULT partition caught for such a month into it), and detaches — or, with `--drop`,
drops — the months before a cut-off, so a month of points leaves the live table in one catalogue operation instead
of a DELETE of millions of rows. A detached month stays a plain table (`correction_gpspoint_y2026m01`) for archiving
(pg_dump -t) until dropped. On SQLite nothing is partitioned and the command says so.

Partition bounds are months in UTC (the database's timestamps); a point at 2026-12-01 03:00 Beijing time belongs
to November's partition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction

from smartjustice.core import audit

from .choices import CorrectionAuditEvent

TABLE = "correction_gpspoint"
DEFAULT_PARTITION = f"{TABLE}_default"
_MONTHLY = re.compile(rf"^{TABLE}_y(\d{{4}})m(\d{{2}})$")


@dataclass(frozen=True)
class Partition:
    name: str
    month: date | None  # None: the DEFAULT partition
    attached: bool
    rows: int  # the planner's estimate (reltuples), not a count


def month_start(day: date, offset: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + offset
    return date(index // 12, index % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"{TABLE}_y{month:%Y}m{month:%m}"


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = %s",
            [TABLE],
        )
        return cursor.fetchone() is not None


def partitions() -> list[Partition]:
    """The monthly tables, attached or detached (by name), with the DEFAULT partition first."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
                                      WHERE i.inhrelid = c.oid AND p.relname = %s), GREATEST(c.reltuples, 0)::bigint
            FROM pg_class c
            WHERE c.relkind IN ('r', 'p') AND (c.relname = %s OR c.relname ~ %s)
            """,
            [TABLE, DEFAULT_PARTITION, _MONTHLY.pattern],
        )
        found = []
        for name, attached, rows in cursor.fetchall():
            match = _MONTHLY.match(name)
            month = date(int(match[1]), int(match[2]), 1) if match else None
            found.append(Partition(name, month, bool(attached), int(rows)))
    return sorted(found, key=lambda p: (p.month is not None, p.month or date.min))


def _create_month(cursor, month: date) -> bool:
    """Create the partition of `month` unless it exists; rows of that month caught by the DEFAULT partition are moved
    into it first (PostgreSQL refuses to attach a range the default partition holds rows of)."""
    name = partition_name(month)
    cursor.execute("SELECT 1 FROM pg_class WHERE relname = %s", [name])
    if cursor.fetchone():
        return False
    start, end = month.isoformat(), month_start(month, 1).isoformat()
    cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS)")
    cursor.execute(
        f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} WHERE recorded_at >= %s AND recorded_at < %s RETURNING *) "
        f"INSERT INTO {name} SELECT * FROM moved",
        [start, end],
    )
    cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES FROM ('{start}') TO ('{end}')")
    return True


@transaction.atomic
def maintain(
    *,
    ahead: int = 3,
    detach_before: date | None = None,
    drop: bool = False,
    today: date | None = None,
    actor=None,
) -> dict:
    """Create the partitions of this month and `ahead` months after it; detach (and with `drop`, drop) the months
    that end on or before `detach_before`. Returns what was done; one audit entry when anything changed."""
    done = {"created": [], "detached": [], "dropped": []}
    if not is_partitioned():
        return done
    today = today or date.today()
    existing = {p.name: p for p in partitions()}
    months = [month_start(today, offset) for offset in range(0, ahead + 1)]
    months = [m for m in months if partition_name(m) not in existing]
    cutoff = month_start(detach_before) if detach_before is not None else None
    old = [
        p
        for p in existing.values()
        if cutoff is not None and p.month is not None and p.month < cutoff and (p.attached or drop)
    ]
    if not months and not old:
        return done
    with (
        audit.operation(
            CorrectionAuditEvent.GPS_PARTITIONS_MAINTAINED,
            obj=None,
            actor=actor,
            object_type="correction.gpspoint",
        ) as op,
        connection.cursor() as cursor,
    ):
        for month in months:
            if _create_month(cursor, month):
                done["created"].append(partition_name(month))
        for part in old:
            if part.attached:
                cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {part.name}")
                done["detached"].append(part.name)
            if drop:
                cursor.execute(f"DROP TABLE {part.name}")
                done["dropped"].append(part.name)
        op.detail = "；".join(f"{k}: {', '.join(v)}" for k, v in done.items() if v)[:500]
    return done


# --- the `correction gps-partitions` subcommand (wired in management/commands/correction.py) ----------------------


def _month_arg(value: str) -> date:
    try:
        year, month = value.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        import argparse

        raise argparse.ArgumentTypeError("月份格式应为 YYYY-MM") from None


def add_arguments(parser) -> None:
    parser.add_argument("--ahead", type=int, default=3, help="提前创建的月份数（默认 3）")
    parser.add_argument(
        "--detach-before", type=_month_arg, default=None, help="分离此月份（YYYY-MM）之前的分区"
    )
    parser.add_argument("--drop", action="store_true", help="分离后删除（不可恢复；先用 pg_dump 归档）")
    parser.add_argument("--list", action="store_true", help="只列出分区")


def run_command(
    command, *, ahead: int = 3, detach_before=None, drop: bool = False, list: bool = False, **_
) -> None:
    out = command.stdout
    if connection.vendor != "postgresql":
        out.write("当前数据库不是 PostgreSQL：定位点表未分区，无需维护。")
        return
    if not is_partitioned():
        out.write("定位点表尚未分区：请先运行 smartjustice migrate。")
        return
    if not list:
        done = maintain(ahead=ahead, detach_before=detach_before, drop=drop)
        for key, label in (("created", "已创建"), ("detached", "已分离"), ("dropped", "已删除")):
            if done[key]:
                out.write(f"{label}：{'、'.join(done[key])}")
        if not any(done.values()):
            out.write("分区已齐全，无需变更。")
    for part in partitions():
        label = "默认分区" if part.month is None else f"{part.month:%Y年%m月}"
        state = "" if part.attached else "（已分离，待归档）"
        out.write(f"{part.name}\t{label}{state}\t约 {part.rows} 行")
