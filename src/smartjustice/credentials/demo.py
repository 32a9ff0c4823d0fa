"""Demo 电子证照 (`smartjustice load_demo`): 行政执法证 of the demo enforcement officers, issued for real.

What to create is data (credentials/data/demo.json); this module replays it through ``services``: each certificate
is issued by the named 证照管理员 (signed with the issuing organisation's SM2 key, recorded in the ledger's
``credentials`` log, given a status-list entry and a default QR-code link), then suspended or revoked by the same
officer where the data says so, each change with its reason, its status-list bit and its audit entry. So
/credentials/ and the public verification pages behind the QR codes show real, verifiable certificates.

Loading is idempotent: a certificate is identified by holder, type and its 执法区域 + 执法类别; one that is already
there is left as it is (someone may have changed its status in the demo), so a second run creates nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

from django.db import transaction

from smartjustice.core import context
from smartjustice.core.demo import DemoDataInvalid, Step
from smartjustice.core.models import User

from . import services
from .models import Credential

DATA_FILE = Path(__file__).parent / "data" / "demo.json"

# The status changes a demo certificate may go through, each one service.
STEPS = {
    "suspend": services.suspend_credential,
    "reinstate": services.reinstate_credential,
    "revoke": services.revoke_credential,
}


@lru_cache(maxsize=1)
def spec() -> dict:
    """The demo certificates (credentials/data/demo.json)."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def existing(entry: dict, *, type_code: str, holder: User) -> Credential | None:
    """The demo certificate ``entry`` stands for, if it was loaded before."""
    claims = entry["claims"]
    return Credential.objects.filter(
        holder=holder,
        type_code=type_code,
        claims__enforcementArea=claims["enforcementArea"],
        claims__enforcementDomain=claims.get("enforcementDomain", ""),
    ).first()


def load() -> Step:
    """Issue whichever demo certificates are missing; needs the core demo (its offices and accounts) loaded first."""
    step = Step("电子证照")
    created: Counter[str] = Counter()
    data = spec()
    with (
        transaction.atomic(),
        context.acting(actor=None, channel="command", request_id=context.new_request_id()),
    ):
        users = _users(data)
        for entry in data["credentials"]:
            holder = users[entry["holder"]]
            issuer = users[entry.get("issuer", data["issuer"])]
            if existing(entry, type_code=data["type"], holder=holder) is not None:
                step.existing += 1
                continue
            credential = services.issue_credential(
                actor=issuer, type_code=data["type"], holder=holder, claims=entry["claims"]
            )
            for change in entry.get("steps", []):
                credential = STEPS[change["action"]](credential, actor=issuer, reason=change["reason"])
            step.created += 1
            created[credential.status_label] += 1
    step.detail = dict(created)
    return step


def _users(data: dict) -> dict[str, User]:
    entries = data["credentials"]
    unknown = {s["action"] for e in entries for s in e.get("steps", [])} - set(STEPS)
    if unknown:
        raise DemoDataInvalid(f"电子证照演示数据中有未知的状态变更：{'、'.join(sorted(unknown))}")
    wanted = (
        {data["issuer"]} | {e.get("issuer", data["issuer"]) for e in entries} | {e["holder"] for e in entries}
    )
    users = {u.username: u for u in User.objects.filter(username__in=wanted).select_related("organisation")}
    missing = wanted - set(users)
    if missing:
        raise DemoDataInvalid(f"演示账号不存在：{'、'.join(sorted(missing))}（电子证照需先加载核心演示数据）")
    return users
