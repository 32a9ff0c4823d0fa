"""Managing consumers and subscriptions on the pages at /hub/consumers/: list, register (credentials shown once),
edit, deactivate with confirmation, rotate secrets, subscribe with a masking rule per personal field."""

import json

import pytest
from django.test import Client

from smartjustice.core.choices import AccountKind, AuditEvent
from smartjustice.core.models import User
from smartjustice.core.testing import (
    ApiClient,
    assert_api_error,
    assert_audited,
    assert_not_audited,
    make_staff,
)
from smartjustice.hub import services
from smartjustice.hub.choices import ConsumerKind, DeliveryStatus, HubAuditEvent
from smartjustice.hub.models import Consumer, Delivery, Subscription
from tests.core.factories import GUANGZHOU, PROVINCE, SHENZHEN_FUTIAN, TIANHE

from .conftest import issue_token, register, token_status
from .helpers import publish_cases, run_worker

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _html(response) -> str:
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return response.content.decode()


def _subscribe_pull(consumer, dataset, actor, **terms):
    return services.subscribe(
        actor=actor,
        consumer=consumer,
        dataset=dataset,
        purpose=terms.pop("purpose", "行政执法监督"),
        legal_basis=terms.pop("legal_basis", "《中华人民共和国行政处罚法》第四十八条"),
        mode="pull",
        **terms,
    )


# --- the list ------------------------------------------------------------------------------------------------------


def test_the_list_searches_by_name_and_code_filters_by_kind_and_state_and_pages(catalogue, hub_admin):
    client = _client(hub_admin)
    empty = _html(client.get("/hub/consumers/"))
    assert "本辖区尚未登记数据使用方" in empty and "登记使用方" in empty
    for n in range(22):
        register(f"dept-{n:02d}", kind=ConsumerKind.DEPARTMENT)
    register("gd-bigdata", kind=ConsumerKind.PROVINCIAL_BIG_DATA)
    stopped, _ = register("moj", kind=ConsumerKind.MINISTRY)
    services.deactivate_consumer(stopped, actor=hub_admin)

    first = _html(client.get("/hub/consumers/"))
    assert "共 24 条，第 1 / 2 页" in first and "dept-00 系统" in first
    assert "dept-21 系统" in _html(client.get("/hub/consumers/", {"page": 2}))
    by_code = _html(client.get("/hub/consumers/", {"q": "gd-big"}))
    assert "gd-bigdata 系统" in by_code and "dept-00" not in by_code
    by_name = _html(client.get("/hub/consumers/", {"q": "dept-07 系"}))
    assert "dept-07 系统" in by_name and "共 1 条" in by_name
    ministries = _html(client.get("/hub/consumers/", {"kind": ConsumerKind.MINISTRY}))
    assert "moj 系统" in ministries and "共 1 条" in ministries
    inactive = _html(client.get("/hub/consumers/", {"is_active": "0"}))
    assert "moj 系统" in inactive and "gd-bigdata" not in inactive
    nothing = _html(client.get("/hub/consumers/", {"q": "不存在的系统"}))
    assert "没有符合条件的数据使用方" in nothing and "重置" in nothing


def test_only_data_sharing_staff_open_the_consumer_pages(catalogue):
    consumer, _ = register("gd-bigdata")
    mediator = _client(make_staff(TIANHE, "mediator"))
    # The page answers like GET /api/v1/hub/consumers: an empty list, not 403.
    listed = mediator.get("/hub/consumers/")
    assert listed.status_code == 200 and "gd-bigdata" not in _html(listed)
    assert "本辖区尚未登记数据使用方" in _html(listed) and "登记使用方" not in _html(listed)
    assert ApiClient(make_staff(TIANHE, "mediator")).get("hub/consumers").json()["items"] == []
    assert mediator.get(f"/hub/consumers/{consumer.pk}/").status_code == 404
    citizen = User.objects.create(username="citizen9", kind=AccountKind.CITIZEN, real_name="李四")
    assert _client(citizen).get("/hub/consumers/").status_code == 403
    assert Client().get("/hub/consumers/").status_code == 302  # to the sign-in page


