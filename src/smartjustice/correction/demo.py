"""Demo data of 社区矫正 (`smartjustice load_demo`): the subjects first (demo_subjects.py, helper A), then every
part's `demo_<part>.load_demo()` that exists, in the order of the plan — daily supervision, location monitoring,
assessments and approvals, education, command, the subject app — each over the demo subjects. Every loader is
idempotent, so a second run creates nothing."""

from __future__ import annotations

import importlib

from smartjustice.core import context
from smartjustice.core.demo import Step

from . import demo_subjects

PARTS = (
    ("demo_reporting", "日常监管"),
    ("demo_location", "定位监管"),
    ("demo_conduct", "考核奖惩和审批"),
    ("demo_education", "教育帮扶"),
    ("demo_command", "指挥中心"),
    ("demo_app", "粤矫通"),
)


def _part(name: str):
    """The part's demo module, or None where the part has not written one."""
    try:
        return importlib.import_module(f"{__package__}.{name}")
    except ModuleNotFoundError as missing:
        if missing.name == f"{__package__}.{name}":
            return None
        raise


def load() -> Step:
    step = Step("社区矫正")
    detail: dict[str, int] = {}
    with context.acting(actor=None, channel="command", request_id=context.new_request_id()):
        detail["社区矫正对象"] = demo_subjects.load_demo()
        for name, label in PARTS:
            module = _part(name)
            if module is not None and hasattr(module, "load_demo"):
                detail[label] = module.load_demo()
        # What the demo published (subjects, check-ins) reaches the subscribed agencies, as the worker would.
        from smartjustice.hub import services as hub_services

        while hub_services.fan_out():
            pass
    step.created = sum(detail.values())
    step.detail = {k: v for k, v in detail.items() if v}
    return step
