"""Pages of 执法监督 (thin: parse → query/service → render)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from smartjustice.core import access, attachments, maps, workflow, workflow_api
from smartjustice.core.errors import NotFound
from smartjustice.core.forms import submit
from smartjustice.core.models import Jurisdiction
from smartjustice.core.pagination import page_of

from . import queries, rules, services
from .choices import FlagStatus
from .forms import (
    DismissForm,
    FlagFilterForm,
    OrderFilterForm,
    OrderForm,
    ReviewFilterForm,
    SampleForm,
    score_form,
)
from .models import CaseFileReview, SupervisionFlag, SupervisionOrder
from .schemas import TRANSITION_INPUTS


def case_url(case) -> str:
    """The case's page, when the case pages are installed (the link on every flag)."""
    try:
        return reverse("enforcement:case-detail", args=[case.pk])
    except NoReverseMatch:
        return ""


def _regions(user):
    """The divisions one level below the user's own (the region filter)."""
    own = Jurisdiction.objects.filter(code=getattr(user, "jurisdiction_id", None)).first()
    if own is None:
        return []
    return list(Jurisdiction.objects.filter(parent_id=own.code).order_by("code"))


@login_required
def dashboard(request):
    access.require(request.user, "view", SupervisionFlag)
    data = queries.dashboard(request.user)
    own = Jurisdiction.objects.filter(code=getattr(request.user, "jurisdiction_id", None)).first()
    region_map = maps.region_map(
        data["by_code"],
        level=maps.CITY if own is None or own.level <= 1 else maps.DISTRICT,
        title="待处理监督预警",
        unit="项",
        link=reverse("supervision:flags") + "?region={code}",
        key="flags",
    )
    return render(
        request,
        "supervision/dashboard.html",
        {
            "data": data,
            "region_map": region_map,
            "open_orders": queries.open_orders(request.user).count(),
            "overdue_orders": queries.list_orders(request.user, overdue=True)
            .filter(status__in=queries.OPEN_ORDER_STATES)
            .count(),
            "rules": [rules.RULES[code] for code in rules.RULES],
        },
    )


@login_required
def flag_list(request):
    access.require(request.user, "view", SupervisionFlag)
    data = request.GET.copy()
    data.setdefault("status", FlagStatus.OPEN)
    filters = FlagFilterForm(
        data, regions=_regions(request.user), agencies=queries.flag_agencies(request.user)
    )
    page = page_of(queries.list_flags(request.user, **filters.values()), request)
    for flag in page.object_list:
        flag.case_url = case_url(flag.case)
    return render(request, "supervision/flag_list.html", {"page": page, "filters": filters})


@login_required
def flag_detail(request, pk: int):
    flag = queries.get_flag_for(request.user, pk)
    may_change = access.can(request.user, "change", flag)
    orders = flag.orders.all().select_related("agency")
    return render(
        request,
        "supervision/flag_detail.html",
        {
            "flag": flag,
            "case_url": case_url(flag.case),
            "rule": flag.rule_object,
            "orders": orders,
            "may_order": may_change and access.may_do(request.user, "add", SupervisionOrder),
            "may_dismiss": may_change and flag.status == FlagStatus.OPEN,
            "order_form": OrderForm(initial={"deadline_on": services.default_deadline()}),
            "dismiss_form": DismissForm(),
            "period": rules.RECTIFICATION_PERIOD,
        },
    )


@login_required
@require_POST
def flag_order(request, pk: int):
    flag = queries.get_flag_for(request.user, pk, action="change")
    form = OrderForm(request.POST)
    if form.is_valid():
        order = submit(
            form, services.issue_order, case=flag.case, actor=request.user, flags=[flag], **form.cleaned_data
        )
        if order is not None:
            messages.success(request, f"已发出督办 {order.number}，整改期限 {order.deadline_on:%Y年%m月%d日}")
            return redirect("supervision:order-detail", pk=order.pk)
    return render(
        request,
        "supervision/flag_detail.html",
        {
            "flag": flag,
            "case_url": case_url(flag.case),
            "rule": flag.rule_object,
            "orders": flag.orders.all(),
            "may_order": True,
            "may_dismiss": flag.status == FlagStatus.OPEN,
            "order_form": form,
            "dismiss_form": DismissForm(),
            "period": rules.RECTIFICATION_PERIOD,
        },
        status=400,
    )


@login_required
@require_POST
def flag_dismiss(request, pk: int):
    flag = queries.get_flag_for(request.user, pk, action="change")
    form = DismissForm(request.POST)
    if form.is_valid() and submit(form, services.dismiss_flag, flag, actor=request.user, **form.cleaned_data):
        messages.success(request, "预警已核销")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors) or "核销失败")
    return redirect("supervision:flag-detail", pk=flag.pk)


