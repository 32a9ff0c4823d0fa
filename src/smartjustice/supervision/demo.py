"""Demo 执法监督 (`smartjustice load_demo`, after the enforcement demo's cases): one scan raises the flags, the 天河区
supervisor (th_supervisor) issues one 督办 on a flag of the district, and samples one 案卷评查 batch. Idempotent: a
second run refreshes the flags and creates nothing else."""

from __future__ import annotations

import contextlib
import datetime

from django.db import transaction
from django.utils import timezone

from smartjustice.core.demo import Step
from smartjustice.core.errors import DomainError
from smartjustice.core.models import User

from . import queries, services
from .models import CaseFileReview, SupervisionFlag, SupervisionOrder

SUPERVISOR = "th_supervisor"
BATCH = "演示批次（已结案案卷）"


@transaction.atomic
def load() -> Step:
    step = Step("执法监督")
    if SupervisionFlag.objects.exists():
        # Loaded before: the hourly job keeps the flags fresh; a second scan here would add an audit entry.
        step.existing += SupervisionFlag.objects.count()
    else:
        result = services.run_scan()
        step.created += result.created
        step.detail["监督预警"] = result.total
    supervisor = User.objects.filter(username=SUPERVISOR, is_active=True).first()
    if supervisor is None:
        return step
    flag = queries.list_flags(supervisor).order_by("id").first()  # the open flags of the district
    if flag is not None and not SupervisionOrder.objects.filter(case=flag.case).exists():
        services.issue_order(
            case=flag.case,
            actor=supervisor,
            requirement=f"{flag.get_rule_display()}：{flag.why}。请核查整改，并报送整改情况和相关材料。",
            deadline_on=timezone.localdate() + datetime.timedelta(days=21),
            flags=[flag],
        )
        step.created += 1
        step.detail["督办"] = 1
    if not CaseFileReview.objects.filter(batch=BATCH).exists():
        with contextlib.suppress(DomainError):  # no closed case in the district yet: nothing to sample
            step.created += len(services.sample_reviews(actor=supervisor, batch=BATCH, size=3, seed="demo"))
    return step
