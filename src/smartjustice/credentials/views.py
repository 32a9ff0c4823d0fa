"""Pages of e-certificates: staff issue and manage; holders disclose; anyone verifies (QR code → public page)."""

from __future__ import annotations

import datetime
import json

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from smartjustice.core import documents, workflow, workflow_api
from smartjustice.core.errors import NotFound
from smartjustice.core.forms import submit
from smartjustice.core.pagination import page_of
from smartjustice.core.views.guards import login_required, staff_required

from . import bundles, qrcodes, queries, services
from .choices import CredentialStatus
from .forms import IssueForm, LinkForm, ReasonForm
from .schemas import ReasonIn
from .types import credential_types, get_type

DEFAULT_TYPE = "administrative_enforcement_certificate"


def verification_url(request, link) -> str:
    """The address printed in the QR code: the configured public address, so a printout works anywhere."""
    from .services import public_url

    return public_url(reverse("credentials:verify", args=[link.token]))


@staff_required
def credential_list(request):
    filters = {
        "q": request.GET.get("q", "").strip(),
        "type_code": request.GET.get("type", ""),
        "status": request.GET.get("status", ""),
    }
    page = page_of(queries.list_credentials(request.user, **filters), request)
    return render(
        request,
        "credentials/list.html",
        {
            "page": page,
            "filters": filters,
            "types": credential_types().values(),
            "statuses": CredentialStatus,
        },
    )


@staff_required
def credential_issue(request):
    kind = get_type(request.GET.get("type") or request.POST.get("type") or DEFAULT_TYPE)
    form = IssueForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        holder = queries.holder_by_username(form.cleaned_data["holder"])
        if holder is None:
            form.add_error("holder", "没有这个账号")
        else:
            valid_until = form.cleaned_data.get("valid_until")
            credential = submit(
                form,
                services.issue_credential,
                actor=request.user,
                type_code=kind.code,
                holder=holder,
                claims=form.claims(),
                valid_until=timezone.make_aware(datetime.datetime.combine(valid_until, datetime.time.max))
                if valid_until
                else None,
            )
            if credential is not None:
                messages.success(request, f"已签发{kind.name} {credential.number}，并已存证。")
                return redirect("credentials:detail", credential.pk)
    return render(request, "credentials/issue.html", {"form": form, "kind": kind})


@login_required
def credential_detail(request, pk: int):
    credential = queries.get_credential_for(request.user, pk)
    kind = get_type(credential.type_code)
    is_holder = credential.holder_id == request.user.pk
    link_form = LinkForm(labels=kind.labels(), initial={"claims": list(kind.default_disclosed)})
    default = queries.default_link(credential)
    return render(
        request,
        "credentials/detail.html",
        {
            "credential": credential,
            "kind": kind,
            "labels": kind.labels(),
            "claims": [(kind.labels().get(k, k), v) for k, v in credential.claims.items()],
            "is_holder": is_holder,
            "transitions": workflow.available_transitions(credential, request.user),
            "history": workflow.history(credential),
            "links": queries.links_of(credential) if is_holder else [],
            "link_form": link_form,
            "reason_form": ReasonForm(),
            "default_link": default,
            "qr": qrcodes.svg(verification_url(request, default)) if default else "",
        },
    )


# 暂停 / 恢复 / 吊销 buttons of the detail page (core.workflow_api: the reason is checked against the API's schema).
credential_transition = workflow_api.transition_view(
    get=queries.get_credential_for,
    services=services.TRANSITION_SERVICES,
    inputs=dict.fromkeys(services.TRANSITION_SERVICES, ReasonIn),
    redirect_to=lambda credential: reverse("credentials:detail", args=[credential.pk]),
)


@login_required
def my_credentials(request):
    return render(request, "credentials/mine.html", {"credentials": queries.my_credentials(request.user)})


