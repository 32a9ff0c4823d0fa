"""Pages of 共享协同平台 (thin: parse → query/service → render): the catalogue, consumers and their subscriptions,
dead letters, statistics for staff; “我的数据共享记录” for citizens."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from smartjustice.core import access, verification
from smartjustice.core.errors import DomainError
from smartjustice.core.forms import submit
from smartjustice.core.pagination import page_of
from smartjustice.core.views.guards import login_required, staff_required

from . import queries, services
from .choices import DeliveryStatus, Masking, SharingClass
from .forms import ConsumerFilterForm, ConsumerForm, DatasetChoiceForm, SubscriptionForm
from .models import Consumer


@staff_required
def catalogue(request):
    filters = {"q": request.GET.get("q", "").strip(), "sharing_class": request.GET.get("sharing_class", "")}
    page = page_of(queries.list_datasets(request.user, **filters), request)
    return render(
        request,
        "hub/catalogue.html",
        {
            "page": page,
            "filters": filters,
            "sharing_classes": SharingClass.choices,
            "may_view_consumers": access.may_do(request.user, "view", Consumer),
        },
    )


# --- consumers -----------------------------------------------------------------------------------------------------


def _once(response):
    """Secrets are shown once, in the response to the POST that made them: never cached."""
    response["Cache-Control"] = "no-store"
    return response


def _confirm(request, *, title: str, message: str, confirm_label: str, cancel_url: str, danger: bool = True):
    """The confirmation page of an action (what a link shows without scripts; the modal posts directly)."""
    return render(
        request,
        "hub/confirm.html",
        {
            "title": title,
            "message": message,
            "confirm_label": confirm_label,
            "cancel_url": cancel_url,
            "danger": danger,
        },
    )


def _act(request, service, obj, *, success: str) -> None:
    """Run one state-changing service from a confirmed POST; its domain error becomes the page's message."""
    try:
        service(obj, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)


@staff_required
def consumer_list(request):
    filters = ConsumerFilterForm(request.GET)
    page = page_of(queries.list_consumers(request.user, **filters.values()), request)
    return render(
        request,
        "hub/consumers/list.html",
        {
            "filters": filters,
            "page": page,
            "may_add": access.may_do(request.user, "add", Consumer),
        },
    )


def _labelled(subscription):
    """A subscription's fields and masking rules in words, for the page (the titles come from the schema)."""
    titles = {
        name: (spec or {}).get("title", name)
        for name, spec in (subscription.dataset.schema.get("properties") or {}).items()
    }
    subscription.field_labels = [titles.get(name, name) for name in subscription.fields]
    subscription.masking_labels = [
        f"{titles.get(name, name)}：{Masking(rule).label}" if rule in Masking.values else name
        for name, rule in subscription.masking.items()
    ]
    return subscription


@staff_required
def consumer_detail(request, pk: int):
    user = request.user
    consumer = queries.get_consumer_for(user, pk)
    return render(
        request,
        "hub/consumers/detail.html",
        {
            "consumer": consumer,
            "subscriptions": [_labelled(s) for s in queries.subscriptions_with_counts(user, consumer)],
            "counts": queries.delivery_counts(user, consumer),
            "statuses": DeliveryStatus.choices,
            **queries.consumer_page(user, consumer),
        },
    )


@staff_required
def consumer_create(request):
    queries.require_registering(request.user)
    form = ConsumerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        result = submit(form, services.register_consumer, actor=request.user, **form.service_arguments())
        if result is not None:
            consumer, credentials = result
            return _once(
                render(
                    request,
                    "hub/consumers/credentials.html",
                    {"consumer": consumer, "credentials": credentials, "created": True},
                )
            )
    return render(request, "hub/consumers/form.html", {"form": form, "consumer": None})


@staff_required
def consumer_edit(request, pk: int):
    consumer = queries.get_consumer_for(request.user, pk, action="change")
    initial = {"name": consumer.name, "push_url": consumer.push_url, "contact": consumer.contact}
    form = ConsumerForm(request.POST or None, user=request.user, consumer=consumer, initial=initial)
    if request.method == "POST" and form.is_valid():
        updated = submit(
            form, services.update_consumer, consumer, actor=request.user, **form.service_arguments()
        )
        if updated is not None:
            messages.success(request, "已保存修改。")
            return redirect("hub:consumer-detail", pk=consumer.pk)
    return render(request, "hub/consumers/form.html", {"form": form, "consumer": consumer})


