"""Demo 政府信息公开申请: a few applications in every state, made through the services as the demo accounts.

What to create is data (govinfo/data/demo_requests.json, documented in docs/demo-accounts.md); this module only
replays it. Each request is submitted by its demo applicant and taken through its steps by the named demo staff,
each step a call to `services`, so the workflow history, audit entries, due dates (counted from today), the reply
letters (PDF and Word) and the notifications are the ones real handling would produce. Nothing is back-dated:
whatever today is, the requests were submitted and handled today.

Loading is idempotent: a request is identified by applicant, receiving office and description; one that is already
there is left as it is (someone may have handled it further in the demo), so a second run creates nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

from django.db import transaction

from smartjustice.core import context
from smartjustice.core.demo import DemoDataInvalid, Step
from smartjustice.core.models import Organisation, User

from . import services
from .choices import DeliveryMethod
from .models import GovInfoRequest

DATA_FILE = Path(__file__).parent / "data" / "demo_requests.json"


@lru_cache(maxsize=1)
def spec() -> dict:
    """The demo requests (govinfo/data/demo_requests.json)."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _accept(request, actor, step):
    return services.accept_request(request, actor=actor, comment=step.get("comment", ""))


def _request_correction(request, actor, step):
    return services.request_correction(request, actor=actor, notice=step["notice"])


def _resubmit(request, actor, step):
    # No new description: the description is what identifies a demo request on the next run.
    return services.resubmit_request(request, actor=actor)


def _extend(request, actor, step):
    if "days" in step:
        return services.extend_request(request, actor=actor, reason=step["reason"], days=step["days"])
    return services.extend_request(request, actor=actor, reason=step["reason"])


def _answer(request, actor, step):
    return services.answer_request(
        request, actor=actor, reply_type=step["reply_type"], reply_text=step["reply_text"]
    )


def _withdraw(request, actor, step):
    return services.withdraw_request(request, actor=actor, reason=step.get("reason", ""))


# The steps a demo request may take, each one service.
STEPS = {
    "accept": _accept,
    "request_correction": _request_correction,
    "resubmit": _resubmit,
    "extend": _extend,
    "answer": _answer,
    "withdraw": _withdraw,
}


def load() -> Step:
    """Create whichever demo requests are missing; needs the core demo (its offices and accounts) loaded first."""
    step = Step("政府信息公开申请")
    created: Counter[str] = Counter()
    with (
        transaction.atomic(),
        context.acting(actor=None, channel="command", request_id=context.new_request_id()),
    ):
        entries = spec()["requests"]
        users = _users(entries)
        offices = _offices(entries)
        for entry in entries:
            applicant = users[entry["applicant"]]
            office = offices[entry["organisation"]]
            exists = GovInfoRequest.objects.filter(
                applicant=applicant, organisation=office, description=entry["description"]
            ).exists()
            if exists:
                step.existing += 1
                continue
            request = services.submit_request(
                actor=applicant,
                organisation=office,
                description=entry["description"],
                purpose=entry.get("purpose", ""),
                delivery_method=entry.get("delivery_method", DeliveryMethod.ONLINE),
                address=entry.get("address", ""),
                email=entry.get("email", ""),
            )
            for action in entry["steps"]:
                request = STEPS[action["action"]](request, users[action["actor"]], action)
            step.created += 1
            created[request.status_label] += 1
    step.detail = dict(created)
    return step


def _users(entries: list[dict]) -> dict[str, User]:
    wanted = {e["applicant"] for e in entries} | {s["actor"] for e in entries for s in e["steps"]}
    unknown = {s["action"] for e in entries for s in e["steps"]} - set(STEPS)
    if unknown:
        raise DemoDataInvalid(f"政府信息公开演示数据中有未知的办理步骤：{'、'.join(sorted(unknown))}")
    users = {u.username: u for u in User.objects.filter(username__in=wanted)}
    missing = wanted - set(users)
    if missing:
        raise DemoDataInvalid(
            f"演示账号不存在：{'、'.join(sorted(missing))}（政府信息公开申请需先加载核心演示数据）"
        )
    return users


def _offices(entries: list[dict]) -> dict[str, Organisation]:
    names = {e["organisation"] for e in entries}
    offices = {
        o.name: o
        for o in Organisation.objects.filter(name__in=names, kind__in=services.HANDLING_ORGANISATIONS)
    }
    missing = names - set(offices)
    if missing:
        raise DemoDataInvalid(
            f"受理机关不存在：{'、'.join(sorted(missing))}（政府信息公开申请需先加载核心演示数据）"
        )
    return offices
