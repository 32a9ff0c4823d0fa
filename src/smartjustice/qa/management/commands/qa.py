"""`smartjustice qa load_faq | reindex | eval --queries FILE`: the FAQ starter set, the robot's index, its benchmark."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from smartjustice.qa import evaluation, services


class Command(BaseCommand):
    help = "法宝宝：load_faq 加载常见问题起步数据；reindex 重建法条检索索引；eval 评测检索质量与速度"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load_faq", help="加载 statutes/data/faq/*.jsonl（可重复执行，按编号更新）")
        load.add_argument("--dir", type=Path, default=services.FAQ_DATA_DIR, help="常见问题数据目录")
        sub.add_parser("reindex", help="从法规库重建法宝宝的法条检索索引（导入法规后执行）")
        ev = sub.add_parser("eval", help="Recall@5/10、MRR@10、p50/p95 单次检索延迟：本系统与 BM25 基线")
        ev.add_argument("--queries", type=Path, required=True, help="JSONL 评测文件（question + relevant）")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _load_faq(self, dir, **options):
        rows = services.read_faq_files(dir)
        if not rows:
            raise CommandError(f"没有找到常见问题数据：{dir}/*.jsonl")
        counts = services.load_faq(rows, source=str(dir))
        self.stdout.write(
            f"常见问题：新增 {counts['created']}，更新 {counts['updated']}，未变化 {counts['unchanged']}，"
            f"未通过核对 {len(counts['rejected'])}"
        )
        for code, problems in counts["rejected"].items():
            self.stderr.write(f"  {code}：{'；'.join(problems)}")

    def _reindex(self, **options):
        started = time.monotonic()
        meta = services.rebuild_index()
        self.stdout.write(
            f"法宝宝索引已重建：{meta['articles']:,} 条条文，用时 {time.monotonic() - started:.1f} 秒（{meta['file']}）"
        )

    def _eval(self, queries, **options):
        if not queries.exists():
            raise CommandError(f"评测文件不存在：{queries}")
        results = evaluation.compare(queries, log=self.stdout.write)
        self.stdout.write(evaluation.table(results))
