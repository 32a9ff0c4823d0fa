"""Public pages of 可信存证账本: the transparency page, checkpoints as text, public keys, and a bundle checker."""

from __future__ import annotations

import base64
import binascii

from django.http import HttpResponse
from django.shortcuts import render

from smartjustice.core.pagination import page_of

from . import notes, queries, services
from .choices import KeyStatus
from .schemas import checkpoint_verifier_key
from .verify import verify_proof_bundle

MAX_BUNDLE_BYTES = 1024 * 1024


def transparency(request):
    """Logs with their latest signed checkpoint and cosignatures, the witnesses, how to check a proof."""
    page = page_of(queries.list_logs(q=request.GET.get("q", "").strip()), request)
    latest = queries.latest_checkpoints(page.object_list)
    logs = [
        {
            "log": log,
            "checkpoint": latest.get(log.pk),
            "text": services.checkpoint_with_cosignatures(latest[log.pk]) if log.pk in latest else "",
            "verifier_key": checkpoint_verifier_key(latest[log.pk]) if log.pk in latest else "",
        }
        for log in page.object_list
    ]
    witnesses = list(queries.list_witnesses())
    for witness in witnesses:
        witness.verifier_key = notes.verifier_key(
            witness.name, notes.TYPE_COSIGNATURE, bytes(witness.public_key)
        )
    return render(
        request,
        "ledger/transparency.html",
        {"page": page, "logs": logs, "witnesses": witnesses, "q": request.GET.get("q", "")},
    )


def checkpoint_text(request, log: str):
    """The latest checkpoint of a log, as text/plain (what witnesses and monitors fetch)."""
    checkpoint = queries.latest_checkpoint(queries.get_log(log))
    if checkpoint is None:
        return HttpResponse("该日志尚未签发检查点\n", status=404, content_type="text/plain; charset=utf-8")
    return HttpResponse(
        services.checkpoint_with_cosignatures(checkpoint), content_type="text/plain; charset=utf-8"
    )


def public_keys(request):
    """Every organisation's signing keys, retired ones included, so old signatures stay checkable."""
    status = request.GET.get("status", "")
    page = page_of(queries.list_keys(status=status if status in KeyStatus.values else ""), request)
    for key in page.object_list:
        key.public_key_b64 = base64.b64encode(bytes(key.public_key)).decode()
    return render(
        request, "ledger/keys.html", {"page": page, "status": status, "statuses": KeyStatus.choices}
    )


def verify(request):
    """Check a proof bundle in the browser (the same check as ``smartjustice ledger verify``; no database)."""
    result, error = None, ""
    if request.method == "POST":
        upload = request.FILES.get("bundle")
        text = request.POST.get("text", "")
        if upload is not None:
            raw = upload.read(MAX_BUNDLE_BYTES + 1)
            try:
                text = raw.decode("utf-8") if len(raw) <= MAX_BUNDLE_BYTES else ""
            except UnicodeDecodeError:
                text = ""
        key = None
        if request.POST.get("key", "").strip():
            try:
                key = base64.b64decode(request.POST["key"].strip(), validate=True)
            except binascii.Error:
                error = "日志公钥不是有效的 base64"
        if not text.strip():
            error = error or "请上传或粘贴证明文件（.tlog-proof，不超过 1 MB）"
        if not error:
            result = verify_proof_bundle(text, key)
    return render(
        request, "ledger/verify.html", {"result": result, "error": error}, status=422 if error else 200
    )
