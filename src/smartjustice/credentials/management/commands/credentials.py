"""`smartjustice credentials verify FILE [STATUS_FILE]`: verify an e-certificate offline, without the database.

FILE is the offline verification file downloaded from the platform (or /api/v1/credentials/credentials/<id>/bundle):
the signed credential, the disclosures the holder chose, the issuer's public key, the ledger receipt and (optionally)
a snapshot of the status lists. STATUS_FILE, when given, is a newer status list credential (or a JSON object of
them by URL) that replaces the snapshot. ``--ledger-key`` pins the ledger's public key(s) from /ledger/keys/, so the
ledger receipt must be a checkpoint signed by that key (without it, the key inside the file is used and the
result says to compare it).
"""

import base64
import binascii
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from smartjustice.credentials import offline

SYMBOL = {True: "✔", False: "✘", None: "？"}


class Command(BaseCommand):
    help = "可验证电子证照：verify 离线核验证照文件（签名、披露内容、有效期、存证、吊销/暂停状态）"
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="离线核验证照文件")
        verify.add_argument("file", type=Path)
        verify.add_argument("status_file", type=Path, nargs="?", help="状态列表凭证快照（可选）")
        verify.add_argument(
            "--ledger-key",
            action="append",
            default=None,
            help="存证日志公钥（base64，取自 /ledger/keys/，可重复）；不填则使用证明文件中的公钥",
        )
        verify.add_argument("--json", action="store_true", help="以 JSON 输出核验结果")

    def handle(self, *args, action, file, status_file=None, ledger_key=None, **options):
        try:
            bundle = json.loads(file.read_text(encoding="utf-8"))
            status = json.loads(status_file.read_text(encoding="utf-8")) if status_file else None
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取文件：{exc}") from None
        try:
            ledger_keys = [base64.b64decode(k, validate=True) for k in ledger_key] if ledger_key else None
        except (binascii.Error, ValueError):
            raise CommandError("存证日志公钥不是有效的 base64") from None
        result = offline.verify_bundle(bundle, status_lists=status, ledger_keys=ledger_keys)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"核验结论：{result.label}")
            for name, value in result.claims.items():
                self.stdout.write(f"  {name}: {value}")
            for check in result.checks:
                self.stdout.write(f"  {SYMBOL[check.ok]} {check.message}")
        if result.state == "invalid":
            raise CommandError("证照未通过核验")