def test_a_city_admin_sees_and_manages_only_consumers_in_its_city(catalogue, hub_admin):
    tianhe, _ = register("tianhe", kind=ConsumerKind.DEPARTMENT, place=TIANHE)
    futian, _ = register("futian", kind=ConsumerKind.DEPARTMENT, place=SHENZHEN_FUTIAN)
    theirs = _subscribe_pull(futian, catalogue["enforcement.case"], hub_admin)
    city = _client(make_staff(GUANGZHOU, "data_sharing_admin"))
    listed = _html(city.get("/hub/consumers/"))
    assert "tianhe 系统" in listed and "futian" not in listed
    assert "tianhe 系统" in _html(city.get(f"/hub/consumers/{tianhe.pk}/"))
    for url in (
        f"/hub/consumers/{futian.pk}/",
        f"/hub/consumers/{futian.pk}/edit/",
        f"/hub/consumers/{futian.pk}/deactivate/",
        f"/hub/consumers/{futian.pk}/rotate/client-secret/",
        f"/hub/consumers/{futian.pk}/subscriptions/new/",
        f"/hub/subscriptions/{theirs.pk}/edit/",
        f"/hub/subscriptions/{theirs.pk}/deactivate/",
        f"/hub/deliveries/?consumer={futian.pk}",
    ):
        assert city.get(url).status_code == 404, url
        assert city.post(url).status_code == 404, url
    futian.refresh_from_db()
    theirs.refresh_from_db()
    assert futian.is_active and theirs.is_active
    outside = city.post(
        "/hub/consumers/new/",
        {
            "code": "sz-dept",
            "name": "深圳某部门",
            "kind": ConsumerKind.CITY,
            "jurisdiction_code": "440300000000",
        },
    )
    assert "选择一个有效的选项" in _html(outside) and not Consumer.objects.filter(code="sz-dept").exists()
    # The province, above both, sees both.
    both = _html(_client(hub_admin).get("/hub/consumers/"))
    assert "tianhe 系统" in both and "futian 系统" in both


# --- register, edit ------------------------------------------------------------------------------------------------


def test_registering_shows_the_credentials_once_and_they_get_a_token(catalogue, hub_admin):
    client = _client(hub_admin)
    form = _html(client.get("/hub/consumers/new/"))
    assert "只在下一页显示一次" in form
    response = client.post(
        "/hub/consumers/new/",
        {"code": "gz-justice", "name": "广州市司法局", "kind": ConsumerKind.CITY,
         "jurisdiction_code": GUANGZHOU, "contact": "张三 020-00000000"},
    )  # fmt: skip
    html = _html(response)
    assert response["Cache-Control"] == "no-store"
    credentials = response.context["credentials"]
    consumer = Consumer.objects.get(code="gz-justice")
    assert credentials["client_secret"] in html and credentials["push_secret"] in html
    assert consumer.application.client_id in html and "只显示这一次" in html
    assert (
        token_status(
            {"client_id": consumer.application.client_id, "client_secret": credentials["client_secret"]}
        )
        == 200
    )
    detail = _html(client.get(f"/hub/consumers/{consumer.pk}/"))
    assert credentials["client_secret"] not in detail and credentials["push_secret"] not in detail
    entry = assert_audited(
        HubAuditEvent.CONSUMER_REGISTERED, obj=consumer, actor=hub_admin, detail__contains="签发", count=1
    )
    assert credentials["push_secret"] not in json.dumps(entry.after, ensure_ascii=False)


