"""The records the access matrix makes (one of each, in 天河区 / the own organisation) and the routes they fill.

Markers carry an ASCII token (MX…) so they are found in HTML, CSV and JSON alike. Endpoints the matrix must not
call are exempted below with the reason.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from smartjustice.core.models import AuditEntry, Jurisdiction

from . import makers
from .registry import exempt, subject

# --- core ----------------------------------------------------------------------------------------------------------

subject(
    "core.organisation",
    make=lambda w: makers.organisation(w.own),
    routes=("/api/v1/organisations/{org_id}*", "/organisations/<int:pk>/*"),
    params=lambda o: {"org_id": o.pk, "pk": o.pk},
    # Names, addresses and phones are in the public directory; the credit code is shown only to who may view it.
    marker=lambda o: o.uscc,
    order=10,
)
subject(
    "core.user",
    make=lambda w: makers.staff_account(w.own),
    routes=("/api/v1/users/{user_id}*", "/staff/<int:pk>/*"),
    params=lambda u: {"user_id": u.pk, "pk": u.pk},
    marker=lambda u: u.username,
    order=10,
)
subject(
    "core.jurisdiction",
    make=lambda w: Jurisdiction.objects.get(code=w.own.code),
    routes=("/api/v1/jurisdictions/{code}",),
    params=lambda j: {"code": j.code},
    visible=lambda user, j: True,  # the administrative divisions are public reference data
)
subject(
    "core.apitoken",
    make=lambda w: w.token_of_owner,
    routes=("/api/v1/tokens/{token_id}", "/account/tokens/<int:pk>/*"),
    params=lambda t: {"token_id": t.pk, "pk": t.pk},
    marker=lambda t: t.name,
)
subject(
    "core.notification",
    make=lambda w: w.notification_of_owner,
    routes=("/api/v1/notifications/{notification_id}*", "/notifications/<int:pk>/*"),
    params=lambda n: {"notification_id": n.pk, "pk": n.pk},
    marker=lambda n: n.title,
)
subject(
    "core.auditentry",
    make=lambda w: AuditEntry.objects.filter(jurisdiction_code=w.own.code).order_by("-id").first(),
    routes=("/api/v1/audit/{entry_id}", "/audit/<int:pk>/"),
    params=lambda e: {"entry_id": e.pk, "pk": e.pk},
    order=900,  # after every other record, so there is an entry in 天河区
)
subject(
    "core.attachment",
    make=lambda w: _first_attachment(w),
    routes=("/api/v1/attachments/{attachment_id}*", "/govinfo/<int:pk>/attachments/<int:attachment_id>/"),
    params=lambda a: {"attachment_id": a.pk, "pk": a.owner_id},
    visible=lambda user, a: _can_view(user, a) or _can_view(user, _owner_request(a)),
    order=200,
)


def _first_attachment(world):
    from smartjustice.core.models import Attachment

    request = world.get("govinfo.request")
    return Attachment.objects.filter(owner_id=str(request.pk)).order_by("pk").first()


def _owner_request(attachment):
    from smartjustice.govinfo.models import GovInfoRequest

    return GovInfoRequest.objects.get(pk=attachment.owner_id)


def _can_view(user, obj) -> bool:
    from smartjustice.core import access

    return access.can(user, "view", obj)


# --- govinfo -------------------------------------------------------------------------------------------------------


def _govinfo_request(world):
    from tests.govinfo.factories import submitted

    upload = SimpleUploadedFile("身份证明.pdf", b"%PDF-1.4\n% scan\n", content_type="application/pdf")
    return submitted(
        world.own.code,
        applicant=world.citizen_owner,
        description="2025年本局行政执法统计年报 MXGOV0001",
        files=[upload],
    )


subject(
    "govinfo.request",
    make=_govinfo_request,
    routes=("/api/v1/govinfo/requests/{request_id}*", "/govinfo/<int:pk>/*"),
    params=lambda r: {"request_id": r.pk, "pk": r.pk, "name": "accept"},
    marker=lambda r: "MXGOV0001",
    # The applicant acts on their own request too (withdraw, resubmit after a correction notice).
    writable=lambda user, r: r.applicant_id == getattr(user, "pk", None) or _can_change(user, r),
    order=20,
)

# --- statutes / qa -------------------------------------------------------------------------------------------------


def _law(world):
    from django.core.management import call_command

    from smartjustice.statutes.models import Law

    title = "中华人民共和国人民调解法"
    if not Law.objects.filter(title=title).exists():
        call_command("laws", "import", "--laws", title, verbosity=0)
    return Law.objects.filter(title=title).first()


def _law_params(law) -> dict:
    article = law.articles.order_by("pk").first() if hasattr(law, "articles") else None
    return {"code": law.code, "anchor": getattr(article, "anchor", "1"), "number": 1}


subject(
    "statutes.law",
    make=_law,
    routes=("/api/v1/statutes/laws/{code}*", "/laws/<slug:code>/*"),
    params=_law_params,
    visible=lambda user, law: True,  # the statute library is public
)
subject(
    "qa.faqentry",
    make=lambda w: makers.faq_entry(w.own),
    routes=("/api/v1/qa/faq/{entry_id}*", "/qa/faq/<int:pk>/*", "/qa/faq/manage/<int:pk>/*"),
    params=lambda e: {"entry_id": e.pk, "pk": e.pk, "name": "publish"},
    marker=lambda e: e.question,  # a draft: only its jurisdiction's authors see it until published
)

# --- hub -----------------------------------------------------------------------------------------------------------


def _subscription(world):
    return makers.subscription(world.own)


subject(
    "hub.consumer",
    make=lambda w: makers.consumer(w.own),
    routes=("/api/v1/hub/consumers/{consumer_id}*", "/hub/consumers/<int:pk>/*"),
    params=lambda c: {"consumer_id": c.pk, "pk": c.pk, "which": "client"},
    marker=lambda c: c.code,
)
subject(
    "hub.subscription",
    make=_subscription,
    routes=("/api/v1/hub/subscriptions/{subscription_id}*", "/hub/subscriptions/<int:pk>/*"),
    params=lambda s: {"subscription_id": s.pk, "pk": s.pk},
    marker=lambda s: s.consumer.code,
    order=30,
)
subject(
    "hub.dataset",
    make=lambda w: __import__("smartjustice.hub.models", fromlist=["Dataset"]).Dataset.objects.get(
        code="enforcement.case"
    ),
    routes=("/api/v1/hub/datasets/{dataset_id}", "/api/v1/hub/datasets/{code}/records"),
    params=lambda d: {"dataset_id": d.pk, "code": d.code},
    visible=lambda user, d: True,  # the catalogue is read by every staff member
    writable=lambda user, d: False,  # records are published by modules or pushed by the ingest client only
    order=40,
)


def _delivery(world):
    from django.db import transaction

    from smartjustice.hub import services
    from smartjustice.hub.models import Delivery
    from tests.hub import factories

    consumer = makers.consumer(world.own, push_url="https://consumer.example.cn/push")
    dataset = world.get("hub.dataset")
    services.subscribe(
        actor=None, consumer=consumer, dataset=dataset, purpose="行政执法监督 MXDLV", legal_basis="《条例》"
    )
    with transaction.atomic():
        services.publish(
            "enforcement.case", record_key="MX-1", data=factories.case(9001), jurisdiction_code=world.own.code
        )
    services.fan_out()
    return Delivery.objects.filter(subscription__consumer=consumer).first()


subject(
    "hub.delivery",
    make=_delivery,
    routes=("/api/v1/hub/deliveries/{delivery_id}*", "/hub/deliveries/<int:pk>/*"),
    params=lambda d: {"delivery_id": d.pk, "pk": d.pk},
    order=50,
)

# --- ledger --------------------------------------------------------------------------------------------------------


def _log(world):
    from smartjustice.ledger import services

    log = makers.ledger_log(world.own)
    services.append_batch(log.name, [b"MX-entry-1", b"MX-entry-2"], kind="matrix")
    services.sign_checkpoint(log)
    log.refresh_from_db()
    return log


subject(
    "ledger.log",
    make=_log,
    routes=(
        "/api/v1/ledger/logs/{name}*",
        "/ledger/<slug:log>/checkpoint",
        "/ledger/manage/logs/<slug:log>/*",
    ),
    params=lambda log: {"name": log.name, "log": log.name, "tree_size": 2, "index": 0},
    visible=lambda user, log: True,  # transparency logs are public
)
subject(
    "ledger.entry",
    make=lambda w: w.get("ledger.log").entries.order_by("index").first(),
    routes=("/api/v1/ledger/entries/{entry_id}/proof",),
    params=lambda e: {"entry_id": e.pk},
    order=110,
)
subject(
    "ledger.key",
    make=lambda w: makers.signing_key(w.own),
    routes=("/api/v1/ledger/keys/{key_id}",),
    params=lambda k: {"key_id": k.key_id},
    visible=lambda user, key: True,  # public keys are public
)
subject(
    "ledger.witness",
    make=lambda w: makers.witness(w.own),
    routes=("/api/v1/ledger/witnesses/{name}", "/ledger/manage/witnesses/<path:name>"),
    params=lambda w: {"name": w.name},
    visible=lambda user, w: True,  # the witnesses a log collects cosignatures from are published
)

# --- credentials ---------------------------------------------------------------------------------------------------


def _link(world):
    from smartjustice.credentials import services

    credential = world.get("credentials.credential")
    return services.create_disclosure_link(
        credential, actor=credential.holder, claims=["enforcementArea"], label="MXLINK"
    )


subject(
    "credentials.credential",
    make=lambda w: makers.credential(w.own),
    routes=(
        "/api/v1/credentials/credentials/{credential_pk}*",
        "/credentials/<int:pk>/*",
        "/credentials/<int:pk>/certificate.pdf",
        "/credentials/<int:pk>/bundle.json",
    ),
    params=lambda c: {"credential_pk": c.pk, "pk": c.pk, "name": "suspend"},
    marker=lambda c: c.number,
)
subject(
    "credentials.link",
    make=_link,
    routes=("/api/v1/credentials/links/{link_pk}/*", "/credentials/links/<int:pk>/*"),
    params=lambda link: {"link_pk": link.pk, "pk": link.pk},
    visible=lambda user, link: _can_view(user, link.credential) or link.credential.holder_id == user.pk,
    writable=lambda user, link: (
        link.credential.holder_id == getattr(user, "pk", None) or _can_change(user, link.credential)
    ),
    order=120,
)
subject(
    "credentials.verification",
    make=lambda w: w.get("credentials.link"),
    routes=("/api/v1/credentials/verify/{token}", "/credentials/v/<str:token>/*"),
    params=lambda link: {"token": link.token},
    visible=lambda user, link: (
        True
    ),  # a disclosure link is public by design: it reveals only the chosen claims
    order=130,
)
subject(
    "credentials.issuer",
    make=lambda w: w.get("credentials.credential").issuer,
    routes=("/credentials/issuers/<int:organisation_id>/",),
    params=lambda org: {"organisation_id": org.pk},
    visible=lambda user, org: True,  # issuer documents are published for verifiers
    order=120,
)
subject(
    "credentials.statuslist",
    make=lambda w: w.get("credentials.credential").issuer.status_lists.order_by("pk").first(),
    routes=("/credentials/status/*",),
    params=lambda s: {"organisation_id": s.organisation_id, "purpose": s.purpose, "sequence": s.sequence},
    visible=lambda user, s: True,  # status lists are public, as the W3C specification expects
    order=120,
)


def _can_change(user, obj) -> bool:
    from smartjustice.core import access

    return access.can(user, "change", obj)


# --- oauth ---------------------------------------------------------------------------------------------------------


def _oauth_client(world):
    from smartjustice.oauth import services

    admin = world.staff(world.province, "system_admin")
    application, _ = services.register_client(
        actor=admin,
        name="MXOAUTH 测试应用",
        client_type="confidential",
        grant_type="authorization-code",
        redirect_uris="https://app.example.cn/callback",
    )
    return application


subject(
    "oauth.application",
    make=_oauth_client,
    routes=("/api/v1/oauth/clients/{client_pk}", "/oauth/clients/<int:pk>/*"),
    params=lambda a: {"client_pk": a.pk, "pk": a.pk},
    marker=lambda a: "MXOAUTH",
)

# --- exemptions ----------------------------------------------------------------------------------------------------

exempt("/logout/", "signing out ends the caller's session; tests/core covers it")
exempt("/oauth/logout/", "RP-initiated logout ends the session; tests/oauth covers it")
exempt(
    "/oauth/.well-known/*/<path:*",
    "issuer-path variants of the metadata documents; the plain ones are called",
)
exempt(
    "/laws/rules/alerts/<int:pk>/*",
    "amended-article alerts are made by the rules job (tests/statutes covers it)",
)
exempt(
    "POST /api/v1/ledger/logs/{name}/checkpoints/{tree_size}/cosignatures",
    "witnesses post cosignatures without an account; the signature is the credential (tests/ledger covers it)",
)
