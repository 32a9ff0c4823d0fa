"""Desktop pages of subjects at /correction/subjects/ (list, intake, one subject with masked personal data and the
audited reveal, contacts, 矫正小组, plan, account, release, termination, transfer request), the archive folder with
its exports, and the transfers at /correction/transfers/. Thin: parse → subject_queries → one service → render."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from smartjustice.core import access, attachments, workflow, workflow_api
from smartjustice.core import services as core_services
from smartjustice.core.errors import NotFound
from smartjustice.core.forms import submit
from smartjustice.core.pagination import page_of
from smartjustice.core.views.guards import staff_required

from . import archives, subject_queries, subjects
from .models import ArchiveItem, CorrectionSubject, SubjectTransfer, TransferStatus
from .subject_forms import (
    AccountForm,
    ArchiveItemForm,
    ContactForm,
    ExportForm,
    GroupMemberForm,
    IntakeForm,
    PlanForm,
    ReleaseForm,
    SubjectFilterForm,
    SubjectUpdateForm,
    TerminateForm,
    TransferFilterForm,
    TransferForm,
)
from .subject_schemas import TRANSFER_INPUTS

RELEASE = "correction.release_correctionsubject"


def _get(user, pk) -> CorrectionSubject:
    return subject_queries.get_subject_for(user, pk)


def _get_to_change(user, pk) -> CorrectionSubject:
    return subject_queries.get_subject_for(user, pk, action="change")


def _back(subject) -> str:
    return reverse("correction:subject-detail", args=[subject.pk])


# --- list and intake --------------------------------------------------------------------------------------------


@staff_required
def subject_list(request):
    """社区矫正对象: those executed in the user's jurisdiction, searched and filtered, newest intake first."""
    access.require(request.user, "view", CorrectionSubject)
    filters = SubjectFilterForm(request.GET)
    page = page_of(subject_queries.list_subjects(request.user, **filters.values()), request)
    template = (
        "correction/subjects/_table.html"
        if request.headers.get("HX-Request")
        else "correction/subjects/list.html"
    )
    return render(
        request,
        template,
        {"filters": filters, "page": page, "may_add": access.may_do(request.user, "add", CorrectionSubject)},
    )


@staff_required
def subject_intake(request):
    """入矫登记."""
    access.require(request.user, "add", CorrectionSubject)
    agencies, stations = subject_queries.agencies_for_intake(request.user)
    options = {"agencies": agencies[:200], "stations": stations[:500]}
    if request.method == "POST":
        form = IntakeForm(request.POST, **options)
        if form.is_valid():
            subject = submit(form, subjects.intake_subject, actor=request.user, **form.cleaned_data)
            if subject is not None:
                messages.success(request, f"已办理入矫登记，矫正编号 {subject.number}")
                for warning in subject.warnings:
                    messages.warning(request, warning)
                return redirect(_back(subject))
    else:
        form = IntakeForm(**options)
    return render(request, "correction/subjects/intake.html", {"form": form})


# --- one subject --------------------------------------------------------------------------------------------------


def _detail_context(request, subject, *, revealed: bool = False, **forms) -> dict:
    user = request.user
    may_change = subject.under_correction and access.can(user, "change", subject)
    may_release = may_change and access.may(user, RELEASE)
    open_transfer = (
        subject.transfers.filter(status=TransferStatus.REQUESTED).select_related("to_agency").first()
    )
    return {
        "subject": subject,
        "revealed": revealed,
        "may_change": may_change,
        "contacts": subject.contacts.all(),
        "members": subject.group_members.all(),
        "group_problems": subjects.group_problems(subject),
        "transfers": subject_queries.list_transfers(user, subject=subject.pk)[:20],
        "open_transfer": open_transfer,
        "archive_count": len(archives.folder(subject).entries),
        "update_form": forms.get("update_form")
        or (
            SubjectUpdateForm(
                initial={
                    "phone": subject.phone,
                    "address": subject.address,
                    "level": subject.level,
                    "employment": subject.employment,
                    "family_situation": subject.family_situation,
                }
            )
            if may_change and revealed
            else None
        ),
        "contact_form": forms.get("contact_form") or (ContactForm() if may_change else None),
        "member_form": forms.get("member_form") or (GroupMemberForm() if may_change else None),
        "plan_form": forms.get("plan_form")
        or (PlanForm(initial={"plan": subject.correction_plan}) if may_change else None),
        "account_form": forms.get("account_form")
        or (AccountForm() if may_change and not subject.account_id else None),
        "release_form": forms.get("release_form") or (ReleaseForm() if may_release else None),
        "terminate_form": forms.get("terminate_form") or (TerminateForm() if may_release else None),
        "transfer_form": forms.get("transfer_form")
        or (
            TransferForm(agencies=subject_queries.receiving_agencies().exclude(pk=subject.agency_id)[:300])
            if may_change and open_transfer is None and access.may_do(user, "add", SubjectTransfer)
            else None
        ),
    }


