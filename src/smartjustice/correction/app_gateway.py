"""The one way the subject app and the kiosk reach the services of the other parts of the module (reporting,
receipts, approvals, identity, education): by name, so the app keeps working — and says so — while a part is not
built yet, instead of failing to import."""

from __future__ import annotations

import importlib

from smartjustice.core.errors import ValidationFailed


def service(module: str, name: str):
    """`smartjustice.correction.<module>.<name>`, or a stand-in that refuses with a message while it is missing."""
    try:
        found = getattr(importlib.import_module(f"smartjustice.correction.{module}"), name, None)
    except ModuleNotFoundError as error:
        if error.name != f"smartjustice.correction.{module}":
            raise
        found = None
    if found is not None:
        return found

    def unavailable(*args, **kwargs):
        raise ValidationFailed("该功能暂未开放，请到司法所办理或稍后再试")

    return unavailable
