"""Pages of 可信存证账本: public (transparency page, checkpoints as text, public keys, proof checker, lookup by leaf
hash) and the staff page /ledger/manage/ (sign checkpoints, witnesses, key rotation, entry proofs)."""

from __future__ import annotations

import base64
import binascii

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from smartjustice.core.errors import DomainError
from smartjustice.core.pagination import page_of
from smartjustice.core.views.guards import staff_required

from . import bundles, keys, notes, queries, services, trust
from .choices import KeyStatus
from .forms import LeafLookupForm, RotateKeyForm, WitnessForm
from .schemas import checkpoint_verifier_key, decode_hash
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
        {
            "page": page,
            "logs": logs,
            "witnesses": witnesses,
            "q": request.GET.get("q", ""),
            "may_manage": queries.may_manage(request.user),
        },
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
        key.verifier_key = keys.verifier_key(key)
    return render(
        request, "ledger/keys.html", {"page": page, "status": status, "statuses": KeyStatus.choices}
    )


def _leaf_lookup(data, logs) -> tuple[LeafLookupForm, dict | None]:
    """The lookup-by-leaf-hash form and, when filled in, the entry's index and its proof against the checkpoint."""
    form = LeafLookupForm(data if data.get("leaf_hash") else None, logs=logs)
    if not form.is_bound or not form.is_valid():
        return form, None
    try:
        found = services.proof_by_leaf_hash(
            queries.get_log(form.cleaned_data["log"]),
            decode_hash(form.cleaned_data["leaf_hash"], "leaf_hash"),
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return form, None
    return form, found


def verify(request):
    """Check a proof bundle in the browser (the same check as ``smartjustice ledger verify``; no database), or find
    an entry by its leaf hash (RFC 9162 get-proof-by-hash) without revealing or needing its content."""
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
        key, origin = None, None
        given = request.POST.get("key", "").strip()
        if given:
            # The verifier key /ledger/keys/ publishes (origin+keyid+base64: it pins the log too), or the bare key.
            try:
                origin, _, key = notes.parse_verifier_key(given)
            except notes.NoteError:
                try:
                    key = base64.b64decode(given, validate=True)
                except binascii.Error:
                    error = "日志公钥不是有效的验证公钥串或 base64"
        if not text.strip():
            error = error or "请上传或粘贴证明文件（.tlog-proof，不超过 1 MB）"
        if not error:
            # Without a key from the visitor, the keys pinned for the receipt's log (never the key table).
            result = verify_proof_bundle(text, key) if key is not None else trust.verify_bundle(text)
            if result.ok and origin is not None and result.origin != origin:
                result.ok = False
                result.message = f"验证公钥属于 {origin}，而证明文件来自日志 {result.origin}"
    lookup_form, found = _leaf_lookup(request.GET, queries.list_logs())
    status = 422 if error or lookup_form.errors else 200
    return render(
        request,
        "ledger/verify.html",
        {"result": result, "error": error, "lookup_form": lookup_form, "found": found},
        status=status,
    )


# --- the staff page --------------------------------------------------------------------------------------------------


@staff_required
def manage(request):
    """签发检查点、登记见证方、轮换密钥、按叶子哈希查找条目并下载其证明: what the user's permissions allow."""
    overview = queries.management_for(request.user)
    lookup_form, found = _leaf_lookup(request.GET, overview["logs"])
    return render(
        request,
        "ledger/manage.html",
        {
            **overview,
            "witness_form": WitnessForm(),
            "rotate_form": RotateKeyForm(keys=overview["keys"]),
            "lookup_form": lookup_form,
            "found": found,
        },
    )


def _done(request, call, success: str):
    """Run one service call for a staff action; its error becomes a message on the page, not an error page."""
    try:
        call()
    except DomainError as exc:
        messages.error(
            request, exc.message if not exc.fields else "；".join(m for v in exc.fields.values() for m in v)
        )
    else:
        messages.success(request, success)
    return redirect("ledger:manage")


@staff_required
@require_POST
def manage_checkpoint(request, log: str):
    target = queries.get_log_for(request.user, log, action="sign")
    return _done(
        request,
        lambda: services.sign_checkpoint(target, actor=request.user),
        f"已为 {target.name} 签发检查点（共 {target.tree_size} 条）",
    )


@staff_required
@require_POST
def manage_witness_add(request):
    organisation = queries.own_witness_organisation(request.user)
    form = WitnessForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("ledger:manage")
    return _done(
        request,
        lambda: services.register_witness(
            form.cleaned_data["name"].strip(),
            form.cleaned_data["public_key"],
            url=form.cleaned_data["url"],
            organisation=organisation,
            actor=request.user,
        ),
        f"已登记见证方 {form.cleaned_data['name'].strip()}",
    )


@staff_required
@require_POST
def manage_witness_change(request, name: str):
    witness = queries.get_witness_for(request.user, name)
    if "is_active" in request.POST:
        active = request.POST["is_active"] == "1"
        return _done(
            request,
            lambda: services.change_witness(witness, actor=request.user, is_active=active),
            f"已{'启用' if active else '停用'}见证方 {witness.name}",
        )
    url = request.POST.get("url", "")
    return _done(
        request,
        lambda: services.change_witness(witness, actor=request.user, url=url),
        f"已更新见证方 {witness.name} 的提交地址",
    )


@staff_required
@require_POST
def manage_rotate_key(request):
    key = queries.get_key(request.POST.get("key", ""))
    organisation = queries.organisation_for_key_admin(request.user, key.organisation_id)
    return _done(
        request,
        lambda: keys.rotate_key(organisation, actor=request.user, algorithm=key.algorithm, log=key.log),
        f"已轮换{organisation.name if organisation else '平台自身'}的 {key.algorithm} 签名密钥，旧密钥停用并继续公示",
    )


@staff_required
def manage_entry_bundle(request, log: str, index: int):
    """The offline proof file of one entry (its content included): staff allowed to see the operator's entries."""
    entry = queries.get_entry_for(request.user, queries.get_log(log), index)
    response = HttpResponse(services.proof_bundle(entry), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{log}-{index}{bundles.FILE_EXTENSION}"'
    return response
