"""Transparency logs (RFC 9162 Merkle trees), their entries and node hashes, checkpoints, keys and witnesses."""

from __future__ import annotations

from django.db import models

from smartjustice.core.models.base import DomainModel

from .choices import HashAlgorithm, KeyStatus, SignatureAlgorithm


class SigningKey(DomainModel):
    """An organisation's or a log's signing key (organisation empty: the platform's own). Retired keys stay listed."""

    jurisdiction_field = "organisation__jurisdiction"
    # Public keys are public; rotating them is for ledger admins of the organisation's jurisdiction (the platform's
    # own keys, with no organisation, belong to the province).
    access_scopes = {"view": ("public",), "*": ("jurisdiction",)}
    audit_secret_fields = ("private_key_encrypted",)

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_keys",
    )
    # A log's checkpoint key belongs to that one log (its signed-note name is the log's origin), so a receipt of
    # one log never verifies under another log's key; organisation keys (credential issuers) have no log.
    log = models.ForeignKey(
        "Log",
        verbose_name="所属日志",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_keys",
    )
    algorithm = models.CharField("签名算法", max_length=16, choices=SignatureAlgorithm.choices)
    key_id = models.CharField("密钥标识", max_length=64, unique=True)
    public_key = models.BinaryField("公钥")
    private_key_encrypted = models.BinaryField("私钥（加密保存）")
    status = models.CharField("状态", max_length=16, choices=KeyStatus.choices, default=KeyStatus.ACTIVE)
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "签名密钥"
        verbose_name_plural = "签名密钥"

    def __str__(self):
        return f"{self.algorithm}:{self.key_id}"


class Log(DomainModel):
    """One append-only log. ``tree_size``/``root_hash`` advance with each batch (proven by signed checkpoints)."""

    jurisdiction_field = "organisation__jurisdiction"
    # Logs are public (a transparency log); signing and reading entry contents are for ledger staff of the
    # operator's jurisdiction (the platform's own logs, with no organisation, belong to the province).
    access_scopes = {
        "view": ("public",),
        "sign": ("jurisdiction:ledger.add_checkpoint",),
        "view_entries": ("jurisdiction:ledger.view_ledgerentry",),
    }

    name = models.SlugField("名称", max_length=100, unique=True)
    origin = models.CharField("来源标识（origin）", max_length=200, unique=True)
    hash_algorithm = models.CharField(
        "哈希算法", max_length=16, choices=HashAlgorithm.choices, default=HashAlgorithm.SM3
    )
    signature_algorithm = models.CharField(
        "签名算法", max_length=16, choices=SignatureAlgorithm.choices, default=SignatureAlgorithm.SM2
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name="运营单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_logs",
    )
    tree_size = models.BigIntegerField("条目数", default=0)
    root_hash = models.BinaryField("根哈希", default=b"")

    class Meta:
        ordering = ["name"]
        verbose_name = "存证日志"
        verbose_name_plural = "存证日志"

    def __str__(self):
        return self.name


class LedgerEntry(models.Model):
    """One leaf of a log: its content and leaf hash H(0x00 || payload)."""

    # No separate log_id/kind indexes: the (log, index) unique index serves every read, and each extra index is
    # paid on every append (the hot path; see benchmarks/bench_ledger.py). The one exception is the leaf-hash index
    # behind get-proof-by-hash (queries.find_leaf). Measured on PostgreSQL at 200,000 leaves, three interleaved
    # rounds each (appends/s): no index 38.0k/41.8k/34.3k; btree (leaf_hash) 39.5k/37.2k/38.9k; btree (log,
    # leaf_hash) 35.1k/38.9k/37.4k; hash index (leaf_hash) 25.7k/31.1k/36.4k; an 8-byte prefix column + btree
    # (log, prefix) 38.1k/35.2k/31.8k; expression indexes on substring(leaf_hash) 23–26k; at 1,000,000 leaves no
    # index 33.9k, btree (leaf_hash) 31.6k. A plain btree on the hash alone costs little (a hash index, PostgreSQL
    # only, was no cheaper), works the same on SQLite, and the log is filtered after it (a hash repeats across
    # logs only when the same document is logged twice).
    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="entries", db_index=False)
    index = models.BigIntegerField("序号")
    leaf_hash = models.BinaryField("叶子哈希")
    payload = models.BinaryField("内容")
    kind = models.CharField("类型", max_length=64)
    created_at = models.DateTimeField("写入时间", auto_now_add=True)

    class Meta:
        ordering = ["log_id", "index"]
        verbose_name = "存证条目"
        verbose_name_plural = "存证条目"
        constraints = [models.UniqueConstraint(fields=["log", "index"], name="ledger_entry_unique_index")]
        indexes = [models.Index(fields=["leaf_hash"], name="ledger_entry_leaf_hash")]

    def __str__(self):
        return f"{self.log_id}#{self.index}"


class Node(models.Model):
    """Hash of the complete subtree covering leaves [index·2^level, (index+1)·2^level)."""

    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="nodes", db_index=False)
    level = models.SmallIntegerField("层")
    index = models.BigIntegerField("序号")
    hash = models.BinaryField("哈希")

    class Meta:
        verbose_name = "默克尔节点"
        verbose_name_plural = "默克尔节点"
        constraints = [models.UniqueConstraint(fields=["log", "level", "index"], name="ledger_node_unique")]


class Checkpoint(models.Model):
    """A signed note (C2SP tlog-checkpoint) over one tree size and root."""

    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="checkpoints")
    tree_size = models.BigIntegerField("条目数")
    root_hash = models.BinaryField("根哈希")
    text = models.TextField("签名文本")
    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="checkpoints")
    created_at = models.DateTimeField("签发时间", auto_now_add=True)

    class Meta:
        ordering = ["-tree_size", "-id"]
        get_latest_by = "tree_size"
        verbose_name = "检查点"
        verbose_name_plural = "检查点"
        constraints = [
            models.UniqueConstraint(fields=["log", "tree_size"], name="ledger_checkpoint_unique_size")
        ]


class Witness(DomainModel):
    """An independent witness whose Ed25519 cosignatures (C2SP tlog-cosignature) we collect and publish."""

    jurisdiction_field = "organisation__jurisdiction"
    access_scopes = {"view": ("public",), "*": ("jurisdiction",)}

    name = models.CharField("名称（签名密钥名）", max_length=200, unique=True)
    public_key = models.BinaryField("公钥")
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name="登记单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_witnesses",
    )
    url = models.CharField(
        "提交地址",
        max_length=500,
        blank=True,
        help_text="c2sp.org/tlog-witness 的 submission prefix；留空则不主动推送检查点（由见证方自行拉取）",
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "见证方"
        verbose_name_plural = "见证方"

    def __str__(self):
        return self.name


class Cosignature(models.Model):
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="cosignatures")
    witness = models.ForeignKey(Witness, on_delete=models.PROTECT, related_name="cosignatures")
    timestamp = models.BigIntegerField("时间（Unix 秒）")
    signature = models.BinaryField("签名")
    line = models.TextField("签名行")
    created_at = models.DateTimeField("收到时间", auto_now_add=True)

    class Meta:
        ordering = ["witness__name"]
        verbose_name = "见证签名"
        verbose_name_plural = "见证签名"
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "witness"], name="ledger_cosignature_unique")
        ]