@staff_required
def subject_detail(request, pk: int):
    subject = _get(request.user, pk)
    return render(request, "correction/subjects/detail.html", _detail_context(request, subject))


@staff_required
def subject_reveal(request, pk: int):
    """POST: the subject's personal information unmasked — allowed or not, decided and logged by the service."""
    subject = _get(request.user, pk)
    if request.method != "POST":
        return redirect(_back(subject))
    revealed = core_services.reveal_personal_information(subject, actor=request.user, channel="网页")
    if not revealed:
        messages.error(request, "您没有查看完整个人信息的权限。")
    if request.headers.get("HX-Request"):
        return render(
            request,
            "correction/subjects/_pii_card.html",
            {"subject": subject, "revealed": revealed, "reveal_url": request.path},
        )
    return render(
        request, "correction/subjects/detail.html", _detail_context(request, subject, revealed=revealed)
    )


def _step(request, pk: int, form_class, service, *, name: str, done: str, **form_kwargs):
    """A detail-page form calling one service of the subject; errors re-render the page with the form."""
    subject = _get_to_change(request.user, pk)
    form = form_class(request.POST, **form_kwargs)
    if (
        form.is_valid()
        and submit(form, service, subject, actor=request.user, **form.cleaned_data) is not None
    ):
        messages.success(request, done)
        return redirect(_back(subject))
    return render(
        request, "correction/subjects/detail.html", _detail_context(request, subject, **{name: form})
    )


@staff_required
@require_POST
def subject_update(request, pk: int):
    return _step(
        request, pk, SubjectUpdateForm, subjects.update_subject, name="update_form", done="信息已修改"
    )


@staff_required
@require_POST
def subject_contact_add(request, pk: int):
    return _step(request, pk, ContactForm, subjects.save_contact, name="contact_form", done="家庭成员已登记")


@staff_required
@require_POST
def subject_member_add(request, pk: int):
    return _step(
        request,
        pk,
        GroupMemberForm,
        subjects.save_group_member,
        name="member_form",
        done="矫正小组成员已增加",
    )


@staff_required
@require_POST
def subject_plan(request, pk: int):
    return _step(request, pk, PlanForm, subjects.update_plan, name="plan_form", done="矫正方案已保存")


def _link_by_username(subject, *, actor, username: str):
    user = subject_queries.find_portal_account(username)
    if user is None:
        from smartjustice.core.errors import ValidationFailed

        raise ValidationFailed("找不到该粤矫通账号", fields={"username": ["找不到该粤矫通账号"]})
    return subjects.link_account(subject, actor=actor, user=user)


@staff_required
@require_POST
def subject_account(request, pk: int):
    return _step(request, pk, AccountForm, _link_by_username, name="account_form", done="已关联粤矫通账号")


@staff_required
@require_POST
def subject_release(request, pk: int):
    return _step(
        request,
        pk,
        ReleaseForm,
        subjects.release_subject,
        name="release_form",
        done="已解除社区矫正，证明书已生成",
    )


@staff_required
@require_POST
def subject_terminate(request, pk: int):
    return _step(
        request, pk, TerminateForm, subjects.terminate_subject, name="terminate_form", done="社区矫正已终止"
    )


