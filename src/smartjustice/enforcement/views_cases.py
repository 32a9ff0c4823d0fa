"""Desktop pages of case handling (办案) at /enforcement/cases/ and /enforcement/parties/: the case list with its
clock, one case (party masked until revealed, officers, evidence with its ledger entry, timeline, the workflow
buttons, documents), the lead registration and the party lookup. Thin: parse → case_queries → cases → render."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from smartjustice.core import access, assignments, attachments, workflow, workflow_api
from smartjustice.core import services as core_services
from smartjustice.core.errors import DomainError, NotFound
from smartjustice.core.forms import submit
from smartjustice.core.pagination import page_of
from smartjustice.core.views.guards import staff_required

from . import case_queries, cases, documents
from .case_forms import (
    CaseFilterForm,
    DocumentForm,
    EvidenceForm,
    HearingRecordForm,
    PartyFilterForm,
    PaymentForm,
    PenaltyForm,
    RegisterCaseForm,
    StatementForm,
)
from .case_schemas import TRANSITION_INPUTS, file_case_by_ids, step_services
from .choices import CaseStatus
from .models import EnforcementCase, Party
from .officers import list_agencies

# Stages in which evidence may still be gathered, and in which payments are recorded.
OPEN_FOR_EVIDENCE = (
    CaseStatus.LEAD,
    CaseStatus.INVESTIGATING,
    CaseStatus.LEGAL_REVIEW,
    CaseStatus.NOTIFIED,
    CaseStatus.HEARING,
    CaseStatus.DISCUSSION,
)
OPEN_FOR_PAYMENT = (CaseStatus.DECIDED, CaseStatus.SERVED)
OPEN_FOR_PENALTY = (CaseStatus.INVESTIGATING, CaseStatus.NOTIFIED, CaseStatus.HEARING, CaseStatus.DISCUSSION)
AFTER_NOTICE = (CaseStatus.NOTIFIED, CaseStatus.HEARING, CaseStatus.DISCUSSION)


STEP_SERVICES = step_services()


def _get(user, pk) -> EnforcementCase:
    # NotFound (missing or forbidden alike) becomes the 404 page in core.views.errors.
    return case_queries.get_case_for(user, pk)


def _get_to_change(user, pk) -> EnforcementCase:
    return case_queries.get_case_for(user, pk, action="change")


def _back(case) -> str:
    return reverse("enforcement:case-detail", args=[case.pk])


# --- list ---------------------------------------------------------------------------------------------------------


@staff_required
def case_list(request):
    """The cases the user may see (own agency; supervisors: the jurisdiction), filtered, fewest days left first."""
    access.require(request.user, "view", EnforcementCase)
    filters = CaseFilterForm(request.GET, agencies=list_agencies(request.user)[:200])
    page = page_of(case_queries.list_cases(request.user, **filters.values()), request, capped=True)
    template = (
        "enforcement/cases/_table.html"
        if request.headers.get("HX-Request")
        else "enforcement/cases/list.html"
    )
    return render(
        request,
        template,
        {"filters": filters, "page": page, "may_add": access.may_do(request.user, "add", EnforcementCase)},
    )


# --- registration -------------------------------------------------------------------------------------------------


def _register(*, actor, form: RegisterCaseForm) -> EnforcementCase:
    """The page's one call into the services (the party first when it is new), in one transaction."""
    from django.db import transaction

    with transaction.atomic():
        agency = actor.organisation
        new_party = form.new_party()
        if new_party is not None:
            party = cases.register_party(agency=agency, actor=actor, **new_party)
        else:
            party = case_queries.get_party_for(actor, form.cleaned_data["party_id"], action="change")
        fields = form.case_fields()
        return cases.register_case(
            agency=agency,
            party=party,
            domain=form.cleaned_data.get("domain") or agency.enforcement_domain,
            actor=actor,
            **fields,
        )


@staff_required
def case_create(request):
    """登记案件线索 (a party from the lookup, or a new one)."""
    access.require(request.user, "add", EnforcementCase)
    chosen = None
    if request.method == "POST":
        form = RegisterCaseForm(request.POST)
        party_id = request.POST.get("party_id", "")
        if party_id.isdigit():
            chosen = case_queries.get_party_for(request.user, int(party_id))
        if form.is_valid():
            case = submit(form, _register, actor=request.user, form=form)
            if case is not None:
                messages.success(request, "案件线索已登记")
                return redirect(_back(case))
    else:
        initial = {"domain": getattr(request.user.organisation, "enforcement_domain", "")}
        party_id = request.GET.get("party", "")
        if party_id.isdigit():
            chosen = case_queries.get_party_for(request.user, int(party_id))
            initial["party_id"] = chosen.pk
        form = RegisterCaseForm(initial=initial)
    return render(request, "enforcement/cases/create.html", {"form": form, "chosen": chosen})


