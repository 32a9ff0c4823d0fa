"""Page forms of 可信存证账本: register a witness, rotate a key, find an entry by its leaf hash."""

from __future__ import annotations

import base64
import binascii

from django import forms

from smartjustice.core.forms import StyledForm


class WitnessForm(StyledForm):
    name = forms.CharField(
        label="名称（签名密钥名）", max_length=200, help_text="如 witness.gdjcy.gov.cn/ledger"
    )
    public_key = forms.CharField(label="Ed25519 公钥（base64）", max_length=100)
    url = forms.CharField(
        label="提交地址",
        max_length=500,
        required=False,
        help_text="见证方的 submission prefix；留空则不主动推送",
    )

    def clean_public_key(self) -> bytes:
        try:
            return base64.b64decode(self.cleaned_data["public_key"].strip(), validate=True)
        except (binascii.Error, ValueError):
            raise forms.ValidationError("不是有效的 base64") from None


class RotateKeyForm(StyledForm):
    key = forms.ChoiceField(label="要轮换的密钥")

    def __init__(self, *args, keys=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [
            (
                k.key_id,
                f"{k.organisation.name if k.organisation else '平台自身'} · {k.algorithm} · {k.key_id}",
            )
            for k in keys
        ]


class LeafLookupForm(StyledForm):
    log = forms.ChoiceField(label="日志")
    leaf_hash = forms.CharField(
        label="叶子哈希", max_length=100, help_text="H(0x00‖内容)，64 位十六进制或 base64"
    )

    def __init__(self, *args, logs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["log"].choices = [(log.name, log.name) for log in logs]