@staff_required
@require_POST
def subject_transfer(request, pk: int):
    agencies = subject_queries.receiving_agencies()[:300]
    return _step(
        request,
        pk,
        TransferForm,
        subjects.request_transfer,
        name="transfer_form",
        done="已申请变更执行地，等待变更后的社区矫正机构接收",
        agencies=agencies,
    )


# --- archive folder -----------------------------------------------------------------------------------------------


def _archive_page(request, subject, *, item_form=None, export_form=None):
    may_change = access.can(request.user, "change", subject)
    return render(
        request,
        "correction/subjects/archive.html",
        {
            "subject": subject,
            "folder": archives.folder(subject),
            "retain_until": archives.retain_until(subject),
            "may_change": may_change,
            "item_form": item_form or (ArchiveItemForm() if may_change else None),
            "export_form": export_form or ExportForm(),
        },
    )


@staff_required
def subject_archive(request, pk: int):
    return _archive_page(request, _get(request.user, pk))


@staff_required
@require_POST
def subject_archive_file(request, pk: int):
    subject = _get_to_change(request.user, pk)
    access.require(request.user, "add", ArchiveItem)
    form = ArchiveItemForm(request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        item = submit(
            form,
            archives.file_item,
            subject,
            actor=request.user,
            file=upload,
            filename=upload.name if upload else "",
            **data,
        )
        if item is not None:
            messages.success(request, f"已归档：{item.title}")
            return redirect("correction:subject-archive", pk=subject.pk)
    return _archive_page(request, subject, item_form=form)


def _export(request, pk: int, service, content_type: str, ext: str):
    subject = _get_to_change(request.user, pk)
    form = ExportForm(request.GET)
    form.is_valid()
    data = submit(form, service, subject, actor=request.user, purpose=form.cleaned_data.get("purpose", ""))
    if data is None:
        return _archive_page(request, subject, export_form=form)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename=archive-{subject.number}.{ext}"
    return response


@staff_required
def subject_archive_zip(request, pk: int):
    return _export(request, pk, archives.export_zip, "application/zip", "zip")


@staff_required
def subject_archive_pdf(request, pk: int):
    return _export(request, pk, archives.export_pdf, "application/pdf", "pdf")


@staff_required
def subject_file(request, pk: int, attachment_id: int):
    """A file of the folder (the certificate, a judgment …): whoever may see the subject; the download is logged."""
    subject = _get(request.user, pk)
    entry = next(
        (e for e in archives.folder(subject).entries if e.attachment and e.attachment.pk == attachment_id),
        None,
    )
    if entry is None:
        raise NotFound("文件不存在或您无权访问")
    return attachments.download_response(entry.attachment, actor=request.user)


# --- transfers ----------------------------------------------------------------------------------------------------


@staff_required
def transfer_list(request):
    """变更执行地: incoming (to decide) and outgoing handovers of the user's side."""
    access.require(request.user, "view", SubjectTransfer)
    filters = TransferFilterForm(request.GET)
    page = page_of(subject_queries.list_transfers(request.user, **filters.values()), request)
    return render(request, "correction/subjects/transfer_list.html", {"filters": filters, "page": page})


def _transfer_back(transfer) -> str:
    return reverse("correction:transfer-detail", args=[transfer.pk])


@staff_required
def transfer_detail(request, pk: int):
    transfer = subject_queries.get_transfer_for(request.user, pk)
    forms_ = workflow_api.transition_forms(
        transfer, request.user, services=subjects.TRANSFER_SERVICES, inputs=TRANSFER_INPUTS
    )
    return render(
        request,
        "correction/subjects/transfer_detail.html",
        {
            "transfer": transfer,
            "may_accept": any(f.name == "accept" for f in forms_),
            "refuse_forms": [f for f in forms_ if f.name == "refuse"],
            "stations": subject_queries.stations_of_county(transfer.to_jurisdiction_id)
            if any(f.name == "accept" for f in forms_)
            else [],
            "history": workflow.history(transfer),
            "sees_subject": access.can(request.user, "view", transfer.subject),
        },
    )


transfer_act = workflow_api.transition_view(
    get=subject_queries.get_transfer_for,
    services=subjects.TRANSFER_SERVICES,
    inputs=TRANSFER_INPUTS,
    redirect_to=_transfer_back,
)
