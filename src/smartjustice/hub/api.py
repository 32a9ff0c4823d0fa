"""API of 共享协同平台 at /api/v1/hub/: the catalogue, consumers and subscriptions, dead letters and statistics
for staff; pull and bulk ingest for machine clients (OAuth2 client credentials, scopes hub.pull / hub.ingest)."""

from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from ninja import Query, Router, Status
from ninja.pagination import paginate

from smartjustice.core import verification
from smartjustice.core.auth import API_AUTH
from smartjustice.core.errors import NotFound, ValidationFailed
from smartjustice.core.pagination import Id, PageNumberPagination
from smartjustice.oauth.client_auth import ClientCredentialsAuth

from . import queries, services
from .schemas import (
    ConsumerCreatedOut,
    ConsumerFilter,
    ConsumerIn,
    ConsumerOut,
    ConsumerPatch,
    CountOut,
    DatasetFilter,
    DatasetOut,
    DeliveryFilter,
    DeliveryOut,
    DisclosureOut,
    IngestIn,
    IngestOut,
    PullOut,
    ReplayIn,
    RotateSecretIn,
    SecretRotatedOut,
    StatsOut,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPatch,
)

router = Router(tags=["共享协同平台"])
PULL_AUTH = [ClientCredentialsAuth("hub.pull")]
INGEST_AUTH = [ClientCredentialsAuth("hub.ingest")]


# --- catalogue -----------------------------------------------------------------------------------------------------


@router.get("/datasets", response=list[DatasetOut], auth=API_AUTH, summary="数据目录")
@paginate(PageNumberPagination)
def list_datasets(request, filters: Query[DatasetFilter]):
    return queries.list_datasets(request.auth, **filters.dict())


@router.get("/datasets/{dataset_id}", response=DatasetOut, auth=API_AUTH, summary="数据集详情")
def get_dataset(request, dataset_id: int):
    return queries.get_dataset_for(request.auth, dataset_id)


# --- consumers and subscriptions -----------------------------------------------------------------------------------


@router.get("/consumers", response=list[ConsumerOut], auth=API_AUTH, summary="数据使用方")
@paginate(PageNumberPagination)
def list_consumers(request, filters: Query[ConsumerFilter]):
    return queries.list_consumers(request.auth, **filters.dict())


@router.get("/consumers/{consumer_id}", response=ConsumerOut, auth=API_AUTH, summary="数据使用方详情")
def get_consumer(request, consumer_id: int):
    return queries.get_consumer_for(request.auth, consumer_id)


@router.post("/consumers", response={201: ConsumerCreatedOut}, auth=API_AUTH, summary="登记数据使用方")
def register_consumer(request, payload: ConsumerIn, response: HttpResponse):
    patch_cache_control(response, no_store=True)  # the secrets are in this answer only
    user = request.auth
    place = queries.jurisdiction_for_new_consumer(user, payload.jurisdiction_code)
    consumer, credentials = services.register_consumer(
        actor=user,
        code=payload.code,
        name=payload.name,
        kind=payload.kind,
        jurisdiction=place,
        push_url=payload.push_url,
        contact=payload.contact,
    )
    return Status(201, {"consumer": consumer, **credentials})


@router.patch("/consumers/{consumer_id}", response=ConsumerOut, auth=API_AUTH, summary="修改数据使用方")
def update_consumer(request, consumer_id: int, payload: ConsumerPatch):
    consumer = queries.get_consumer_for(request.auth, consumer_id, action="change")
    return services.update_consumer(consumer, actor=request.auth, **payload.dict(exclude_unset=True))


@router.post(
    "/consumers/{consumer_id}/rotate-secret",
    response=SecretRotatedOut,
    auth=API_AUTH,
    summary="轮换客户端密钥或推送签名密钥（新值仅显示一次，原值即时作废）",
)
def rotate_secret(request, consumer_id: int, payload: RotateSecretIn, response: HttpResponse):
    patch_cache_control(response, no_store=True)  # the new secret is in this answer only
    consumer = queries.get_consumer_for(request.auth, consumer_id, action="change")
    consumer, value = services.rotate_secret(consumer, actor=request.auth, secret=payload.secret)
    return {"consumer": consumer, "secret": payload.secret, "value": value}


@router.post(
    "/consumers/{consumer_id}/deactivate", response=ConsumerOut, auth=API_AUTH, summary="停用数据使用方"
)
def deactivate_consumer(request, consumer_id: int):
    consumer = queries.get_consumer_for(request.auth, consumer_id, action="change")
    return services.deactivate_consumer(consumer, actor=request.auth)


@router.post(
    "/consumers/{consumer_id}/reactivate", response=ConsumerOut, auth=API_AUTH, summary="重新启用数据使用方"
)
def reactivate_consumer(request, consumer_id: int):
    consumer = queries.get_consumer_for(request.auth, consumer_id, action="change")
    return services.reactivate_consumer(consumer, actor=request.auth)


@router.get("/subscriptions", response=list[SubscriptionOut], auth=API_AUTH, summary="数据订阅")
@paginate(PageNumberPagination)
def list_subscriptions(request, consumer: Id | None = None, dataset: Id | None = None):
    return queries.list_subscriptions(request.auth, consumer=consumer, dataset=dataset)


