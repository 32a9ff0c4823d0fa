"""`smartjustice supervision <subcommand>`: 执法监督 on the command line.

smartjustice supervision scan [--rule CODE …] [--naive] [--dry-run]   run the supervision checks now
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from smartjustice.core.management.progress import Progress
from smartjustice.supervision import checks
from smartjustice.supervision.choices import FlagRule


class Command(BaseCommand):
    help = "执法监督：对全部行政处罚案件运行监督规则，更新监督预警"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{scan}")
        scan = sub.add_parser("scan", help="运行监督规则并更新预警", description="运行监督规则并更新预警")
        scan.add_argument(
            "--rule",
            action="append",
            default=[],
            choices=FlagRule.values,
            metavar="CODE",
            help="只运行这些规则（可重复）：" + "、".join(FlagRule.values),
        )
        scan.add_argument("--naive", action="store_true", help="逐案检查（基准对照，很慢）")
        scan.add_argument("--dry-run", action="store_true", help="只统计，不写入预警")

    def handle(self, *args, subcommand: str, **options):
        return getattr(self, f"handle_{subcommand}")(**options)

    def handle_scan(self, *, rule=(), naive=False, dry_run=False, verbosity=1, **options):
        progress = Progress(self.stdout, enabled=verbosity > 0)
        run = checks.scan_naive if naive else checks.scan
        try:
            result = run(rules=rule or None, write=not dry_run, progress=progress)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for code, found in result.found.items():
            self.stdout.write(f"{FlagRule(code).label}（{code}）：{len(found)}")
        self.stdout.write(self.style.SUCCESS(f"{result.summary()}，用时 {result.seconds:.1f} 秒"))
