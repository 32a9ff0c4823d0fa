"""Every read of 共享协同平台, already restricted by core.access (pages and API share these)."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from smartjustice.core import access, verification
from smartjustice.core.errors import NotFound, ValidationFailed
from smartjustice.core.models import Jurisdiction

from . import sealing
from .choices import DeliveryStatus, SharingClass
from .models import Consumer, Dataset, Delivery, DeliveryCount, Disclosure, RecordCount, Subscription


def list_datasets(user, *, q: str = "", sharing_class: str = ""):
    """The catalogue: every holder of hub.view_dataset reads all of it (Dataset.access_scopes); 401/403 otherwise."""
    access.require(user, "view", Dataset)
    qs = Dataset.objects.restrict(user, "view").select_related("owner")
    if q:
        qs = qs.filter(Q(name__contains=q.strip()) | Q(code__contains=q.strip()))
    if sharing_class:
        qs = qs.filter(sharing_class=sharing_class)
    return qs.order_by("code")


def get_dataset_for(user, pk, *, action: str = "view") -> Dataset:
    return access.get_for(user, Dataset.objects.select_related("owner"), pk, action)


def get_dataset_by_code(code: str) -> Dataset:
    """For machine clients (ingest): the catalogue entry by its code."""
    dataset = Dataset.objects.filter(code=code, is_active=True).first()
    if dataset is None:
        raise NotFound(f"共享数据目录中没有数据集“{code}”")
    return dataset


def subscribable_datasets(user):
    """Catalogue entries a consumer may subscribe to: active and not 不予共享."""
    return list_datasets(user).filter(is_active=True).exclude(sharing_class=SharingClass.NOT_SHARED)


def list_consumers(user, *, action: str = "view", q: str = "", kind: str = "", is_active: bool | None = None):
    """Consumers registered in the user's jurisdiction, each with its number of active subscriptions."""
    qs = (
        Consumer.objects.restrict(user, action)
        .select_related("jurisdiction", "application")
        .annotate(active_subscriptions=Count("subscriptions", filter=Q(subscriptions__is_active=True)))
    )
    if q:
        qs = qs.filter(Q(name__contains=q.strip()) | Q(code__contains=q.strip().lower()))
    if kind:
        qs = qs.filter(kind=kind)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return qs.order_by("code")


def jurisdiction_for_new_consumer(user, code: str) -> Jurisdiction:
    """Where `user` may register a consumer: a jurisdiction inside their own (needs hub.add_consumer)."""
    access.require(user, "add", Consumer)
    place = Jurisdiction.objects.filter(code=code).first()
    if place is None or not access.may_act_in(user, place.code):
        message = "区划不存在或不在您的辖区内"
        raise ValidationFailed(message, fields={"jurisdiction_code": [message]})
    return place


def get_consumer_for(user, pk, *, action: str = "view") -> Consumer:
    return access.get_for(user, Consumer.objects.select_related("jurisdiction", "application"), pk, action)


def require_registering(user) -> None:
    """401/403 unless the user may register consumers somewhere (hub.add_consumer)."""
    access.require(user, "add", Consumer)


def consumer_to_subscribe(user, pk) -> Consumer:
    """The consumer a new subscription is for: hub.add_subscription (else 401/403) and the consumer changeable by
    the user (else not found)."""
    access.require(user, "add", Subscription)
    return get_consumer_for(user, pk, action="change")


def consumer_page(user, consumer: Consumer) -> dict:
    """What the consumer page may offer `user`: change and subscribe buttons."""
    may_change = access.can(user, "change", consumer)
    return {
        "may_change": may_change,
        "may_subscribe": may_change and consumer.is_active and access.may_do(user, "add", Subscription),
    }


def list_subscriptions(user, *, consumer: int | None = None, dataset: int | None = None):
    qs = Subscription.objects.restrict(user, "view").select_related("consumer", "dataset")
    if consumer:
        qs = qs.filter(consumer_id=consumer)
    if dataset:
        qs = qs.filter(dataset_id=dataset)
    return qs.order_by("id")


