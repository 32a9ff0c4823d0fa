"""Pages of 共享协同平台 (thin: parse → query/service → render): the catalogue, dead letters, statistics for
staff; “我的数据共享记录” for citizens."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from smartjustice.core import access
from smartjustice.core.errors import DomainError
from smartjustice.core.pagination import page_of
from smartjustice.core.views.guards import login_required, staff_required

from . import queries, services
from .choices import DeliveryStatus, SharingClass


@staff_required
def catalogue(request):
    filters = {"q": request.GET.get("q", "").strip(), "sharing_class": request.GET.get("sharing_class", "")}
    page = page_of(queries.list_datasets(request.user, **filters), request)
    return render(
        request,
        "hub/catalogue.html",
        {"page": page, "filters": filters, "sharing_classes": SharingClass.choices},
    )


@staff_required
def deliveries(request):
    status = request.GET.get("status", DeliveryStatus.DEAD)
    access.require_permission(request.user, "hub.view_delivery")
    page = page_of(queries.list_deliveries(request.user, status=status), request)
    return render(
        request, "hub/deliveries.html", {"page": page, "status": status, "statuses": DeliveryStatus.choices}
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
    access.require_permission(request.user, "hub.view_delivery")
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
    return render(request, "hub/my_disclosures.html", {"page": page, "has_id": bool(request.user.id_number)})
