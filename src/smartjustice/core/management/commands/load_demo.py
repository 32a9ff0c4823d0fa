"""Load the demo organisations and accounts (core/demo.py), then each domain app's demo records (its demo.py);
see docs/demo-accounts.md."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from smartjustice.core import demo
from smartjustice.core.errors import DomainError


class Command(BaseCommand):
    help = "加载演示数据：全省司法行政机关及其他组织机构、各级各角色工作人员账号、个人和企业门户账号，以及各业务模块的演示记录（可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--quick",
            action="store_true",
            help="只为演示账号所在的区县生成机构（所有演示账号仍会创建），用于快速试用",
        )
        parser.add_argument(
            "--accounts-table",
            action="store_true",
            help="不加载，只输出演示账号表（Markdown，供 docs/demo-accounts.md）",
        )

    def handle(self, *args, quick, accounts_table, **options):
        if accounts_table:
            self.stdout.write(demo.accounts_table(), ending="")
            return
        started = time.monotonic()
        verbose = options["verbosity"] > 0

        def progress(step: demo.Step) -> None:
            if not verbose:
                return
            self.stdout.write(f"{step.label}：新增 {step.created:,}，已存在 {step.existing:,}")
            if step.detail:  # what was created, by type or role
                parts = "，".join(f"{label} {count:,}" for label, count in step.detail.items())
                self.stdout.write(f"  {parts}")

        try:
            with transaction.atomic():
                report = demo.load(quick=quick, progress=progress)
                for step in demo.load_domains():
                    report.steps.append(step)
                    progress(step)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if not verbose:
            return
        elapsed = time.monotonic() - started
        if report.created == 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"演示数据已全部存在，未新增任何记录（共 {report.existing:,} 条，用时 {elapsed:.1f} 秒）"
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"演示数据加载完成：新增 {report.created:,} 条，已存在 {report.existing:,} 条（用时 {elapsed:.1f} 秒）。"
                    f"演示账号见 docs/demo-accounts.md，统一密码 {demo.password()}"
                )
            )