def test_a_rejected_registration_keeps_what_was_typed_and_explains_in_chinese(catalogue, hub_admin):
    register("gd-bigdata")
    client = _client(hub_admin)
    bad = {"code": "Bad Code", "name": "广东省政务大数据中心", "kind": "", "jurisdiction_code": PROVINCE,
           "push_url": "ftp://bigdata.example.gov.cn", "contact": "王五"}  # fmt: skip
    html = _html(client.post("/hub/consumers/new/", bad))
    assert "接入代码只能包含小写字母" in html and "这个字段是必填项" in html
    assert 'value="广东省政务大数据中心"' in html and 'value="王五"' in html and 'value="Bad Code"' in html
    taken = _html(client.post("/hub/consumers/new/", {**bad, "code": "gd-bigdata", "kind": "city"}))
    assert "推送地址须为完整的 http 或 https 地址" in taken
    fixed = {**bad, "code": "gd-bigdata", "kind": "city", "push_url": "https://bigdata.example.gov.cn/hub"}
    html = _html(client.post("/hub/consumers/new/", fixed))
    assert "接入代码“gd-bigdata”已被使用" in html and 'value="https://bigdata.example.gov.cn/hub"' in html
    assert Consumer.objects.count() == 1


def test_editing_changes_name_push_url_and_contact_only(catalogue, hub_admin):
    consumer, _ = register("gd-bigdata", push_url="https://bigdata.example.gov.cn/hub")
    client = _client(hub_admin)
    assert 'value="gd-bigdata 系统"' in _html(client.get(f"/hub/consumers/{consumer.pk}/edit/"))
    response = client.post(
        f"/hub/consumers/{consumer.pk}/edit/",
        {"name": "广东省政务大数据中心", "push_url": "https://bigdata.example.gov.cn/v2", "contact": "赵六",
         "code": "hijacked", "jurisdiction_code": SHENZHEN_FUTIAN},
    )  # fmt: skip
    assert response.status_code == 302
    consumer.refresh_from_db()
    assert (consumer.name, consumer.push_url, consumer.contact) == (
        "广东省政务大数据中心",
        "https://bigdata.example.gov.cn/v2",
        "赵六",
    )
    assert consumer.code == "gd-bigdata" and consumer.jurisdiction_id == PROVINCE
    assert consumer.application.name == "共享平台：广东省政务大数据中心"
    entry = assert_audited(
        HubAuditEvent.CONSUMER_UPDATED, obj=consumer, actor=hub_admin, detail="修改数据使用方信息", count=1
    )
    assert set(entry.changed_fields) == {"name", "push_url", "contact"}
    # One edit, one entry: the model's own save merged into it rather than writing a second row.
    assert_not_audited(AuditEvent.OBJECT_UPDATED, obj=consumer)


def test_the_push_url_cannot_be_removed_while_a_subscription_pushes(catalogue, hub_admin):
    consumer, _ = register("gd-bigdata", push_url="https://bigdata.example.gov.cn/hub")
    services.subscribe(
        actor=hub_admin, consumer=consumer, dataset=catalogue["mediation.case"], purpose="纠纷态势分析"
    )
    html = _html(
        _client(hub_admin).post(
            f"/hub/consumers/{consumer.pk}/edit/", {"name": "新名称", "push_url": "", "contact": "赵六"}
        )
    )
    assert "请先将其改为拉取方式" in html and 'value="新名称"' in html
    consumer.refresh_from_db()
    assert consumer.push_url and consumer.name == "gd-bigdata 系统"


# --- deactivate, rotate --------------------------------------------------------------------------------------------