@router.get("/subscriptions/{subscription_id}", response=SubscriptionOut, auth=API_AUTH, summary="订阅详情")
def get_subscription(request, subscription_id: int):
    return queries.get_subscription_for(request.auth, subscription_id)


@router.post(
    "/subscriptions", response={201: SubscriptionOut}, auth=API_AUTH, summary="新增订阅（须说明使用目的）"
)
def create_subscription(request, payload: SubscriptionIn):
    user = request.auth
    consumer = queries.consumer_to_subscribe(user, payload.consumer_id)
    dataset = queries.get_dataset_for(user, payload.dataset_id)
    data = payload.dict(exclude={"consumer_id", "dataset_id"})
    return Status(201, services.subscribe(actor=user, consumer=consumer, dataset=dataset, **data))


@router.patch(
    "/subscriptions/{subscription_id}", response=SubscriptionOut, auth=API_AUTH, summary="修改订阅条件"
)
def update_subscription(request, subscription_id: int, payload: SubscriptionPatch):
    subscription = queries.get_subscription_for(request.auth, subscription_id, action="change")
    return services.update_subscription(subscription, actor=request.auth, **payload.dict(exclude_unset=True))


@router.post(
    "/subscriptions/{subscription_id}/deactivate", response=SubscriptionOut, auth=API_AUTH, summary="停用订阅"
)
def deactivate_subscription(request, subscription_id: int):
    subscription = queries.get_subscription_for(request.auth, subscription_id, action="change")
    return services.deactivate_subscription(subscription, actor=request.auth)


@router.post(
    "/subscriptions/{subscription_id}/reactivate",
    response=SubscriptionOut,
    auth=API_AUTH,
    summary="重新启用订阅",
)
def reactivate_subscription(request, subscription_id: int):
    subscription = queries.get_subscription_for(request.auth, subscription_id, action="change")
    return services.reactivate_subscription(subscription, actor=request.auth)


# --- deliveries and dead letters -----------------------------------------------------------------------------------


@router.get(
    "/deliveries", response=list[DeliveryOut], auth=API_AUTH, summary="投递记录（status=dead 为死信）"
)
@paginate(PageNumberPagination)
def list_deliveries(request, filters: Query[DeliveryFilter]):
    return queries.list_deliveries(request.auth, **filters.dict())


@router.get("/deliveries/{delivery_id}", response=DeliveryOut, auth=API_AUTH, summary="投递详情")
def get_delivery(request, delivery_id: int):
    return queries.get_delivery_for(request.auth, delivery_id)


@router.post("/deliveries/{delivery_id}/replay", response=DeliveryOut, auth=API_AUTH, summary="重新投递死信")
def replay_delivery(request, delivery_id: int):
    delivery = queries.get_delivery_for(request.auth, delivery_id, action="change")
    services.replay(delivery, actor=request.auth)
    return queries.get_delivery_for(request.auth, delivery_id)


@router.post("/deliveries/replay", response=CountOut, auth=API_AUTH, summary="批量重新投递死信")
def replay_deliveries(request, payload: ReplayIn):
    found = list(
        queries.list_deliveries(request.auth, action="change", status="dead").filter(id__in=payload.ids)
    )
    if len(found) != len(set(payload.ids)):
        raise NotFound("部分投递记录不存在、不是死信或您无权操作")
    return {"count": services.replay_many(found, actor=request.auth)}


@router.get(
    "/statistics", response=StatsOut, auth=API_AUTH, summary="汇聚与共享统计（按数据集、使用方、月份）"
)
def statistics(request):
    return queries.statistics(request.auth)


# --- the person's own view -----------------------------------------------------------------------------------------


@router.get(
    "/my-disclosures",
    response=list[DisclosureOut],
    auth=API_AUTH,
    summary="我的数据共享记录（本人个人信息的提供情况）",
)
@paginate(PageNumberPagination)
def my_disclosures(request):
    verification.require_verified(request.auth)  # 403 identity_not_verified, saying how to get verified
    return queries.my_disclosures(request.auth)


# --- machine clients -----------------------------------------------------------------------------------------------


@router.get("/pull", response=PullOut, auth=PULL_AUTH, summary="拉取已订阅数据（游标）")
def pull(request, cursor: int = 0, limit: int = 100, dataset: str = ""):
    if not 1 <= limit <= 1000:
        raise ValidationFailed("limit 应在 1～1000 之间", fields={"limit": ["limit 应在 1～1000 之间"]})
    return services.pull(request.consumer, dataset_code=dataset, cursor=max(cursor, 0), limit=limit)


@router.post(
    "/datasets/{code}/records", response=IngestOut, auth=INGEST_AUTH, summary="批量报送数据（校验、去重）"
)
def ingest(request, code: str, payload: IngestIn):
    if len(payload.records) > services.MAX_INGEST_RECORDS:
        message = f"每批最多 {services.MAX_INGEST_RECORDS} 条"
        raise ValidationFailed(message, fields={"records": [message]})
    if not payload.records:
        raise ValidationFailed("本批次没有记录", fields={"records": ["本批次没有记录"]})
    dataset = queries.get_dataset_by_code(code)
    return services.ingest(dataset, source=request.consumer, records=payload.records)
