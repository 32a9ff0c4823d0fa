"""`smartjustice hub load_catalogue | deliver`: the versioned data catalogue, and one delivery cycle by hand."""

from pathlib import Path

from django.core.management.base import BaseCommand

from smartjustice.core import context
from smartjustice.hub import services


class Command(BaseCommand):
    help = "共享协同平台：load_catalogue 加载数据目录；deliver 立即执行一轮分发与推送"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "load_catalogue",
            help="按各模块声明的数据目录文件（如 hub/data/catalogue.json）新增或更新数据目录（可重复执行）",
        )
        load.add_argument("--file", type=Path, default=None, help="只加载这一个文件")
        sub.add_parser("deliver", help="分发发件箱并推送到期的投递（工作进程每秒自动执行）")

    def handle(self, *args, action, **options):
        with context.acting(channel="command", request_id=context.new_request_id()):
            if action == "load_catalogue":
                created, updated = services.load_catalogue(path=options["file"])
                self.stdout.write(f"数据目录：新增 {created} 项，更新 {updated} 项")
            else:
                counts = services.run_delivery_cycle(worker_id="command")
                self.stdout.write(
                    f"分发 {counts['fanned_out']} 条；投递成功 {counts['delivered']}，"
                    f"待重试 {counts['retry']}，转入死信 {counts['dead']}"
                )
