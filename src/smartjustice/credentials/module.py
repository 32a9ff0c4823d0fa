"""E-certificates in the module registry: pages, API, navigation, the credential officers' tile, types, demo."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from smartjustice.core.modules import (
    PERSONAL,
    PORTAL,
    SERVICES,
    STAFF,
    WORK,
    Module,
    NavItem,
    Tile,
    TileContent,
    TodoItem,
)

TILE_ITEMS = 8
EXPIRY_NOTICE = datetime.timedelta(days=30)  # how long before expiry an officer should start the renewal


def holds_credentials(user) -> bool:
    """Whether a staff member holds an e-certificate (an officer's own 行政执法证)."""
    from .models import Credential

    return Credential.objects.filter(holder_id=user.pk).exists()


def attention(user) -> TileContent:
    """Certificates in the officer's jurisdiction to act on: suspended ones, and valid ones expiring soon."""
    from django.db.models import Q

    from . import queries
    from .choices import CredentialStatus

    now = timezone.now()
    waiting = (
        queries.list_credentials(user)
        .filter(
            Q(status=CredentialStatus.SUSPENDED)
            | Q(status=CredentialStatus.ACTIVE, valid_until__gt=now, valid_until__lte=now + EXPIRY_NOTICE)
        )
        .order_by("valid_until", "id")
    )
    return TileContent(
        count=waiting.count(),
        items=tuple(
            TodoItem(
                title=f"{c.number} {c.subject_name}",
                href=reverse("credentials:detail", args=[c.pk]),
                due_on=timezone.localdate(c.valid_until),
                due_label="有效期至",
                status=c.get_status_display(),
            )
            for c in waiting[:TILE_ITEMS]
        ),
        href=reverse("credentials:list"),
        empty="没有即将到期或已暂停的证照",
    )


MODULE = Module(
    label="credentials",
    name="电子证照",
    url_prefix="credentials/",
    urls="smartjustice.credentials.urls",
    api_prefix="/credentials",
    api_router="smartjustice.credentials.api.router",
    roles="data/roles.json",
    demo="smartjustice.credentials.demo.load",
    demo_order=30,  # after the ledger: every issued certificate is recorded there
    credential_types="data/types.json",
    navigation=(
        NavItem(
            "电子证照",
            "patch-check",
            "credentials:list",
            section=WORK,
            permission="credentials.view_credential",
            order=50,
        ),
        NavItem(
            "我的电子证照", "patch-check", "credentials:mine", section=SERVICES, audience=(PORTAL,), order=40
        ),
        # An officer's own 行政执法证, for staff who hold one.
        NavItem(
            "我的电子证照",
            "person-vcard",
            "credentials:mine",
            section=PERSONAL,
            audience=(STAFF,),
            visible=holds_credentials,
            order=15,
        ),
    ),
    tiles=(
        Tile(
            "credentials.attention",
            "待处理的电子证照",
            "patch-exclamation",
            collect=attention,
            permission="credentials.change_credential",
        ),
    ),
)