@login_required
def order_list(request):
    access.require(request.user, "view", SupervisionOrder)
    filters = OrderFilterForm(request.GET)
    values = filters.values()
    overdue = values.pop("overdue")
    values["overdue"] = True if overdue == "1" else (False if overdue == "0" else None)
    page = page_of(queries.list_orders(request.user, **values), request)
    return render(request, "supervision/order_list.html", {"page": page, "filters": filters})


def _get_order(user, pk):
    return queries.get_order_for(user, pk)


@login_required
def order_detail(request, pk: int):
    order = _get_order(request.user, pk)
    return render(
        request,
        "supervision/order_detail.html",
        {
            "order": order,
            "case_url": case_url(order.case),
            "flags": order.flags.all(),
            "transition_forms": workflow_api.transition_forms(
                order, request.user, services=services.TRANSITION_SERVICES, inputs=TRANSITION_INPUTS
            ),
            "files": attachments.attachments_of(order),
            "history": workflow.history(order),
            "may_upload": getattr(request.user, "organisation_id", None) == order.agency_id
            and access.can(request.user, "change", order)
            and order.status in ("issued", "returned"),
        },
    )


order_act = workflow_api.transition_view(
    get=_get_order,
    services=services.TRANSITION_SERVICES,
    inputs=TRANSITION_INPUTS,
    redirect_to=lambda order: reverse("supervision:order-detail", args=[order.pk]),
)


@login_required
@require_POST
def order_upload(request, pk: int):
    order = queries.get_order_for(request.user, pk, action="change")
    try:
        stored = services.add_order_files(order, actor=request.user, files=request.FILES.getlist("files"))
        messages.success(request, f"已上传 {len(stored)} 个整改材料")
    except NotFound:
        raise
    except Exception as error:  # a DomainError: shown on the page
        from smartjustice.core.errors import DomainError

        if not isinstance(error, DomainError):
            raise
        messages.error(request, str(error))
    return redirect("supervision:order-detail", pk=order.pk)


@login_required
def order_download(request, pk: int, attachment_id: int):
    order = _get_order(request.user, pk)
    attachment = attachments.attachments_of(order).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("附件不存在或您无权访问")
    return attachments.download_response(attachment, actor=request.user)


@login_required
def review_list(request):
    access.require(request.user, "view", CaseFileReview)
    filters = ReviewFilterForm(request.GET, batches=queries.review_batches(request.user))
    page = page_of(queries.list_reviews(request.user, **filters.values()), request)
    may_sample = access.may_do(request.user, "add", CaseFileReview)
    form = SampleForm()
    if request.method == "POST" and may_sample:
        form = SampleForm(request.POST)
        if form.is_valid():
            created = submit(form, services.sample_reviews, actor=request.user, **form.cleaned_data)
            if created is not None:
                messages.success(request, f"已抽取 {len(created)} 件案卷")
                return redirect(f"{reverse('supervision:reviews')}?batch={form.cleaned_data['batch']}")
    return render(
        request,
        "supervision/review_list.html",
        {"page": page, "filters": filters, "may_sample": may_sample, "sample_form": form},
    )


@login_required
def review_detail(request, pk: int):
    review = queries.get_review_for(request.user, pk)
    checklist = rules.load_checklist()
    may_score = access.can(request.user, "change", review)
    form = score_form(checklist, initial_scores=review.scores, initial_notes=review.notes)
    if request.method == "POST":
        review = queries.get_review_for(request.user, pk, action="change")
        form = score_form(checklist, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            codes = [item["code"] for item in checklist["items"]]
            scored = submit(
                form,
                services.score_review,
                review,
                actor=request.user,
                scores={c: data[f"score_{c}"] for c in codes},
                notes={c: data.get(f"note_{c}", "") for c in codes},
            )
            if scored is not None:
                messages.success(request, f"评查完成：总分 {scored.total}（{scored.get_grade_display()}）")
                return redirect("supervision:review-detail", pk=review.pk)
    items = [
        {
            **item,
            "citation": rules.CHECKLIST_RULES[item["code"]].citation,
            "score": review.scores.get(item["code"]),
            "note": review.notes.get(item["code"], ""),
            "field": form[f"score_{item['code']}"],
            "note_field": form[f"note_{item['code']}"],
        }
        for item in checklist["items"]
    ]
    return render(
        request,
        "supervision/review_detail.html",
        {
            "review": review,
            "items": items,
            "form": form,
            "may_score": may_score,
            "case_url": case_url(review.case),
        },
    )