def test_deactivation_asks_first_then_the_consumers_token_is_refused_until_reactivated(catalogue, hub_admin):
    consumer, credentials = register("gd-bigdata")
    api = ApiClient(token=issue_token(credentials, "hub.pull"))
    assert api.get("hub/pull").status_code == 200
    client = _client(hub_admin)
    detail = _html(client.get(f"/hub/consumers/{consumer.pk}/"))
    assert "停用数据使用方" in detail and 'data-bs-target="#confirm-deactivate"' in detail
    confirm = _html(client.get(f"/hub/consumers/{consumer.pk}/deactivate/"))
    assert "确定停用" in confirm and "取消" in confirm
    consumer.refresh_from_db()
    assert consumer.is_active  # asking changed nothing
    assert client.post(f"/hub/consumers/{consumer.pk}/deactivate/").status_code == 302
    consumer.refresh_from_db()
    assert not consumer.is_active
    assert_api_error(api.get("hub/pull"), 403, "permission_denied")
    assert_audited(
        HubAuditEvent.CONSUMER_DEACTIVATED, obj=consumer, actor=hub_admin, detail__startswith="停用数据使用方"
    )
    again = client.post(f"/hub/consumers/{consumer.pk}/deactivate/", follow=True)
    assert "该使用方已停用" in _html(again)
    assert "确定启用" in _html(client.get(f"/hub/consumers/{consumer.pk}/reactivate/"))
    client.post(f"/hub/consumers/{consumer.pk}/reactivate/")
    consumer.refresh_from_db()
    assert consumer.is_active and api.get("hub/pull").status_code == 200


def test_rotating_the_client_secret_shows_it_once_and_the_old_one_gets_no_token(catalogue, hub_admin):
    consumer, credentials = register("gd-bigdata")
    client_id = credentials["client_id"]
    old_token = issue_token(credentials, "hub.pull")
    assert token_status({"client_id": client_id, "client_secret": credentials["client_secret"]}) == 200
    client = _client(hub_admin)
    assert "原客户端密钥将立即作废" in _html(
        client.get(f"/hub/consumers/{consumer.pk}/rotate/client-secret/")
    )
    assert (
        token_status({"client_id": client_id, "client_secret": credentials["client_secret"]}) == 200
    )  # the confirmation changed nothing
    response = client.post(f"/hub/consumers/{consumer.pk}/rotate/client-secret/")
    html = _html(response)
    new_secret = response.context["credentials"]["client_secret"]
    assert new_secret in html and client_id in html and response["Cache-Control"] == "no-store"
    assert new_secret != credentials["client_secret"]
    assert (
        token_status({"client_id": client_id, "client_secret": credentials["client_secret"]}) == 401
    )  # the old secret stops working
    assert token_status({"client_id": client_id, "client_secret": new_secret}) == 200
    assert_api_error(ApiClient(token=old_token).get("hub/pull"), 401, "not_authenticated")
    assert new_secret not in _html(client.get(f"/hub/consumers/{consumer.pk}/"))
    entry = assert_audited(
        HubAuditEvent.CLIENT_SECRET_ROTATED, obj=consumer, actor=hub_admin, changed_fields=["client_secret"]
    )
    # The three tokens issue_token and the two checks above got are revoked; the new secret is not in the trail.
    assert "吊销已签发的访问令牌 3 个" in entry.detail
    assert new_secret not in json.dumps(entry.after, ensure_ascii=False)


def test_rotating_the_push_secret_signs_with_the_new_one_only(catalogue, hub_admin):
    consumer, credentials = register("gd-bigdata", push_url="https://bigdata.example.gov.cn/hub")
    response = _client(hub_admin).post(f"/hub/consumers/{consumer.pk}/rotate/push-secret/")
    new_secret = response.context["credentials"]["push_secret"]
    assert new_secret in _html(response) and "client_secret" not in response.context["credentials"]
    consumer.refresh_from_db()
    assert services.push_secret_of(consumer) == new_secret != credentials["push_secret"]
    assert_audited(
        HubAuditEvent.PUSH_SECRET_ROTATED,
        obj=consumer,
        actor=hub_admin,
        detail__startswith="轮换推送签名密钥",
        changed_fields=["push_secret_sealed"],
    )
    assert _client(hub_admin).get(f"/hub/consumers/{consumer.pk}/rotate/everything/").status_code == 404


# --- subscriptions -------------------------------------------------------------------------------------------------