# --- one case -----------------------------------------------------------------------------------------------------


def _eligible(case) -> list:
    from .eligibility import eligible_officers

    return [o for o in eligible_officers(case.domain, case.jurisdiction_id) if o.agency_id == case.agency_id]


def _detail_context(request, case, *, revealed: bool = False, **forms) -> dict:
    may_change = access.can(request.user, "change", case)
    kinds = documents.available_kinds(case) if may_change else []
    forms_ = workflow_api.transition_forms(
        case, request.user, services=STEP_SERVICES, inputs=TRANSITION_INPUTS
    )
    return {
        "case": case,
        "party": case.party,
        "revealed": revealed,
        "may_change": may_change,
        "officers": [
            {"user": a.user, "role_label": assignments.role_label(a.role)}
            for a in assignments.assignments_of(case)
        ],
        "evidence": case.evidence.select_related("attachment", "recorded_by").order_by("captured_at", "id"),
        "payments": case.payments.select_related("recorded_by").order_by("due_on", "id"),
        "history": workflow.history(case),
        "documents": documents.documents_of(case),
        "transition_forms": [f for f in forms_ if f.name != "file"],
        # 立案 names its handlers: drawn as checkboxes of the agency's certified officers (case_file below).
        "file_form": next((f for f in forms_ if f.name == "file"), None),
        "eligible_officers": _eligible(case) if any(f.name == "file" for f in forms_) else [],
        "evidence_form": forms.get("evidence_form")
        or (EvidenceForm() if may_change and case.status in OPEN_FOR_EVIDENCE else None),
        "payment_form": forms.get("payment_form")
        or (PaymentForm() if may_change and case.status in OPEN_FOR_PAYMENT else None),
        "document_form": DocumentForm(kinds=kinds) if kinds else None,
        "penalty_form": forms.get("penalty_form")
        or (
            PenaltyForm(
                initial={
                    "fine_amount": case.fine_amount,
                    "confiscated_amount": case.confiscated_amount,
                    "other_sanctions": case.other_sanctions,
                    "discretion_grade": case.discretion_grade,
                    "legal_basis": case.legal_basis,
                    "grave": case.grave,
                }
            )
            if may_change and case.status in OPEN_FOR_PENALTY
            else None
        ),
        "statement_form": forms.get("statement_form")
        or (StatementForm() if may_change and case.status in AFTER_NOTICE else None),
        "hearing_form": forms.get("hearing_form")
        or (HearingRecordForm() if may_change and case.status == CaseStatus.HEARING else None),
    }


@staff_required
def case_detail(request, pk: int):
    case = _get(request.user, pk)
    return render(request, "enforcement/cases/detail.html", _detail_context(request, case))


@staff_required
def party_reveal_on_case(request, pk: int):
    """POST: the party's personal information unmasked — allowed or not, decided and logged by the service."""
    case = _get(request.user, pk)
    if request.method != "POST":
        return redirect(_back(case))
    revealed = core_services.reveal_personal_information(case.party, actor=request.user, channel="网页")
    if not revealed:
        messages.error(request, "您没有查看完整个人信息的权限。")
    if request.headers.get("HX-Request"):
        return render(
            request,
            "enforcement/cases/_party_card.html",
            {"party": case.party, "revealed": revealed, "reveal_url": request.path},
        )
    return render(request, "enforcement/cases/detail.html", _detail_context(request, case, revealed=revealed))


# Every button of the detail page posts here: the step's input is validated against the API's schema and its
# service called (core.workflow_api); refusals become messages on the detail page.
case_act = workflow_api.transition_view(
    get=_get,
    services=STEP_SERVICES,
    inputs=TRANSITION_INPUTS,
    redirect_to=_back,
)


@staff_required
@require_POST
def case_file(request, pk: int):
    """立案 from the page: the head ticks the handlers (at least two certified officers, 第四十二条)."""
    case = _get(request.user, pk)
    ids = [int(v) for v in request.POST.getlist("officer_ids") if v.isdigit()]
    try:
        file_case_by_ids(case, actor=request.user, officer_ids=ids, filed_on=None)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已立案，案件编号 {case.number}")
    return redirect(_back(case))


