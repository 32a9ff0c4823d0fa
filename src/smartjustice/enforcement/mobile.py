"""Mobile enforcement pages (移动执法) at /enforcement/m/: phone-first pages for an officer in the field — my cases and
deadlines, party look-up, my 行政执法证 QR code, on-site inspection records with photos and GPS, and the on-the-spot
penalty (简易程序) with the party's signature drawn on the screen. Thin: parse, read through mobile_queries, call one
service, render."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse

from smartjustice.core import access
from smartjustice.core.attachments import download_response, get_attachment_for
from smartjustice.core.errors import NotFound, ValidationFailed
from smartjustice.core.forms import submit
from smartjustice.core.services import reveal_personal_information
from smartjustice.core.views.guards import staff_required
from smartjustice.credentials import qrcodes
from smartjustice.credentials import queries as credential_queries

from . import documents as case_documents
from . import mobile_queries as queries
from . import simplified
from .eligibility import ineligibility
from .mobile_forms import InspectionForm, LookupForm, PenaltyForm
from .models import CaseEvidence, EnforcementCase, Party


def credential_url(credential) -> str:
    """The public verification address of a credential's default link (what its QR code holds), or ""."""
    from smartjustice.credentials.services import public_url

    link = credential_queries.default_link(credential) if credential is not None else None
    return public_url(reverse("credentials:verify", args=[link.token])) if link is not None else ""


@staff_required
def home(request):
    """我的执法: open cases with days left, deadlines, inspections drawn for me, and the four field actions."""
    user = request.user
    return render(
        request,
        "enforcement/mobile/home.html",
        {
            "officer": queries.my_officer(user),
            "cases": list(queries.my_cases(user, open_only=True)[:20]),
            "deadlines": queries.my_deadlines(user, limit=10),
            "inspections": list(queries.my_inspections(user)[:10]),
            "tab": "home",
        },
    )


@staff_required
def party_lookup(request):
    """当事人查询 by name, 身份证号码 or 统一社会信用代码 (validated); ID numbers, phones and addresses masked."""
    access.require(request.user, "view", Party)
    form = LookupForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        try:
            results = list(
                queries.find_parties(request.user, by=form.cleaned_data["by"], q=form.cleaned_data["q"])
            )
        except ValidationFailed as error:
            form.add_domain_error(error)
    return render(
        request, "enforcement/mobile/lookup.html", {"form": form, "results": results, "tab": "lookup"}
    )


@staff_required
def party_detail(request, pk: int):
    """One party, masked; POST 查看完整信息 reveals it to a reader who may see it (audited by core)."""
    party = queries.get_party_for(request.user, pk)
    revealed = False
    if request.method == "POST":
        revealed = reveal_personal_information(party, actor=request.user, channel="移动执法")
        if not revealed:
            messages.error(request, "您无权查看该当事人的完整个人信息")
    return render(
        request,
        "enforcement/mobile/party.html",
        {
            "party": party,
            "revealed": revealed,
            "may_reveal": access.may_view_pii(request.user, party),
            "cases": EnforcementCase.objects.restrict(request.user, "view").filter(party=party)[:10],
            "tab": "lookup",
        },
    )


@staff_required
def my_credential(request):
    """我的行政执法证: the certificate's state and the QR code that verifies it through the credential service."""
    officer = queries.my_officer(request.user)
    credential = officer.credential if officer is not None else None
    if credential is not None and credential.holder_id != request.user.pk:
        credential = None
    url = credential_url(credential)
    return render(
        request,
        "enforcement/mobile/credential.html",
        {
            "officer": officer,
            "credential": credential,
            "verification_url": url,
            "qr_svg": qrcodes.svg(url) if url else "",
            "tab": "credential",
        },
    )


@staff_required
def inspection_new(request):
    """现场检查（勘验）笔录 with photos: time and position from the phone, every file anchored in the ledger."""
    cases = list(queries.my_cases(request.user, open_only=True)[:100])
    initial = {"case": request.GET.get("case")} if str(request.GET.get("case", "")).isdigit() else None
    form = InspectionForm(request.POST or None, request.FILES or None, cases=cases, initial=initial)
    if request.method == "POST" and form.is_valid():
        case = queries.get_my_case(request.user, form.cleaned_data["case"], action="change")
        recorded = submit(
            form,
            simplified.record_on_site_inspection,
            case,
            content=form.cleaned_data["content"],
            photos=form.cleaned_data.get("photos") or [],
            latitude=form.cleaned_data.get("latitude"),
            longitude=form.cleaned_data.get("longitude"),
            captured_at=form.cleaned_data.get("captured_at"),
            actor=request.user,
        )
        if recorded is not None:
            messages.success(request, f"已登记现场检查笔录和 {len(recorded) - 1} 张照片，并已存证。")
            return redirect("enforcement:m-case", case.pk)
    return render(request, "enforcement/mobile/inspection.html", {"form": form, "tab": "work"})


@staff_required
def penalty_new(request):
    """当场行政处罚 (简易程序): the form, the signature canvas, and the decision handed over on the spot."""
    access.require(request.user, "add", EnforcementCase)
    officer = queries.my_officer(request.user)
    form = PenaltyForm(request.POST or None, colleagues=queries.colleagues(officer))
    if request.method == "POST" and form.is_valid():
        case = submit(
            form,
            simplified.issue_on_the_spot_penalty,
            officer=officer or request.user,
            actor=request.user,
            **form.service_kwargs(),
        )
        if case is not None:
            messages.success(request, f"已当场作出行政处罚决定，决定书文号 {case.decision_number}。")
            return redirect("enforcement:m-case", case.pk)
    problem = (
        ineligibility(officer, officer.agency.enforcement_domain, officer.agency.jurisdiction_id)
        if officer is not None
        else "您尚未登记为行政执法人员"
    )
    return render(
        request,
        "enforcement/mobile/penalty.html",
        {
            "form": form,
            "officer": officer,
            "problem": problem,
            "limits": simplified.rules.ON_THE_SPOT_LIMITS,
            "tab": "work",
        },
    )


@staff_required
def case_result(request, pk: int):
    """One case on the phone: the decision, its documents to download, evidence and days left."""
    case = queries.get_my_case(request.user, pk)
    return render(
        request,
        "enforcement/mobile/case.html",
        {
            "case": case,
            "documents": case_documents.documents_of(case),
            "evidence": case.evidence.select_related("recorded_by").order_by("-captured_at", "-id")[:20],
            "tab": "home",
        },
    )


@staff_required
def case_file(request, pk: int, attachment_id: int):
    """Download one file of a case (a generated 执法文书 or evidence), recorded by core."""
    case = queries.get_my_case(request.user, pk)
    attachment = get_attachment_for(request.user, attachment_id)
    owners = {(case._meta.label_lower, str(case.pk))} | {
        (CaseEvidence._meta.label_lower, str(pk)) for pk in case.evidence.values_list("pk", flat=True)
    }
    if (attachment.owner_type, attachment.owner_id) not in owners:
        raise NotFound()
    return download_response(attachment, actor=request.user)


urlpatterns = [
    path("m/", home, name="m-home"),
    path("m/parties/", party_lookup, name="m-parties"),
    path("m/parties/<int:pk>/", party_detail, name="m-party"),
    path("m/credential/", my_credential, name="m-credential"),
    path("m/inspections/new/", inspection_new, name="m-inspection"),
    path("m/penalties/new/", penalty_new, name="m-penalty"),
    path("m/cases/<int:pk>/", case_result, name="m-case"),
    path("m/cases/<int:pk>/files/<int:attachment_id>/", case_file, name="m-case-file"),
]