@staff_required
def consumer_deactivate(request, pk: int):
    """GET asks for confirmation (when the page's modal is unavailable); POST deactivates."""
    consumer = queries.get_consumer_for(request.user, pk, action="change")
    if request.method == "POST":
        _act(
            request,
            services.deactivate_consumer,
            consumer,
            success=f"已停用“{consumer.name}”：其访问令牌不再有效，也不再向其分发新记录。",
        )
        return redirect("hub:consumer-detail", pk=consumer.pk)
    return _confirm(
        request,
        title="停用数据使用方",
        message=f"停用后，“{consumer.name}”的客户端将无法再拉取或报送数据，平台也不再向其分发新记录。可随时重新启用。",
        confirm_label="确定停用",
        cancel_url=reverse("hub:consumer-detail", args=[consumer.pk]),
    )


@staff_required
def consumer_reactivate(request, pk: int):
    consumer = queries.get_consumer_for(request.user, pk, action="change")
    if request.method == "POST":
        _act(request, services.reactivate_consumer, consumer, success=f"已重新启用“{consumer.name}”。")
        return redirect("hub:consumer-detail", pk=consumer.pk)
    return _confirm(
        request,
        title="重新启用数据使用方",
        message=f"重新启用后，“{consumer.name}”可以再用原有的客户端凭据访问平台，新发布的记录将按其订阅分发。",
        confirm_label="确定启用",
        cancel_url=reverse("hub:consumer-detail", args=[consumer.pk]),
        danger=False,
    )


ROTATIONS = {  # URL slug → (the service's name for the secret, title, what happens to the old one)
    "client-secret": (
        "client_secret",
        "轮换 OAuth2 客户端密钥",
        "原客户端密钥将立即作废，已签发的访问令牌同时吊销；使用方须改用新密钥申请访问令牌。",
    ),
    "push-secret": (
        "push_secret",
        "轮换推送签名密钥",
        "此后的推送只用新密钥签名，使用方须同步更新验签密钥，否则将拒收推送。",
    ),
}


@staff_required
def consumer_rotate(request, pk: int, which: str):
    """GET asks for confirmation; POST makes the new secret and shows it this once."""
    if which not in ROTATIONS:
        raise Http404("未知的密钥类型")
    secret, title, consequence = ROTATIONS[which]
    consumer = queries.get_consumer_for(request.user, pk, action="change")
    if request.method == "POST":
        consumer, value = services.rotate_secret(consumer, actor=request.user, secret=secret)
        return _once(
            render(
                request,
                "hub/consumers/credentials.html",
                {"consumer": consumer, "credentials": {secret: value}, "created": False, "title": title},
            )
        )
    return _confirm(
        request,
        title=title,
        message=f"确定为“{consumer.name}”生成新的{title.removeprefix('轮换')}吗？{consequence}新值只显示一次。",
        confirm_label="确定轮换",
        cancel_url=reverse("hub:consumer-detail", args=[consumer.pk]),
    )


# --- subscriptions -------------------------------------------------------------------------------------------------


@staff_required
def subscription_create(request, pk: int):
    """Step one picks the dataset (GET ?dataset=, or htmx), step two its terms; both on this page."""
    consumer = queries.consumer_to_subscribe(request.user, pk)
    source = request.POST if request.method == "POST" else request.GET
    picker = DatasetChoiceForm(source if source.get("dataset") else None, user=request.user)
    dataset = picker.cleaned_data["dataset"] if picker.is_bound and picker.is_valid() else None
    form = None
    if dataset is not None:
        form = SubscriptionForm(
            request.POST if request.method == "POST" else None,
            user=request.user,
            consumer=consumer,
            dataset=dataset,
        )
        if request.method == "POST" and form.is_valid():
            subscription = submit(
                form,
                services.subscribe,
                actor=request.user,
                consumer=consumer,
                dataset=dataset,
                **form.service_arguments(),
            )
            if subscription is not None:
                messages.success(request, f"已为“{consumer.name}”订阅“{dataset.name}”。")
                return redirect("hub:consumer-detail", pk=consumer.pk)
    template = (
        "hub/subscriptions/_terms.html"
        if request.headers.get("HX-Request")
        else "hub/subscriptions/form.html"
    )
    return render(
        request,
        template,
        {"consumer": consumer, "picker": picker, "dataset": dataset, "form": form, "subscription": None},
    )


