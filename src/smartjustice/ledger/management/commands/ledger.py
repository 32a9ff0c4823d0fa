"""`smartjustice ledger …`: offline verification, checkpoints, integrity audit, witnesses, key rotation.

* ``verify FILE [--key BASE64] [--witness NAME=BASE64]`` checks a proof bundle with no database (it imports only
  ``ledger.verify``, which uses no ORM), so a citizen can run it anywhere; its exit status says which state
  (``VERIFY_EXIT_HELP``: 0 only when the log key was pinned with ``--key``/``--vkey``).
* ``checkpoint [LOG ...]`` signs a checkpoint for each (or every) log that has grown (``smartjustice worker`` does
  this on a schedule and pushes the checkpoints to witnesses: ``ledger.tasks``).
* ``audit LOG`` re-derives the tree and every stored node from the entries, compares them with every signed
  checkpoint, and checks checkpoint signatures and witness cosignatures against the pinned keys (``ledger.trust``).
* ``keys`` lists the logs' keys: the platform's fingerprint and the signed-note verifier key, each labelled, and
  which are pinned; ``--trust-file`` prints the pinned lines for an auditor's trust file.
* ``witness-add NAME BASE64`` registers an independent witness; ``rotate-key`` retires and replaces a key.
"""

from __future__ import annotations

import base64
import binascii
import sys

from django.core.management.base import BaseCommand, CommandError


def _b64(value: str, what: str, *, returncode: int = 1) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise CommandError(f"{what}不是有效的 base64", returncode=returncode) from None


def _is_verifier_key(value: str) -> bool:
    from smartjustice.ledger import notes

    try:
        notes.parse_verifier_key(value)
    except notes.NoteError:
        return False
    return True


def _witness_key(item: str) -> tuple[str, bytes]:
    """(name, Ed25519 public key) of a ``--witness`` value: the witness's signed-note verifier key as /ledger/ and the
    trust file publish it (``name+keyid+base64``), or ``NAME=BASE64`` with the raw 32-byte key. ValueError otherwise:
    a key that cannot be used must not be dropped silently, or a cosignature demanded would never be counted."""
    from smartjustice.ledger import notes

    if _is_verifier_key(item):
        name, signature_type, public_key = notes.parse_verifier_key(item)
        if signature_type != notes.TYPE_COSIGNATURE or len(public_key) != 32:
            raise ValueError(f"{name} 的验证公钥不是见证方联署公钥（Ed25519 cosignature）")
        return name, public_key
    name, _, value = item.partition("=")
    try:
        public_key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        public_key = b""
    if len(public_key) == 33 and public_key[:1] == notes.TYPE_COSIGNATURE:
        public_key = public_key[1:]  # the base64 part of a verifier key: its type byte, then the key
    if not name or len(public_key) != 32:
        raise ValueError(
            f"见证方公钥“{item}”无法使用：应为见证方的验证公钥串（名称+标识+base64，见 /ledger/），或 名称=32 字节 Ed25519 公钥（base64）"
        )
    return name, public_key


VERIFY_EXIT_HELP = (
    "退出码：0 验证通过（日志公钥已固定）；1 无效（证明不成立、公钥不符、来源不符）；2 参数错误或文件无法读取；"
    "3 未核验（未用 --key/--vkey 固定日志公钥）；9 见证方联署不足"
)


