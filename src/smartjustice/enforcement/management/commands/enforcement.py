"""`smartjustice enforcement <subcommand>`: 行政执法 on the command line.

    smartjustice enforcement extract [--law 名称] [--limit N] [--json]   propose sanctions from the statute library

Each subcommand registers in SUBCOMMANDS below: a function adding its arguments and a method of Command named
handle_<name>.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from smartjustice.core.management.progress import Progress
from smartjustice.enforcement import library
from smartjustice.enforcement.extraction import SanctionKind, extract_sanctions


def _add_extract(parser):
    parser.add_argument("--law", default="", metavar="名称", help="只读取名称包含该文字的法律")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="最多读取 N 条法条")
    parser.add_argument(
        "--json", dest="as_json", action="store_true", help="每条法条输出一行 JSON（供人工复核导入）"
    )


def _add_verify_draw(parser):
    parser.add_argument("plan_id", type=int, metavar="计划编号", help="双随机抽查计划的编号")


def _add_import_entities(parser):
    parser.add_argument(
        "path", metavar="CSV", help="监管对象名录 CSV（统一社会信用代码,名称,登记区划,监管领域,风险等级…）"
    )
    parser.add_argument(
        "--as", dest="username", required=True, metavar="账号", help="以该工作人员的名义导入（审计记录）"
    )


SUBCOMMANDS = {
    "extract": ("从法律法规库提取罚则，提出执法事项（处罚种类与幅度）供人工复核", _add_extract),
    # 双随机、一公开 (helper H4): exit status 0 when the draw verifies, 1 when it does not.
    "verify-draw": ("用公开的随机种子和账本存证重新抽取，验证双随机抽查结果", _add_verify_draw),
    "import-entities": ("从 CSV 导入监管对象名录（全部校验通过才导入）", _add_import_entities),
}


class Command(BaseCommand):
    help = "行政执法：从法律法规库提取罚则"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{" + ",".join(SUBCOMMANDS) + "}"
        )
        for name, (help_text, add) in SUBCOMMANDS.items():
            add(sub.add_parser(name, help=help_text, description=help_text))

    def handle(self, *args, subcommand: str, **options):
        return getattr(self, f"handle_{subcommand.replace('-', '_')}")(**options)

    def handle_verify_draw(self, *, plan_id: int, **options):
        from smartjustice.enforcement.inspection_commands import verify_draw_command

        verify_draw_command(self, plan_id)

    def handle_import_entities(self, *, path: str, username: str, verbosity=1, **options):
        from smartjustice.enforcement.inspection_commands import import_entities_command

        import_entities_command(self, path, username, verbosity=verbosity)

    def handle_extract(self, *, law="", limit=None, as_json=False, verbosity=1, **options):
        total, articles = library.penalty_articles(law=law, limit=limit)
        # The bar goes to stderr when the proposals themselves are the output (JSON lines).
        progress = Progress(self.stderr if as_json else self.stdout, enabled=verbosity > 0)
        proposed = sanctions = 0
        counts: dict[str, int] = {}
        for done, article in enumerate(articles, start=1):
            found = extract_sanctions(article.text)
            progress(done, total, article.law)
            if not found:
                continue
            proposed += 1
            sanctions += len(found)
            for sanction in found:
                counts[sanction.kind] = counts.get(sanction.kind, 0) + 1
            if as_json:
                self.stdout.write(_json_line(article, found))
            elif verbosity > 1:
                described = "；".join(s.describe() for s in found)
                self.stdout.write(f"《{article.law}》{article.label}：{described}")
        if total == 0:
            self.stdout.write("法律法规库中没有符合条件的法条（先运行 smartjustice laws import）")
        summary = f"读取 {total} 条法条，其中 {proposed} 条含罚则，提出 {sanctions} 项处罚"
        by_kind = "，".join(f"{kind} {counts[kind]}" for kind in SanctionKind if kind in counts)
        (self.stderr if as_json else self.stdout).write(summary + (f"（{by_kind}）" if by_kind else ""))


def _json_line(article, found) -> str:
    row = {
        "article_id": article.id,
        "law": article.law,
        "article": article.label,
        "sanctions": [s.as_dict() for s in found],
    }
    return json.dumps(row, ensure_ascii=False)
