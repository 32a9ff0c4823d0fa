"""The 双随机 subcommands of `smartjustice enforcement` (management/commands/enforcement.py dispatches here):
`verify-draw <plan id>` (exit status 0 when the draw verifies, 1 when it does not) and `import-entities`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from smartjustice.core.errors import DomainError
from smartjustice.core.management.progress import Progress
from smartjustice.core.models import User

from . import inspections
from .models import InspectionPlan


def verify_draw_command(command, plan_id: int) -> None:
    """Print every check of inspections.verify_draw; CommandError (exit status 1) unless all pass."""
    plan = InspectionPlan.objects.filter(pk=plan_id).first()
    if plan is None:
        raise CommandError(f"抽查计划 {plan_id} 不存在", returncode=1)
    report = inspections.verify_draw(plan)
    for check in report.checks:
        mark = "✔" if check.ok else "✘"
        command.stdout.write(f"{mark} {check.label}" + (f"（{check.detail}）" if check.detail else ""))
    if not report.ok:
        raise CommandError(f"抽查计划 {plan_id}（{plan.name}）的抽取结果未通过验证", returncode=1)
    command.stdout.write(f"抽查计划 {plan_id}（{plan.name}）的抽取结果验证通过")


def import_entities_command(command, path: str, username: str, *, verbosity: int = 1) -> None:
    """Import the registry from a CSV file as `username`, with a progress bar."""
    actor = User.objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(f"账号 {username} 不存在或已停用")
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise CommandError(f"无法读取 {path}：{error.strerror}") from None
    progress = Progress(command.stdout, enabled=verbosity > 0)
    try:
        report = inspections.import_entities(
            data, actor=actor, progress=lambda done, total: progress(done, total)
        )
    except DomainError as error:
        raise CommandError(error.message) from None
    command.stdout.write(f"读取 {report.rows} 行：新增 {report.created} 户，更新 {report.updated} 户")