def test_a_subscription_is_made_in_two_steps_with_a_rule_per_personal_field(catalogue, hub_admin):
    consumer, _ = register("gd-bigdata")
    client = _client(hub_admin)
    url = f"/hub/consumers/{consumer.pk}/subscriptions/new/"
    first = _html(client.get(url))
    assert "请先选择数据集" in first and "行政执法案件" in first
    assert "社区矫正对象日常报告" not in first and "不予共享）" not in first  # not_shared is not offered
    dataset = catalogue["enforcement.case"]
    second = _html(client.get(url, {"dataset": dataset.pk}))
    assert "“当事人名称”的处理方式" in second and "“当事人证件号码”的处理方式" in second
    assert "只能拉取" in second  # no push URL registered
    partial = _html(client.get(url, {"dataset": dataset.pk}, headers={"HX-Request": "true"}))
    assert "<html" not in partial and "masking_party_name" in partial
    terms = {"dataset": dataset.pk, "purpose": "信用监管", "legal_basis": "", "mode": "pull",
             "fields": ["case_number", "party_name", "status"], "jurisdiction_codes": [GUANGZHOU],
             "masking_party_name": "clear", "masking_party_id_number": "digest"}  # fmt: skip
    rejected = _html(client.post(url, terms))
    assert "提供明文个人信息须写明法定依据" in rejected and "有条件共享的数据须写明法定依据" in rejected
    assert "信用监管" in rejected and 'value="clear" selected' in rejected  # nothing typed is lost
    assert not Subscription.objects.exists()
    response = client.post(url, {**terms, "legal_basis": "《中华人民共和国行政处罚法》第四十八条"})
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.masking == {"party_name": "clear", "party_id_number": "digest"}
    assert subscription.fields == ["case_number", "party_name", "status"]
    assert subscription.jurisdiction_prefixes == ["4401"] and subscription.mode == "pull"
    entry = assert_audited(HubAuditEvent.SUBSCRIPTION_CREATED, obj=subscription, actor=hub_admin, count=1)
    assert "信用监管" in entry.detail
    detail = _html(client.get(f"/hub/consumers/{consumer.pk}/"))
    assert "当事人名称：明文（须有法定依据）" in detail and "案件编号、当事人名称、办理状态" in detail


def test_a_not_shared_dataset_cannot_be_forced_into_the_form(catalogue, hub_admin):
    consumer, _ = register("gd-bigdata")
    url = f"/hub/consumers/{consumer.pk}/subscriptions/new/"
    forced = {"dataset": catalogue["correction.daily_report"].pk, "purpose": "x", "mode": "pull"}
    assert "请选择一个可以订阅的数据集" in _html(_client(hub_admin).post(url, forced))
    assert not Subscription.objects.exists()


def test_editing_a_subscription_applies_to_records_fanned_out_afterwards(catalogue, hub_admin):
    consumer, credentials = register("ministry", kind=ConsumerKind.MINISTRY)
    subscription = _subscribe_pull(consumer, catalogue["enforcement.case"], hub_admin)
    client = _client(hub_admin)
    url = f"/hub/subscriptions/{subscription.pk}/edit/"
    form = _html(client.get(url))
    assert "行政执法监督" in form and 'value="mask" selected' in form
    response = client.post(
        url,
        {"purpose": "全国行政执法统计", "legal_basis": "《中华人民共和国行政处罚法》第四十八条", "mode": "pull",
         "masking_party_name": "drop", "masking_party_id_number": "drop"},
    )  # fmt: skip
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.purpose == "全国行政执法统计"
    assert subscription.masking == {"party_name": "drop", "party_id_number": "drop"}
    publish_cases(1)
    run_worker()
    item = ApiClient(token=issue_token(credentials, "hub.pull")).get("hub/pull").json()["items"][0]
    assert item["purpose"] == "全国行政执法统计"
    assert "party_name" not in item["data"] and "party_id_number" not in item["data"]
    assert_audited(
        HubAuditEvent.SUBSCRIPTION_UPDATED,
        obj=subscription,
        actor=hub_admin,
        detail__contains="全国行政执法统计",
    )


