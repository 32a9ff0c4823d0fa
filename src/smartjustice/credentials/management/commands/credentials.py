"""`smartjustice credentials verify FILE [STATUS_FILE ...] --trust trust.json` and `smartjustice credentials trust-file`.

FILE is the offline verification file downloaded from the platform (or /api/v1/credentials/credentials/<id>/bundle):
the signed credential, the disclosures the holder chose, the issuer's key, the ledger receipt and a snapshot of the
status lists. Each STATUS_FILE is a newer status list credential (or a JSON object of them by URL) that replaces
the snapshot of the same list (the others stay). The keys inside FILE prove nothing by themselves: the verifier pins the issuers' and the
log's keys with ``--trust`` (the platform's trust file, `trust-file` below or /credentials/trust.json) or
``--issuer-key`` / ``--ledger-key``; without them the verdict is 未核验 (exit 3), never 有效. The exit status
tells each state apart (EXIT_HELP, ADR 0009). ``verify`` touches no database; ``trust-file`` reads it.
"""

import argparse
import datetime
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from smartjustice.credentials import offline, trust
from smartjustice.credentials.choices import VERIFICATION_LABELS
from smartjustice.credentials.verification import EXIT_CODES, EXIT_INPUT_ERROR

SYMBOL = {True: "✔", False: "✘", None: "？"}

EXIT_MEANINGS = {
    **{code: VERIFICATION_LABELS[state] for state, code in EXIT_CODES.items()},
    EXIT_CODES["invalid"]: "验证失败（签名、披露内容或存证不成立，或被篡改）",
    EXIT_INPUT_ERROR: "参数错误或文件无法读取",
}
EXIT_HELP = "退出码：" + "；".join(f"{code} {meaning}" for code, meaning in sorted(EXIT_MEANINGS.items()))


def _ledger_keys(values: list[str]) -> tuple[list[bytes], set[str]]:
    """The log keys given with --ledger-key, and the origins named by those given as signed-note verifier keys
    (``origin+keyid+base64``, as /ledger/keys/ and the trust file's ``verifierKey`` show them)."""
    from smartjustice.ledger import notes

    keys, origins = [], set()
    for value in values:
        try:
            name, _, public_key = notes.parse_verifier_key(value)
        except notes.NoteError:
            keys.append(trust.decode_key(value))
            continue
        keys.append(public_key)
        origins.add(name)
    return keys, origins


def _max_age_default() -> float:
    return float(getattr(settings, "CREDENTIALS_STATUS_MAX_AGE_HOURS", 24))


class Command(BaseCommand):
    help = (
        "可验证电子证照：verify 离线核验证照文件（签名、披露内容、有效期、存证、吊销/暂停状态，须固定信任锚）；"
        "trust-file 输出本平台的信任文件。" + EXIT_HELP
    )
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify",
            help="离线核验证照文件",
            description="离线核验证照文件。未用 --trust 或 --issuer-key/--ledger-key 固定发证机关和存证日志的公钥时，"
            "结论为“未核验”，不会是“有效”。",
            epilog=EXIT_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        verify.add_argument("file", type=Path)
        verify.add_argument(
            "status_file",
            type=Path,
            nargs="*",
            help="较新的状态列表凭证（可选，可给多个：吊销、暂停各一份；按地址替代文件内的同一份快照）",
        )
        verify.add_argument(
            "--trust",
            dest="trust_path",
            type=Path,
            help="信任文件（smartjustice.trust.v1，取自本平台 /credentials/trust.json 或 credentials trust-file）",
        )
        verify.add_argument(
            "--issuer-key",
            action="append",
            default=None,
            help="发证机关公钥（base64 或 publicKeyMultibase，取自发证机关页面 /credentials/issuers/<编号>/，可重复）",
        )
        verify.add_argument(
            "--ledger-key",
            action="append",
            default=None,
            help="存证日志公钥：验证公钥串（来源标识+标识+base64，同时固定日志来源）或 base64，取自 /ledger/keys/，可重复",
        )
        verify.add_argument(
            "--max-status-age",
            type=float,
            default=None,
            metavar="HOURS",
            help="状态列表最长可接受的时长（小时，默认取设置 CREDENTIALS_STATUS_MAX_AGE_HOURS，24）；"
            "超过则结论为“状态不是最新”",
        )
        verify.add_argument("--json", action="store_true", help="以 JSON 输出核验结果")
        sub.add_parser("trust-file", help="输出本平台的信任文件（发证机关公钥与存证日志公钥，JSON）")

    def handle(self, *args, action, **options):
        if action == "trust-file":
            from smartjustice.credentials import bundles

            self.stdout.write(json.dumps(bundles.trust_document(), ensure_ascii=False, indent=2))
            return
        self._verify(**options)

    def _verify(
        self, *, file, status_file=None, trust_path=None, issuer_key=None, ledger_key=None, **options
    ):
        def unusable(message: str) -> CommandError:
            return CommandError(message, returncode=EXIT_INPUT_ERROR)

        try:
            anchors = trust.parse(json.loads(trust_path.read_text(encoding="utf-8"))) if trust_path else None
            bundle = json.loads(file.read_text(encoding="utf-8"))
            status = [json.loads(path.read_text(encoding="utf-8")) for path in status_file or []] or None
            issuer_keys = [trust.decode_key(k) for k in issuer_key or []]
            ledger_keys, origins = _ledger_keys(ledger_key or [])
        except (OSError, ValueError) as exc:  # TrustFileError is a ValueError
            raise unusable(
                str(exc) if isinstance(exc, trust.TrustFileError) else f"无法读取文件：{exc}"
            ) from None
        hours = options.get("max_status_age")
        hours = _max_age_default() if hours is None else hours
        if hours < 0:
            raise unusable("--max-status-age 不能为负数")
        result = offline.verify_bundle(
            bundle,
            status_lists=status,
            trust=anchors,
            issuer_keys=issuer_keys or None,
            ledger_keys=ledger_keys or None,
            ledger_origin=origins.pop() if len(origins) == 1 else None,
            max_status_age=datetime.timedelta(hours=hours),
        )
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"核验结论：{result.label}")
            for name, value in result.claims.items():
                self.stdout.write(f"  {name}: {value}")
            for check in result.checks:
                self.stdout.write(f"  {SYMBOL[check.ok]} {check.message}")
        if result.exit_code:
            raise CommandError(
                f"核验结论：{result.label}（退出码 {result.exit_code}）", returncode=result.exit_code
            )