@login_required
@require_POST
def link_create(request, pk: int):
    credential = queries.get_credential_for(request.user, pk)
    kind = get_type(credential.type_code)
    form = LinkForm(request.POST, labels=kind.labels())
    if form.is_valid():
        link = submit(
            form,
            services.create_disclosure_link,
            credential,
            actor=request.user,
            claims=form.cleaned_data["claims"],
            label=form.cleaned_data["label"],
            expires_at=form.cleaned_data.get("expires_at"),
        )
        if link is not None:
            messages.success(request, "已创建核验链接，可将链接或二维码交给需要核验的人。")
            return redirect(f"{reverse('credentials:detail', args=[pk])}#link-{link.pk}")
    for error in [e for errors in form.errors.values() for e in errors]:
        messages.error(request, error)
    return redirect("credentials:detail", pk)


@login_required
@require_POST
def link_withdraw(request, pk: int):
    link = queries.get_link_for_holder(request.user, pk)
    services.withdraw_disclosure_link(link, actor=request.user)
    messages.success(request, "已撤回该核验链接，扫码将不再显示任何内容。")
    return redirect("credentials:detail", link.credential_id)


def _certificate_context(request, credential):
    link_id = request.GET.get("link")
    link = None
    if link_id:
        link = queries.links_of(credential).filter(pk=link_id if str(link_id).isdigit() else 0).first()
    link = link or queries.default_link(credential)
    if link is None:
        raise NotFound("该证照没有可用的核验二维码")
    kind = get_type(credential.type_code)
    url = verification_url(request, link)
    return {
        "credential": credential,
        "kind": kind,
        "claims": [(kind.labels().get(k, k), v) for k, v in credential.claims.items()],
        "link": link,
        "verification_url": url,
        "qr_svg": qrcodes.svg(url),
        "qr_data_uri": qrcodes.data_uri(url),
    }


@login_required
def certificate(request, pk: int):
    """The rendered certificate with its QR code (print it, or show it on a phone)."""
    credential = queries.get_credential_for(request.user, pk)
    return render(request, "credentials/certificate.html", _certificate_context(request, credential))


@login_required
def certificate_pdf(request, pk: int):
    credential = queries.get_credential_for(request.user, pk)
    content = documents.render_pdf("credential_certificate", _certificate_context(request, credential))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{credential.pk}.pdf"'
    return response


@login_required
def bundle_download(request, pk: int):
    """The offline verification file (`smartjustice credentials verify FILE`): the holder's choice of claims."""
    credential = queries.get_credential_for(request.user, pk)
    keys = request.GET.getlist("claim") or None
    if credential.holder_id != request.user.pk:
        keys = list(get_type(credential.type_code).default_disclosed) if keys is None else keys
    data = bundles.build_bundle(credential, keys=keys)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="credential-{credential.pk}.json"'
    return response


def verify(request, token: str):
    """The public verification page behind the QR code: the state, and only what the holder chose to disclose."""
    link = queries.get_public_link(token)
    credential = link.credential
    kind = get_type(credential.type_code)
    result = queries.verify_online(credential, link.claims)
    labels = kind.labels()
    response = render(
        request,
        "credentials/verify.html",
        {
            "kind": kind,
            "issuer_name": credential.issuer.name,
            "result": result,
            "claims": [(labels.get(k, k), v) for k, v in result.claims.items()],
            "valid_from": credential.valid_from,
            "valid_until": credential.valid_until,
            "checked_at": timezone.now(),
        },
    )
    response["Cache-Control"] = "no-store"  # the status must be current every time it is scanned
    response["X-Robots-Tag"] = "noindex"
    return response


def status_list(request, organisation_id: int, purpose: str, sequence: int):
    """The signed BitstringStatusListCredential (public, as the W3C specification expects)."""
    status_list = services.refresh_status_list(queries.get_status_list(organisation_id, purpose, sequence))
    response = JsonResponse(status_list.document, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/vc+ld+json" if request.GET.get("vc") else "application/json"
    response["Cache-Control"] = "max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def issuer(request, organisation_id: int):
    """An issuing organisation and its signature keys, so `verificationMethod` URLs resolve."""
    organisation = queries.get_issuer(organisation_id)
    data = bundles.issuer_document(organisation)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def trust_file(request):
    """The trust file an offline verifier pins (`smartjustice credentials verify FILE --trust trust.json`)."""
    response = JsonResponse(bundles.trust_document(), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'inline; filename="trust.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
