"""Record makers shared by the harness: `maker(place) -> record` for every model the API exposes.

Each builds a realistic record through the module's own service (so the audit and the invariants hold) in the
jurisdiction and organisation of `place`. The class-based API tests and the access matrix both use them.
"""

from __future__ import annotations

import base64
import itertools
import os

from smartjustice.core.choices import OrganisationKind
from smartjustice.core.models import Organisation
from smartjustice.core.testing import PASSWORD, Place, make_staff
from tests.core.factories import valid_uscc

_serial = itertools.count(1)


def serial() -> int:
    return next(_serial)


# --- core ----------------------------------------------------------------------------------------------------------


def organisation(place: Place) -> Organisation:
    return Organisation.objects.create(
        jurisdiction_id=place.code,
        name=f"矩阵测试人民调解委员会{serial()}",
        kind=OrganisationKind.MEDIATION_COMMITTEE,
        parent=place.organisation,
        uscc=valid_uscc(),
    )


def organisation_payload(place: Place) -> dict:
    return {
        "name": f"天河区测试调解委员会{serial()}",
        "kind": "mediation_committee",
        "jurisdiction": place.code,
    }


def staff_account(place: Place):
    return make_staff(place.code, organisation=place.organisation, real_name="矩阵工作人员")


def staff_payload(place: Place) -> dict:
    return {
        "username": f"matrix-new-{serial()}",
        "real_name": "新同事",
        "organisation_id": place.organisation.pk,
        "password": PASSWORD,
    }


# --- govinfo -------------------------------------------------------------------------------------------------------


def govinfo_request(place: Place):
    from tests.govinfo.factories import submitted

    return submitted(place.code, description=f"2025年本局行政执法统计年报（矩阵{serial()}）")


# --- hub -------------------------------------------------------------------------------------------------------------


def consumer(place: Place, *, push_url: str = ""):
    from smartjustice.core.models import Jurisdiction
    from smartjustice.hub import services
    from smartjustice.hub.choices import ConsumerKind

    found, _ = services.register_consumer(
        actor=None,
        code=f"matrix{serial()}",
        name="矩阵测试数据使用方",
        kind=ConsumerKind.DEPARTMENT,
        jurisdiction=Jurisdiction.objects.get(code=place.code),
        push_url=push_url,
    )
    return found


def consumer_payload(place: Place) -> dict:
    return {
        "code": f"newconsumer{serial()}",
        "name": "区数据局",
        "kind": "department",
        "jurisdiction_code": place.code,
    }


def subscription(place: Place):
    from smartjustice.hub import services
    from smartjustice.hub.choices import DeliveryMode
    from smartjustice.hub.models import Dataset

    if not Dataset.objects.exists():
        services.load_catalogue()
    return services.subscribe(
        actor=None,
        consumer=consumer(place),
        dataset=Dataset.objects.get(code="enforcement.case"),
        purpose="行政执法监督",
        legal_basis="《广东省政务数据资源共享管理办法》",
        mode=DeliveryMode.PULL,
    )


# --- ledger ----------------------------------------------------------------------------------------------------------


def ledger_log(place: Place):
    from smartjustice.ledger import services

    return services.create_log(f"matrix-{serial()}", organisation=place.organisation)


def signing_key(place: Place):
    from smartjustice.ledger import keys

    return keys.rotate_key(place.organisation, actor=None)


def witness(place: Place):
    from smartjustice.ledger import services

    return services.register_witness(
        f"witness{serial()}.example.cn", os.urandom(32), organisation=place.organisation
    )


def witness_payload(place: Place) -> dict:
    return {
        "name": f"newwitness{serial()}.example.cn",
        "public_key": base64.b64encode(os.urandom(32)).decode(),
        "organisation_id": place.organisation.pk,
    }


# --- credentials -----------------------------------------------------------------------------------------------------

CREDENTIAL_TYPE = "administrative_enforcement_certificate"
CLAIMS = {"enforcementArea": "广州市天河区", "enforcementDomain": "市场监管"}


def credential(place: Place):
    from smartjustice.credentials import services

    officer = make_staff(place.code, "credential_officer", organisation=place.organisation)
    holder = make_staff(
        place.code, "enforcement_officer", organisation=place.organisation, real_name="张执法"
    )
    return services.issue_credential(
        actor=officer, type_code=CREDENTIAL_TYPE, holder=holder, claims=dict(CLAIMS)
    )


def credential_payload(place: Place) -> dict:
    holder = make_staff(
        place.code, "enforcement_officer", organisation=place.organisation, real_name="李执法"
    )
    return {"type_code": CREDENTIAL_TYPE, "holder_id": holder.pk, "claims": dict(CLAIMS)}


# --- qa --------------------------------------------------------------------------------------------------------------


def faq_entry(place: Place):
    from smartjustice.qa import services

    author = make_staff(place.code, "legal_aid_officer", organisation=place.organisation)
    return services.create_entry(
        actor=author,
        scenario="labour",
        question=f"公司拖欠工资怎么办？（矩阵{serial()}）",
        answer="可以向劳动保障监察机构投诉，或申请劳动仲裁。",
    )


def faq_payload(place: Place) -> dict:
    return {"scenario": "labour", "question": f"加班费怎么算？（{serial()}）", "answer": "按劳动法规定支付。"}


# --- audit / deliveries --------------------------------------------------------------------------------------------


def audit_entry(place: Place):
    """The entry an organisation's registration leaves (every save of an audited model leaves one)."""
    from smartjustice.core.models import AuditEntry

    created = organisation(place)
    return AuditEntry.objects.filter(object_type="core.organisation", object_id=str(created.pk)).latest("id")


def delivery(place: Place):
    """One queued push delivery of an enforcement case to a consumer of `place`."""
    from django.db import transaction

    from smartjustice.hub import services
    from smartjustice.hub.models import Dataset, Delivery
    from tests.hub import factories

    if not Dataset.objects.exists():
        services.load_catalogue()
    receiver = consumer(place, push_url="https://consumer.example.cn/push")
    services.subscribe(
        actor=None,
        consumer=receiver,
        dataset=Dataset.objects.get(code="enforcement.case"),
        purpose="行政执法监督",
        legal_basis="《广东省政务数据资源共享管理办法》",
    )
    n = serial()
    with transaction.atomic():
        services.publish(
            "enforcement.case",
            record_key=f"MX-{n}",
            data=factories.case(9000 + n),
            jurisdiction_code=place.code,
        )
    services.fan_out()
    return Delivery.objects.filter(subscription__consumer=receiver).latest("id")
