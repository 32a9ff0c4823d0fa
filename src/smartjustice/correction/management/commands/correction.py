"""`smartjustice correction <subcommand> …`: the command group of 社区矫正.

Subcommands come from a registry (``SUBCOMMANDS``): a part whose module offers ``add_arguments(parser)`` and
``run_command(command, **options)`` is listed in ``_register_delegated`` (risk-eval, gps-partitions); a part may
instead list the path of a module with ``register_commands(register)`` in ``PROVIDERS`` and call
``register(Subcommand(name, help, add_arguments, handle))`` there. A module that cannot be imported is skipped, so
the command works while parts are missing. ``handle(command, **options)`` runs the subcommand (``command`` is this BaseCommand: use
``command.stdout``); raise ``CommandError`` for failures (its ``returncode`` becomes the exit status).

Built in (helper B): ``verify-receipt FILE [--platform-key BASE64] [--ledger-key BASE64]`` checks a check-in
receipt with no database (``correction.receipts``); exit 0 verified with pinned keys, 1 invalid/tampered, 2 not a
receipt or unreadable, 3 consistent but unverified (keys taken from the file itself).
"""

from __future__ import annotations

import base64
import binascii
import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError


@dataclass(frozen=True)
class Subcommand:
    name: str
    help: str
    add_arguments: Callable  # (parser) -> None
    handle: Callable  # (command, **options) -> None
    needs_database: bool = True


SUBCOMMANDS: dict[str, Subcommand] = {}

# Module paths of `register_commands(register)` functions of other parts (append one line per part).
PROVIDERS: list[str] = []


def register(subcommand: Subcommand) -> Subcommand:
    SUBCOMMANDS[subcommand.name] = subcommand
    return subcommand


def _load_providers() -> None:
    for path in PROVIDERS:
        try:
            module = importlib.import_module(path)
        except ModuleNotFoundError as error:
            if error.name != path:
                raise
            continue
        module.register_commands(register)


# --- verify-receipt (helper B) ----------------------------------------------------------------------------------------

VERIFY_EXIT_HELP = (
    "退出码：0 验证通过（平台公钥和日志公钥均已固定）；1 无效（内容被篡改、签名或存证证明不成立）；"
    "2 文件无法读取或不是报到回执；3 内容一致但未核验（未用 --platform-key、--ledger-key 固定公钥）"
)


def _key(value: str | None, what: str) -> bytes | None:
    if not value:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise CommandError(f"{what}不是有效的 base64", returncode=2) from None


def _verify_receipt_arguments(parser) -> None:
    parser.add_argument("file", help="报到回执文件路径（- 表示标准输入）")
    parser.add_argument("--platform-key", help="平台签名公钥（base64），取自 /ledger/keys/")
    parser.add_argument(
        "--ledger-key", help="报到存证日志（correction-check-ins）的公钥（base64），取自 /ledger/keys/"
    )


def _verify_receipt(command, *, file, platform_key=None, ledger_key=None, **_) -> None:
    from smartjustice.correction import receipts

    try:
        text = sys.stdin.read() if file == "-" else open(file, encoding="utf-8").read()  # noqa: SIM115
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"无法读取回执文件：{exc}", returncode=receipts.EXIT_INPUT_ERROR) from None
    result = receipts.verify(
        text,
        platform_key=_key(platform_key, "平台公钥"),
        ledger_key=_key(ledger_key, "日志公钥"),
    )
    for line in result.checks:
        command.stdout.write(f"✓ {line}")
    receipt = result.receipt
    if result.ok and receipt:
        command.stdout.write(
            f"报到：{receipt.get('subject_number', '')} {receipt.get('channel_label', '')} {receipt.get('checked_at', '')}"
        )
    if result.status == receipts.EXIT_VALID:
        command.stdout.write(result.message)
        return
    raise CommandError(result.message, returncode=result.status)


register(
    Subcommand(
        "verify-receipt",
        "离线验证报到回执（不访问数据库）",
        _verify_receipt_arguments,
        _verify_receipt,
        needs_database=False,
    )
)


# --- subcommands of other parts, registered here at their request (their code stays in their modules) -----------------


def _delegate(module: str, name: str):
    """A subcommand whose arguments and handler live in `smartjustice.correction.<module>` (imported lazily)."""

    def add_arguments(parser) -> None:
        importlib.import_module(f"smartjustice.correction.{module}").add_arguments(parser)

    def handle(command, **options) -> None:
        importlib.import_module(f"smartjustice.correction.{module}").run_command(command, **options)

    add_arguments.__name__, handle.__name__ = f"{name}_arguments", name
    return add_arguments, handle


def _register_delegated() -> None:
    for name, help_text, module in (
        ("risk-eval", "在模拟历史上评估风险评分（AUC）", "risk_evaluation"),  # helper G
        (
            "gps-partitions",
            "维护定位点表的按月分区：提前创建、分离或删除旧月份",
            "location_storage",
        ),  # helper D
    ):
        try:
            importlib.import_module(f"smartjustice.correction.{module}")
        except ModuleNotFoundError as error:
            if error.name != f"smartjustice.correction.{module}":
                raise
            continue  # that part is not installed yet
        register(Subcommand(name, help_text, *_delegate(module, name)))


class Command(BaseCommand):
    help = "社区矫正：verify-receipt 离线验证报到回执；其他子命令由各部分注册"
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        _register_delegated()
        _load_providers()
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for item in SUBCOMMANDS.values():
            child = sub.add_parser(
                item.name,
                help=item.help,
                epilog=VERIFY_EXIT_HELP if item.name == "verify-receipt" else None,
            )
            item.add_arguments(child)

    def handle(self, *args, subcommand, **options):
        from smartjustice.core.errors import DomainError

        try:
            SUBCOMMANDS[subcommand].handle(self, **options)
        except DomainError as exc:
            raise CommandError(
                exc.message if not exc.fields else "；".join(sum(exc.fields.values(), []))
            ) from None
