from django.db import models


class HashAlgorithm(models.TextChoices):
    SM3 = "sm3", "SM3（GB/T 32905）"
    SHA256 = "sha256", "SHA-256"


class SignatureAlgorithm(models.TextChoices):
    SM2 = "sm2", "SM2（GB/T 32918）"
    ED25519 = "ed25519", "Ed25519"


class KeyStatus(models.TextChoices):
    ACTIVE = "active", "使用中"
    RETIRED = "retired", "已停用"