class Command(BaseCommand):
    help = "可信存证账本：离线验证、签发检查点、按固定公钥核查、列出密钥、登记见证方、轮换密钥"
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify",
            help="离线验证证明文件（不访问数据库）",
            description="离线验证证明文件。须用 --key 或 --vkey 固定日志公钥，否则结论为“未核验”。",
            epilog=VERIFY_EXIT_HELP,
        )
        verify.add_argument("file", help="证明文件路径（- 表示标准输入）")
        verify.add_argument(
            "--key",
            help="日志公钥（base64），取自 /ledger/keys/；不填则只检查证明自身是否一致，结论为“未核验”",
        )
        verify.add_argument("--vkey", help="日志的 signed-note 验证公钥串（名称+标识+base64），可代替 --key")
        verify.add_argument(
            "--witness",
            action="append",
            default=[],
            help="见证方的验证公钥串（名称+标识+base64，见 /ledger/ 见证方列表），或 名称=公钥(base64)，可重复",
        )
        verify.add_argument("--require-witnesses", type=int, default=0, help="至少需要几个见证方联署")
        checkpoint = sub.add_parser("checkpoint", help="为已增长的日志签发新检查点")
        checkpoint.add_argument("logs", nargs="*", help="日志名称；不填为全部")
        audit = sub.add_parser(
            "audit",
            help="由条目重新计算默克尔树和全部节点，与已签名检查点比对，并按固定公钥核对签名和见证方联署",
        )
        audit.add_argument("log")
        audit.add_argument("--chunk-size", type=int, default=5000, help="每批读取的条目数")
        keys = sub.add_parser("keys", help="列出各日志的签名密钥：平台密钥标识与 signed-note 验证公钥串")
        keys.add_argument("--trust-file", action="store_true", help="只输出已固定公钥的信任文件行")
        witness = sub.add_parser("witness-add", help="登记见证方")
        witness.add_argument("name", help="签名密钥名，如 witness.gdjcy.gov.cn")
        witness.add_argument("public_key", help="Ed25519 公钥（base64）")
        witness.add_argument(
            "--url", default="", help="见证方提交地址（tlog-witness submission prefix），用于定时推送"
        )
        rotate = sub.add_parser("rotate-key", help="轮换签名密钥（旧密钥停用但继续公示）")
        rotate.add_argument("--organisation", type=int, help="单位编号；不填为平台自身密钥")
        rotate.add_argument("--algorithm", default="sm2", choices=["sm2", "ed25519"])
        rotate.add_argument("--log", help="日志名称：轮换该日志自己的检查点密钥（新公钥写入信任文件）")

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
        from smartjustice.ledger import verify as verifier

        unusable = verifier.EXIT_INPUT_ERROR
        try:
            text = sys.stdin.read() if file == "-" else open(file, encoding="utf-8").read()  # noqa: SIM115
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"无法读取证明文件：{exc}", returncode=unusable) from None
        if key and not vkey and _is_verifier_key(key):
            # A signed-note verifier key names its log's origin: pinned together with it (ADR 0010).
            vkey, key = key, None
        pinned = _b64(key, "日志公钥", returncode=unusable) if key else None
        vkey_name = None
        if vkey:
            try:
                vkey_name, _, pinned = notes.parse_verifier_key(vkey)
            except notes.NoteError as exc:
                raise CommandError(str(exc), returncode=unusable) from None
        witnesses = {}
        for item in witness:
            try:
                name, public_key = _witness_key(item)
            except ValueError as exc:
                raise CommandError(str(exc), returncode=unusable) from None
            witnesses[name] = public_key
        result = verifier.verify_proof_bundle(text, pinned, witnesses=witnesses)
        if not result.ok:
            raise CommandError(result.message, returncode=verifier.EXIT_INVALID)
        if vkey_name is not None and vkey_name != result.origin:
            raise CommandError(
                f"验证公钥属于 {vkey_name}，而证明文件来自日志 {result.origin}",
                returncode=verifier.EXIT_INVALID,
            )
        self.stdout.write(result.message)
        self.stdout.write(
            f"日志 {result.log}（{result.origin}） 序号 {result.index} / 共 {result.tree_size} 条"
        )
        self.stdout.write(f"类型 {result.kind}  内容 {len(result.data)} 字节")
        if result.witnesses:
            self.stdout.write("见证方联署有效：" + "、".join(result.witnesses))
        if len(result.witnesses) < require_witnesses:
            raise CommandError(
                f"见证方联署不足：需要 {require_witnesses} 个，有效 {len(result.witnesses)} 个",
                returncode=verifier.EXIT_WITNESSES,
            )
        if not result.key_pinned:
            # Anyone can make a key and sign a one-leaf checkpoint with it: without a pinned key nothing is proven.
            raise CommandError(
                "未核验：日志公钥取自证明文件本身，未固定；请用 --key（取自 /ledger/keys/）或 --vkey 指定日志公钥",
                returncode=verifier.EXIT_UNVERIFIED,
            )

    def _checkpoint(self, *, logs, **_):
        from smartjustice.ledger import queries, services

        targets = [queries.get_log(name) for name in logs] if logs else list(queries.list_logs())
        for log in targets:
            checkpoint = services.latest_checkpoint(log)
            self.stdout.write(f"{log.name}: {checkpoint.tree_size} 条")
            self._key_lines(checkpoint.key, log)
            self.stdout.write(services.checkpoint_with_cosignatures(checkpoint))

    def _key_lines(self, key, log) -> None:
        """A key as two labelled lines, so the platform's fingerprint and the signed-note key are not confused."""
        from smartjustice.ledger import notes

        self.stdout.write(
            f"  平台密钥标识（/ledger/keys/ 的指纹）：{key.key_id}（{key.algorithm}，{key.status}）"
        )
        vkey = notes.verifier_key(log.origin, notes.SIGNATURE_TYPES[key.algorithm], bytes(key.public_key))
        self.stdout.write(f"  signed-note 验证公钥（名称+标识+公钥，供 Go sumdb/note 等工具）：{vkey}")

    def _audit(self, *, log, chunk_size, verbosity=1, **_):
        from smartjustice.core.management.progress import Progress
        from smartjustice.ledger import queries, services

        report = services.check_integrity(
            queries.get_log(log),
            chunk_size=max(1, chunk_size),
            progress=Progress(self.stdout, enabled=verbosity > 0),
        )
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(f"{log}：发现 {len(report.problems)} 处问题")
        self.stdout.write(
            f"{log}：{report.tree_size} 条、{report.nodes_checked} 个节点、{report.checkpoints_checked} 个检查点、"
            f"{report.cosignatures_checked} 个见证方联署，全部一致（签名按固定公钥核对）"
        )

    def _keys(self, *, trust_file, **_):
        from smartjustice.ledger import notes, queries, trust
        from smartjustice.ledger.models import SigningKey

        if trust_file:
            self.stdout.write(trust.HEADER, ending="")
            for pin in trust.pins(strict=True):
                self.stdout.write(pin.verifier_key)
            return
        pinned = trust.pins()
        for log in queries.list_logs():
            self.stdout.write(f"{log.name}（origin {log.origin}）")
            keys = SigningKey.objects.filter(log=log).order_by("-created_at", "-id")
            for key in keys:
                self._key_lines(key, log)
                found = trust.Pin(log.origin, notes.SIGNATURE_TYPES[key.algorithm], bytes(key.public_key))
                self.stdout.write("  已固定" if found in pinned else "  未固定：核查将报告它签发的检查点")
            if not keys:
                self.stdout.write("  尚无签名密钥")

    def _witness_add(self, *, name, public_key, url, **_):
        from smartjustice.ledger import services

        witness = services.register_witness(name, _b64(public_key, "公钥"), url=url)
        self.stdout.write(f"已登记见证方 {witness.name}")

    def _rotate_key(self, *, organisation, algorithm, log=None, **_):
        from smartjustice.core.models import Organisation
        from smartjustice.ledger import keys, queries

        target = Organisation.objects.get(pk=organisation) if organisation else None
        if log:
            target_log = queries.get_log(log)
            algorithm = target_log.signature_algorithm
            key = keys.rotate_key(target_log.organisation, actor=None, algorithm=algorithm, log=target_log)
            self.stdout.write(
                f"日志 {log} 的新检查点密钥 {key.key_id}（{algorithm}）已启用并固定，旧密钥已停用并继续公示"
            )
            self._key_lines(key, target_log)
            return
        key = keys.rotate_key(target, actor=None, algorithm=algorithm)
        self.stdout.write(f"新密钥 {key.key_id}（{algorithm}）已启用，旧密钥已停用并继续公示")
