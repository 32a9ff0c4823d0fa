"""Officer pages of education and identity checks at /correction/education/ and /correction/identity-checks/: the
learning tasks, the assignments, one subject's learning record (monthly hours against the requirement, sessions and
their identity checks), and the review queue of live-challenge checks with the photo, the intake photo and the
digits. Parse → queries → one service → render."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from smartjustice.core import access, attachments
from smartjustice.core.forms import submit
from smartjustice.core.pagination import page_of
from smartjustice.core.views.guards import staff_required

from . import education, identity
from . import education_queries as queries
from .forms_education import (
    AssignmentFilterForm,
    AssignmentForm,
    IdentityCheckFilterForm,
    ReviewForm,
    TaskFilterForm,
    TaskForm,
)
from .models import IdentityCheck, IdentityStatus, LearningAssignment, LearningTask

# --- tasks -------------------------------------------------------------------------------------------------------


@staff_required
def task_list(request):
    """教育学习任务: the tasks of the user's jurisdiction."""
    access.require(request.user, "view", LearningTask)
    filters = TaskFilterForm(request.GET)
    page = page_of(queries.filter_tasks(queries.list_tasks(request.user), **filters.values()), request)
    return render(request, "correction/education/task_list.html", {"filters": filters, "page": page})


@staff_required
def task_create(request):
    """发布学习任务 for the user's agency or 司法所."""
    access.require(request.user, "add", LearningTask)
    form = TaskForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            task = submit(form, education.create_task, actor=request.user, **form.cleaned_data)
            if task is not None:
                messages.success(request, "学习任务已发布")
                return redirect("correction:education-task-detail", pk=task.pk)
        return render(request, "correction/education/task_form.html", {"form": form}, status=422)
    return render(request, "correction/education/task_form.html", {"form": form})


@staff_required
def task_detail(request, pk: int):
    """One task: its content, and (for who may change it) the edit form, posted here."""
    task = queries.get_task_for(request.user, pk)
    may_change = access.can(request.user, "change", task)
    initial = {name: getattr(task, name) for name in education.TASK_FIELDS}
    form = TaskForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        task = queries.get_task_for(request.user, pk, "change")
        if form.is_valid():
            saved = submit(form, education.update_task, task, actor=request.user, **form.cleaned_data)
            if saved is not None:
                messages.success(request, "学习任务已修改")
                return redirect("correction:education-task-detail", pk=task.pk)
        status = 422
    return render(
        request,
        "correction/education/task_detail.html",
        {"task": task, "form": form, "may_change": may_change},
        status=status,
    )


# --- assignments -------------------------------------------------------------------------------------------------


@staff_required
def assignment_list(request):
    """教育学习任务布置: what each subject has to learn, the hours credited and the due date."""
    access.require(request.user, "view", LearningAssignment)
    filters = AssignmentFilterForm(request.GET)
    values = filters.values()
    page = page_of(
        queries.filter_assignments(
            queries.list_assignments(request.user), status=values["status"], overdue=values["overdue"] or None
        ),
        request,
    )
    return render(
        request,
        "correction/education/assignment_list.html",
        {
            "filters": filters,
            "page": page,
            "may_assign": access.may_do(request.user, "add", LearningAssignment),
        },
    )


@staff_required
def assignment_create(request):
    """布置学习任务 to a subject the user may change."""
    access.require(request.user, "add", LearningAssignment)
    subjects = queries.assignable_subjects(request.user)
    chosen = request.POST.get("subject_id") or request.GET.get("subject")
    subject = subjects.filter(pk=chosen).first() if str(chosen or "").isdigit() else None
    form = AssignmentForm(
        request.POST or None,
        initial={"subject_id": subject.pk if subject else None},
        subjects=subjects[:500],
        tasks=queries.assignable_tasks(request.user, subject)[:500],
    )
    if request.method == "POST":
        if form.is_valid() and subject is not None:
            task = queries.get_assignable_task_for(request.user, subject, form.cleaned_data["task_id"])
            assignment = submit(
                form,
                education.assign_task,
                subject,
                actor=request.user,
                task=task,
                due_on=form.cleaned_data["due_on"],
                note=form.cleaned_data["note"],
            )
            if assignment is not None:
                messages.success(request, f"已为{subject.name}布置学习任务")
                return redirect("correction:education-subject-record", pk=subject.pk)
        return render(request, "correction/education/assignment_form.html", {"form": form}, status=422)
    return render(request, "correction/education/assignment_form.html", {"form": form})


@staff_required
def subject_record(request, pk: int):
    """One subject's learning: hours per month against the requirement, tasks, sessions and identity checks."""
    subject = queries.get_subject_for(request.user, pk)
    return render(
        request,
        "correction/education/subject_record.html",
        {
            "record": queries.learning_record(request.user, subject),
            "identity_method": identity.identity_method(subject),
            "may_assign": access.can(request.user, "change", subject)
            and access.may_do(request.user, "add", LearningAssignment),
        },
    )


# --- identity checks ---------------------------------------------------------------------------------------------


@staff_required
def identity_check_list(request):
    """身份核验: by default the review queue (pending live-challenge checks, oldest first)."""
    access.require(request.user, "view", IdentityCheck)
    data = request.GET if request.GET else {"status": IdentityStatus.PENDING}
    filters = IdentityCheckFilterForm(data)
    values = filters.values()
    if values["status"] == IdentityStatus.PENDING and not values["method"]:
        checks = queries.review_queue(request.user)
    else:
        checks = queries.filter_identity_checks(queries.list_identity_checks(request.user), **values)
    return render(
        request,
        "correction/education/identity_check_list.html",
        {"filters": filters, "page": page_of(checks, request)},
    )


def _check_page(request, check, *, form=None, status=200):
    return render(
        request,
        "correction/education/identity_check_detail.html",
        {
            "check": check,
            "form": form or ReviewForm(),
            "may_review": check.status == IdentityStatus.PENDING
            and access.can(request.user, "change", check),
            "sessions": queries.sessions_of_check(request.user, check),
        },
        status=status,
    )


@staff_required
def identity_check_detail(request, pk: int):
    """One check: the live photo, the intake photo, the digits issued and typed, the score, and the review form."""
    return _check_page(request, queries.get_identity_check_for(request.user, pk))


@staff_required
@require_POST
def identity_check_review(request, pk: int):
    """复核: approve or refuse a pending live-challenge check, with the reason."""
    check = queries.get_identity_check_for(request.user, pk, "change")
    form = ReviewForm(request.POST)
    if form.is_valid():
        reviewed = submit(
            form,
            identity.review_identity_check,
            check,
            actor=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        )
        if reviewed is not None:
            messages.success(request, f"已复核：{reviewed.get_status_display()}")
            return redirect("correction:identity-check-list")
    return _check_page(request, check, form=form, status=422)


@staff_required
def identity_check_photo(request, pk: int):
    """The live photo of a check (its download is audited)."""
    check = queries.get_identity_check_for(request.user, pk)
    return attachments.download_response(
        queries.identity_photo_for(request.user, check, "live"), actor=request.user
    )


@staff_required
def identity_check_reference(request, pk: int):
    """The subject's intake photo, to compare with (its download is audited)."""
    check = queries.get_identity_check_for(request.user, pk)
    return attachments.download_response(
        queries.identity_photo_for(request.user, check, "reference"), actor=request.user
    )