@staff_required
def subscription_edit(request, pk: int):
    subscription = queries.get_subscription_for(request.user, pk, action="change")
    form = SubscriptionForm(
        request.POST or None,
        user=request.user,
        consumer=subscription.consumer,
        dataset=subscription.dataset,
        initial=SubscriptionForm.initial_for(subscription),
    )
    if request.method == "POST" and form.is_valid():
        updated = submit(
            form, services.update_subscription, subscription, actor=request.user, **form.service_arguments()
        )
        if updated is not None:
            messages.success(request, "订阅已修改，此后分发的记录按新的条件提供。")
            return redirect("hub:consumer-detail", pk=subscription.consumer_id)
    return render(
        request,
        "hub/subscriptions/form.html",
        {
            "consumer": subscription.consumer,
            "dataset": subscription.dataset,
            "form": form,
            "subscription": subscription,
        },
    )


@staff_required
def subscription_deactivate(request, pk: int):
    subscription = queries.get_subscription_for(request.user, pk, action="change")
    if request.method == "POST":
        _act(
            request,
            services.deactivate_subscription,
            subscription,
            success=f"已停用对“{subscription.dataset.name}”的订阅。",
        )
        return redirect("hub:consumer-detail", pk=subscription.consumer_id)
    return _confirm(
        request,
        title="停用数据订阅",
        message=f"停用后，“{subscription.consumer.name}”将不再收到“{subscription.dataset.name}”的新记录，"
        "拉取也不再返回该订阅的数据。可随时重新启用（停用期间发布的记录不会补发）。",
        confirm_label="确定停用",
        cancel_url=reverse("hub:consumer-detail", args=[subscription.consumer_id]),
    )


@staff_required
def subscription_reactivate(request, pk: int):
    subscription = queries.get_subscription_for(request.user, pk, action="change")
    if request.method == "POST":
        _act(
            request,
            services.reactivate_subscription,
            subscription,
            success=f"已重新启用对“{subscription.dataset.name}”的订阅。",
        )
        return redirect("hub:consumer-detail", pk=subscription.consumer_id)
    return _confirm(
        request,
        title="重新启用数据订阅",
        message=f"重新启用后，“{subscription.consumer.name}”将按原条件收到“{subscription.dataset.name}”此后发布的记录。",
        confirm_label="确定启用",
        cancel_url=reverse("hub:consumer-detail", args=[subscription.consumer_id]),
        danger=False,
    )


# --- deliveries, statistics, the person's own view -------------------------------------------------------------------


@staff_required
def deliveries(request):
    status = request.GET.get("status", DeliveryStatus.DEAD)
    consumer = None
    if request.GET.get("consumer"):
        consumer = queries.get_consumer_for(request.user, request.GET["consumer"])
    rows = queries.list_deliveries(request.user, status=status, consumer=consumer.pk if consumer else None)
    page = page_of(rows, request)
    return render(
        request,
        "hub/deliveries.html",
        {"page": page, "status": status, "statuses": DeliveryStatus.choices, "consumer": consumer},
    )


@staff_required
@require_POST
def replay(request, pk: int):
    delivery = queries.get_delivery_for(request.user, pk, action="change")
    try:
        services.replay(delivery, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"投递 {delivery.pk} 已重新排入投递队列")
    return redirect(f"{reverse('hub:deliveries')}?status=dead")


@staff_required
def statistics(request):
    stats = queries.statistics(request.user)
    by_dataset: dict[str, int] = {}
    for row in stats["gathered"]:
        by_dataset[row["dataset"]] = by_dataset.get(row["dataset"], 0) + row["count"]
    by_consumer: dict[str, int] = {}
    for row in stats["shared"]:
        by_consumer[row["consumer"]] = by_consumer.get(row["consumer"], 0) + row["count"]
    months = sorted({r["month"] for r in stats["gathered"]} | {r["month"] for r in stats["shared"]})
    monthly = {
        "months": months,
        "gathered": [sum(r["count"] for r in stats["gathered"] if r["month"] == m) for m in months],
        "shared": [sum(r["count"] for r in stats["shared"] if r["month"] == m) for m in months],
    }
    return render(
        request,
        "hub/statistics.html",
        {
            "stats": stats,
            "dataset_chart": [{"name": k, "value": v} for k, v in by_dataset.items()],
            "consumer_chart": [{"name": k, "value": v} for k, v in by_consumer.items()],
            "monthly": monthly,
        },
    )


@login_required
def my_disclosures(request):
    """我的数据共享记录: which agency received which of my data, when, and why."""
    page = page_of(queries.my_disclosures(request.user), request)
    return render(
        request,
        "hub/my_disclosures.html",
        {
            "page": page,
            "has_id": bool(request.user.id_number),
            "identity": verification.status_of(request.user),
        },
    )
