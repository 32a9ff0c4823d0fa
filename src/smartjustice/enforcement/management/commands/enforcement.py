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


SUBCOMMANDS = {
    "extract": ("从法律法规库提取罚则，提出执法事项（处罚种类与幅度）供人工复核", _add_extract),
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
        return getattr(self, f"handle_{subcommand}")(**options)

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