def test_a_deactivated_subscription_gets_no_new_records(catalogue, hub_admin):
    consumer, _ = register("ministry", kind=ConsumerKind.MINISTRY)
    subscription = _subscribe_pull(consumer, catalogue["enforcement.case"], hub_admin)
    client = _client(hub_admin)
    url = f"/hub/subscriptions/{subscription.pk}/deactivate/"
    assert "确定停用" in _html(client.get(url))
    subscription.refresh_from_db()
    assert subscription.is_active
    assert client.post(url).status_code == 302
    subscription.refresh_from_db()
    assert not subscription.is_active
    publish_cases(2)
    run_worker()
    assert not Delivery.objects.filter(subscription=subscription).exists()
    detail = _html(client.get(f"/hub/consumers/{consumer.pk}/"))
    assert "已停用" in detail and "重新启用" in detail
    client.post(f"/hub/subscriptions/{subscription.pk}/reactivate/")
    subscription.refresh_from_db()
    assert subscription.is_active
    assert_audited(
        HubAuditEvent.SUBSCRIPTION_DEACTIVATED,
        obj=subscription,
        actor=hub_admin,
        detail__startswith="停用数据订阅",
    )


def test_the_detail_page_counts_deliveries_by_status_and_links_to_them(catalogue, hub_admin):
    consumer, _ = register("ministry", kind=ConsumerKind.MINISTRY)
    other, _ = register("gd-bigdata")
    _subscribe_pull(consumer, catalogue["enforcement.case"], hub_admin)
    _subscribe_pull(other, catalogue["enforcement.case"], hub_admin)
    publish_cases(3)
    run_worker()
    Delivery.objects.filter(subscription__consumer=consumer).filter(
        pk=Delivery.objects.filter(subscription__consumer=consumer).order_by("id").values("pk")[:1]
    ).update(status=DeliveryStatus.DEAD, last_error="接收方返回 HTTP 500")
    client = _client(hub_admin)
    html = _html(client.get(f"/hub/consumers/{consumer.pk}/"))
    assert "待投递 2 · 已投递 0 · 死信 1" in html
    assert f"?status=dead&amp;consumer={consumer.pk}" in html
    dead = _html(client.get("/hub/deliveries/", {"status": "dead", "consumer": consumer.pk}))
    assert "接收方返回 HTTP 500" in dead and "ministry 系统" in dead
    pending = _html(client.get("/hub/deliveries/", {"status": "pending", "consumer": other.pk}))
    assert "gd-bigdata 系统" in pending and "ministry 系统" not in pending


def test_a_city_administrator_subscribes_its_own_city_only(catalogue):
    from smartjustice.core.errors import ValidationFailed
    from tests.core.factories import SHENZHEN_FUTIAN, TIANHE

    city_admin = make_staff(GUANGZHOU, "data_sharing_admin")
    consumer, _ = register("gz-justice", kind=ConsumerKind.CITY, place=GUANGZHOU)
    dataset = catalogue["enforcement.case"]
    terms = {"purpose": "市级执法统计", "legal_basis": "《行政处罚法》第四十八条", "mode": "pull"}
    with pytest.raises(ValidationFailed) as caught:
        services.subscribe(
            actor=city_admin,
            consumer=consumer,
            dataset=dataset,
            jurisdiction_codes=[SHENZHEN_FUTIAN],
            **terms,
        )
    assert caught.value.fields["jurisdiction_codes"] == ["只能订阅本辖区内的区划"]
    subscription = services.subscribe(actor=city_admin, consumer=consumer, dataset=dataset, **terms)
    assert subscription.jurisdiction_codes == [GUANGZHOU]  # none chosen: the city, not the province
    assert subscription.covers(TIANHE) and not subscription.covers(SHENZHEN_FUTIAN)
