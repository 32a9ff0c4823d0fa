"""`smartjustice ledger …`: offline verification, checkpoints, integrity audit, witnesses, key rotation.

* ``verify FILE [--key BASE64] [--witness NAME=BASE64]`` checks a proof bundle with no database (it imports only
  ``ledger.verify``, which uses no ORM), so a citizen can run it anywhere.
* ``checkpoint [LOG ...]`` signs a checkpoint for each (or every) log that has grown (``smartjustice worker`` does
  this on a schedule and pushes the checkpoints to witnesses: ``ledger.tasks``).
* ``audit LOG`` re-derives the tree from the stored entries and compares it with every signed checkpoint.
* ``witness-add NAME BASE64`` registers an independent witness; ``rotate-key`` retires and replaces a key.
"""

from __future__ import annotations

import base64
import binascii
import sys

from django.core.management.base import BaseCommand, CommandError


def _b64(value: str, what: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise CommandError(f"{what}不是有效的 base64") from None


class Command(BaseCommand):
    help = "可信存证账本：离线验证证明文件、签发检查点、完整性核查、登记见证方、轮换密钥"
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="离线验证证明文件（不访问数据库）")
        verify.add_argument("file", help="证明文件路径（- 表示标准输入）")
        verify.add_argument(
            "--key", help="日志公钥（base64），取自 /ledger/keys/；不填则使用证明文件中的公钥"
        )
        verify.add_argument("--vkey", help="日志的 signed-note 验证公钥串（名称+标识+base64），可代替 --key")
        verify.add_argument("--witness", action="append", default=[], help="见证方 名称=公钥(base64)，可重复")
        verify.add_argument("--require-witnesses", type=int, default=0, help="至少需要几个见证方联署")
        checkpoint = sub.add_parser("checkpoint", help="为已增长的日志签发新检查点")
        checkpoint.add_argument("logs", nargs="*", help="日志名称；不填为全部")
        audit = sub.add_parser("audit", help="由条目重新计算默克尔树，并与已签名检查点比对")
        audit.add_argument("log")
        witness = sub.add_parser("witness-add", help="登记见证方")
        witness.add_argument("name", help="签名密钥名，如 witness.gdjcy.gov.cn")
        witness.add_argument("public_key", help="Ed25519 公钥（base64）")
        witness.add_argument(
            "--url", default="", help="见证方提交地址（tlog-witness submission prefix），用于定时推送"
        )
        rotate = sub.add_parser("rotate-key", help="轮换签名密钥（旧密钥停用但继续公示）")
        rotate.add_argument("--organisation", type=int, help="单位编号；不填为平台自身密钥")
        rotate.add_argument("--algorithm", default="sm2", choices=["sm2", "ed25519"])

    def handle(self, *args, action, **options):
        from smartjustice.core.errors import DomainError

        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except DomainError as exc:
            raise CommandError(
                exc.message if not exc.fields else "；".join(sum(exc.fields.values(), []))
            ) from None

    def _verify(self, *, file, key, vkey, witness, require_witnesses, **_):
        from smartjustice.ledger import notes
        from smartjustice.ledger.verify import verify_proof_bundle

        try:
            text = sys.stdin.read() if file == "-" else open(file, encoding="utf-8").read()  # noqa: SIM115
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"无法读取证明文件：{exc}") from None
        pinned = _b64(key, "日志公钥") if key else None
        vkey_name = None
        if vkey:
            try:
                vkey_name, _, pinned = notes.parse_verifier_key(vkey)
            except notes.NoteError as exc:
                raise CommandError(str(exc)) from None
        witnesses = {}
        for item in witness:
            name, _, value = item.partition("=")
            witnesses[name] = _b64(value, f"见证方 {name} 的公钥")
        result = verify_proof_bundle(text, pinned, witnesses=witnesses)
        if not result.ok:
            raise CommandError(result.message)
        if vkey_name is not None and vkey_name != result.origin:
            raise CommandError(f"验证公钥属于 {vkey_name}，而证明文件来自日志 {result.origin}")
        if len(result.witnesses) < require_witnesses:
            raise CommandError(
                f"见证方联署不足：需要 {require_witnesses} 个，有效 {len(result.witnesses)} 个"
            )
        self.stdout.write(result.message)
        self.stdout.write(
            f"日志 {result.log}（{result.origin}） 序号 {result.index} / 共 {result.tree_size} 条"
        )
        self.stdout.write(f"类型 {result.kind}  内容 {len(result.data)} 字节")
        if result.witnesses:
            self.stdout.write("见证方联署有效：" + "、".join(result.witnesses))

    def _checkpoint(self, *, logs, **_):
        from smartjustice.ledger import queries, services

        targets = [queries.get_log(name) for name in logs] if logs else list(queries.list_logs())
        for log in targets:
            checkpoint = services.latest_checkpoint(log)
            self.stdout.write(f"{log.name}: {checkpoint.tree_size} 条  密钥 {checkpoint.key.key_id}")
            self.stdout.write(services.checkpoint_with_cosignatures(checkpoint))

    def _audit(self, *, log, **_):
        from smartjustice.ledger import queries, services

        report = services.check_integrity(queries.get_log(log))
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(f"{log}：发现 {len(report.problems)} 处问题")
        self.stdout.write(f"{log}：{report.tree_size} 条、{report.checkpoints_checked} 个检查点，全部一致")

    def _witness_add(self, *, name, public_key, url, **_):
        from smartjustice.ledger import services

        witness = services.register_witness(name, _b64(public_key, "公钥"), url=url)
        self.stdout.write(f"已登记见证方 {witness.name}")

    def _rotate_key(self, *, organisation, algorithm, **_):
        from smartjustice.core.models import Organisation
        from smartjustice.ledger import keys

        target = Organisation.objects.get(pk=organisation) if organisation else None
        key = keys.rotate_key(target, actor=None, algorithm=algorithm)
        self.stdout.write(f"新密钥 {key.key_id}（{algorithm}）已启用，旧密钥已停用并继续公示")