@staff_required
@require_POST
def evidence_add(request, pk: int):
    case = _get_to_change(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        evidence = submit(
            form,
            cases.record_evidence,
            case,
            actor=request.user,
            file=upload,
            filename=upload.name if upload else "",
            **data,
        )
        if evidence is not None:
            messages.success(
                request, f"证据已登记并存证（{evidence.ledger_log} 第 {evidence.ledger_index} 号）"
            )
            return redirect(_back(case))
    return render(
        request, "enforcement/cases/detail.html", _detail_context(request, case, evidence_form=form)
    )


def _step_form(request, pk: int, form_class, service, *, name: str, done: str):
    """A page form that calls one service of the case (拟定处罚, 陈述申辩, 听证笔录); errors re-render the page."""
    case = _get_to_change(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid() and submit(form, service, case, actor=request.user, **form.cleaned_data) is not None:
        messages.success(request, done)
        return redirect(_back(case))
    return render(request, "enforcement/cases/detail.html", _detail_context(request, case, **{name: form}))


@staff_required
@require_POST
def penalty_propose(request, pk: int):
    return _step_form(
        request, pk, PenaltyForm, cases.propose_penalty, name="penalty_form", done="拟处罚内容已保存"
    )


@staff_required
@require_POST
def statement_record(request, pk: int):
    return _step_form(
        request, pk, StatementForm, cases.record_statement, name="statement_form", done="陈述申辩已记录"
    )


@staff_required
@require_POST
def hearing_record(request, pk: int):
    return _step_form(
        request, pk, HearingRecordForm, cases.record_hearing, name="hearing_form", done="听证笔录已记录"
    )


@staff_required
@require_POST
def payment_add(request, pk: int):
    case = _get_to_change(request.user, pk)
    form = PaymentForm(request.POST)
    if form.is_valid() and submit(form, cases.record_payment, case, actor=request.user, **form.cleaned_data):
        messages.success(request, "缴款已登记")
        return redirect(_back(case))
    return render(request, "enforcement/cases/detail.html", _detail_context(request, case, payment_form=form))


@staff_required
@require_POST
def document_generate(request, pk: int):
    case = _get_to_change(request.user, pk)
    form = DocumentForm(request.POST, kinds=documents.available_kinds(case))
    if not form.is_valid():
        messages.error(request, "请选择本案现在可以制作的文书")
        return redirect(_back(case))
    try:
        generated = documents.generate_case_document(case, form.cleaned_data["kind"], actor=request.user)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已制作{generated.title}（{generated.number}）")
    return redirect(_back(case))


@staff_required
def document_download(request, pk: int, attachment_id: int):
    """A document or evidence file of the case: whoever may see the case (core.attachments logs the download)."""
    case = _get(request.user, pk)
    attachment = attachments.attachments_of(case).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("文件不存在或您无权访问")
    return attachments.download_response(attachment, actor=request.user)


# --- parties ------------------------------------------------------------------------------------------------------


@staff_required
def party_list(request):
    """当事人查询: the agency's parties by name, or anyone's by the full ID number (masked)."""
    access.require(request.user, "view", Party)
    filters = PartyFilterForm(request.GET)
    q = filters.values()["q"]
    found = (
        case_queries.find_parties(request.user, q, limit=100)
        if q
        else case_queries.list_parties(request.user)
    )
    page = page_of(found, request)
    return render(
        request,
        "enforcement/cases/party_list.html",
        {"filters": filters, "page": page, "may_add": access.may_do(request.user, "add", EnforcementCase)},
    )


def _party_page(request, party, *, revealed: bool):
    return render(
        request,
        "enforcement/cases/party_detail.html",
        {
            "party": party,
            "revealed": revealed,
            "cases": case_queries.list_cases(request.user).filter(party=party)[:50],
            "may_add": access.may_do(request.user, "add", EnforcementCase),
        },
    )


@staff_required
def party_detail(request, pk: int):
    return _party_page(request, case_queries.get_party_for(request.user, pk), revealed=False)


@staff_required
def party_reveal(request, pk: int):
    party = case_queries.get_party_for(request.user, pk)
    if request.method != "POST":
        return redirect("enforcement:party-detail", pk=party.pk)
    revealed = core_services.reveal_personal_information(party, actor=request.user, channel="网页")
    if not revealed:
        messages.error(request, "您没有查看完整个人信息的权限。")
    if request.headers.get("HX-Request"):
        return render(
            request,
            "enforcement/cases/_party_card.html",
            {"party": party, "revealed": revealed, "reveal_url": request.path},
        )
    return _party_page(request, party, revealed=revealed)