def subscriptions_with_counts(user, consumer: Consumer):
    """A consumer's subscriptions, each with its deliveries counted by status (one query) for users who may view
    deliveries (hub.view_delivery); without the counts for others."""
    if not access.may_do(user, "view", Delivery):
        return list_subscriptions(user, consumer=consumer.pk)
    counts = {
        status: Count("deliveries", filter=Q(deliveries__status=status)) for status in DeliveryStatus.values
    }
    return list_subscriptions(user, consumer=consumer.pk).annotate(**counts)


def delivery_counts(user, consumer: Consumer) -> dict[str, int] | None:
    """How many of a consumer's deliveries are pending, delivered and dead (all statuses present, 0 if none); None
    for users who may not view deliveries."""
    if not access.may_do(user, "view", Delivery):
        return None
    rows = (
        list_deliveries(user, consumer=consumer.pk).order_by().values_list("status").annotate(n=Count("id"))
    )
    found = dict(rows)
    return {status: found.get(status, 0) for status in DeliveryStatus.values}


def get_subscription_for(user, pk, *, action: str = "view") -> Subscription:
    return access.get_for(user, Subscription.objects.select_related("consumer", "dataset"), pk, action)


def list_deliveries(
    user, *, action: str = "view", status: str = "", consumer: int | None = None, dataset: int | None = None
):
    """Deliveries to consumers in the user's jurisdiction; `status=dead` is the dead-letter list."""
    qs = access.restrict(Delivery.objects.all(), user, action).select_related(
        "record", "subscription__consumer", "subscription__dataset"
    )
    if status:
        qs = qs.filter(status=status)
    if consumer:
        qs = qs.filter(subscription__consumer_id=consumer)
    if dataset:
        qs = qs.filter(subscription__dataset_id=dataset)
    return qs.order_by("-id")


def get_delivery_for(user, pk, *, action: str = "view") -> Delivery:
    qs = Delivery.objects.select_related("record", "subscription__consumer", "subscription__dataset")
    return access.get_for(user, qs, pk, action)


def my_disclosures(user, *, dataset: int | None = None):
    """Which agency received which of the signed-in person's data, when and why (by their ID number).

    Only by an ID number the account proved to hold (core.verification): anyone may register with any number.
    """
    id_number = verification.verified_id_number(user)
    if not id_number:
        return Disclosure.objects.none()
    qs = Disclosure.objects.filter(subject_digest=sealing.subject_digest(id_number)).select_related(
        "consumer", "dataset"
    )
    if dataset:
        qs = qs.filter(dataset_id=dataset)
    return qs.order_by("-disclosed_at", "-id")


def statistics(user) -> dict:
    """Records gathered and shared per dataset, consumer and month, inside the user's jurisdiction (401/403 without
    hub.view_delivery)."""
    access.require(user, "view", Delivery)
    counts = access.restrict(RecordCount.objects.all(), user, "view")
    names = dict(Dataset.objects.values_list("id", "name"))
    consumers = dict(Consumer.objects.values_list("id", "name"))
    gathered = [
        {
            "dataset": names.get(row["dataset_id"], ""),
            "month": row["month"].strftime("%Y-%m"),
            "count": row["n"],
        }
        for row in counts.values("dataset_id", "month")
        .annotate(n=Sum("records"))
        .order_by("month", "dataset_id")
    ]
    shared = [
        {
            "dataset": names.get(row["dataset_id"], ""),
            "consumer": consumers.get(row["consumer_id"], ""),
            "month": row["month"].strftime("%Y-%m"),
            "count": row["n"],
        }
        for row in access.restrict(DeliveryCount.objects.all(), user, "view")
        .values("dataset_id", "consumer_id", "month")
        .annotate(n=Sum("records"))
        .order_by("month", "dataset_id", "consumer_id")
    ]
    dead = access.restrict(Delivery.objects.all(), user, "view").filter(status=DeliveryStatus.DEAD).count()
    pending = (
        access.restrict(Delivery.objects.all(), user, "view").filter(status=DeliveryStatus.PENDING).count()
    )
    return {"gathered": gathered, "shared": shared, "dead": dead, "pending": pending}
