"""Statutory rules as named objects, each citing the article it implements, registered when they are defined.

Law as code (OpenFisca-style): a module writes its deadlines, thresholds and conditions in its own ``rules.py``::

    from smartjustice.core.rules import Rule, WorkingDayPeriod

    ANSWER_PERIOD = WorkingDayPeriod(
        "answer_period", "自收到申请之日起20个工作日内予以答复", Citation(REGULATION, 33, paragraph=2), days=20
    )

Defining a rule registers it under (app label of the defining module, code); core imports every installed app's
``rules`` module at start-up (``autodiscover``), so the registry holds every rule of the platform without core
naming any app. The statute library reads the registry to show which rules cite an article and to flag rules whose
article was amended or repealed; one test resolves every registered citation in the library.

A rule whose basis is not in the statute library (a State Council normative document, say) is registered with an
``exemption`` saying why, so it is listed but not checked against the library.
"""

from __future__ import annotations

import calendar
import datetime
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

from . import deadlines
from .citations import Citation

PREFIX = "中华人民共和国"

_REGISTRY: dict[tuple[str, str], Rule] = {}


def app_label_of(module_name: str) -> str:
    """The app label a Python module belongs to (``smartjustice.govinfo.rules`` → ``govinfo``)."""
    if apps.apps_ready:
        config = apps.get_containing_app_config(module_name)
        if config is not None:
            return config.label
    parts = module_name.split(".")
    # Before the app registry is ready (or outside an app): the package under the project's top-level package.
    return parts[1] if len(parts) > 2 else parts[0]


@dataclass(frozen=True)
class Rule:
    """A statutory rule: a stable code, what it says in one line, and where the law says it.

    ``value`` carries what the rule decides when it is data (e.g. which organisation kinds handle requests);
    ``exemption`` says why the citation cannot be checked against the statute library (empty = checked);
    ``register=False`` keeps a rule out of the registry (a demo or a test's scratch rule).
    """

    code: str
    summary: str
    citation: Citation
    value: Any = field(default=None, kw_only=True, compare=False)
    exemption: str = field(default="", kw_only=True, compare=False)
    module: str = field(default="", kw_only=True, compare=False)
    register: bool = field(default=True, kw_only=True, compare=False, repr=False)

    def __post_init__(self):
        # Frames: __post_init__ ← the dataclass __init__ ← the code defining the rule (its module's globals).
        defining = sys._getframe(2).f_globals.get("__name__", "")
        object.__setattr__(self, "_defined_in", defining)
        if not self.module:
            object.__setattr__(self, "module", app_label_of(defining))
        if self.register:
            _register(self)

    @property
    def key(self) -> str:
        """``<app label>.<code>``: how alerts and pages name the rule."""
        return f"{self.module}.{self.code}"

    @property
    def verified(self) -> bool:
        """Whether the citation is checked against the statute library (no exemption)."""
        return not self.exemption

    def cites(self, law: str, article: int) -> bool:
        """Whether this rule cites article `article` of `law` (with or without 中华人民共和国 in the name)."""
        return self.citation.article == article and _same_law(self.citation.law, law)

    def __str__(self) -> str:
        return f"{self.summary}（{self.citation}）"


@dataclass(frozen=True)
class WorkingDayPeriod(Rule):
    """A period counted in working days (民法典第二百零一条: the start day is not counted)."""

    days: int
    unit: ClassVar[str] = "working_days"
    unit_label: ClassVar[str] = "个工作日"

    def ends(self, start: datetime.date) -> datetime.date:
        """The last day of the period started on `start`."""
        return deadlines.add_working_days(start, self.days)


@dataclass(frozen=True)
class CalendarDayPeriod(Rule):
    """A period counted in calendar days; a last day on a rest day moves to the next working day (第二百零三条)."""

    days: int
    unit: ClassVar[str] = "calendar_days"
    unit_label: ClassVar[str] = "日"

    def ends(self, start: datetime.date) -> datetime.date:
        return deadlines.add_calendar_days(start, self.days)


@dataclass(frozen=True)
class MonthPeriod(Rule):
    """A period counted in months (六个月): it ends on the same day of the last month, or that month's last day
    when it has no such day (民法典第二百零二条), moved past rest days (第二百零三条). ``days`` is None."""

    months: int
    unit: ClassVar[str] = "months"
    unit_label: ClassVar[str] = "个月"
    days: ClassVar[None] = None

    def ends(self, start: datetime.date) -> datetime.date:
        start = start.date() if isinstance(start, datetime.datetime) else start
        month_index = start.month - 1 + self.months
        year, month = start.year + month_index // 12, month_index % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        return deadlines.next_working_day(datetime.date(year, month, day))


def _same_law(a: str, b: str) -> bool:
    return a.removeprefix(PREFIX) == b.removeprefix(PREFIX)


def _register(rule: Rule) -> None:
    key = (rule.module, rule.code)
    existing = _REGISTRY.get(key)
    if existing is not None and existing._defined_in != rule._defined_in:  # type: ignore[attr-defined]
        raise ImproperlyConfigured(
            f"rule {rule.key} is defined twice ({existing._defined_in} and {rule._defined_in})"  # type: ignore[attr-defined]
        )
    # The same module defining it again (a reload) replaces it.
    _REGISTRY[key] = rule


def autodiscover() -> None:
    """Import every installed app's ``rules`` module, so each registers its rules (called once at start-up)."""
    autodiscover_modules("rules")


def registry() -> dict[tuple[str, str], Rule]:
    """Every registered rule by (app label, code)."""
    return dict(_REGISTRY)


def all_rules() -> list[Rule]:
    """Every registered rule, ordered by app label and code."""
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


def get(module: str, code: str) -> Rule | None:
    """One registered rule, or None."""
    return _REGISTRY.get((module, code))


def citing(law: str, article: int) -> list[Rule]:
    """The registered rules citing article `article` of `law` (any paragraph), ordered by app label and code."""
    return [rule for rule in all_rules() if rule.cites(law, article)]


def by_module() -> dict[str, list[Rule]]:
    """Registered rules grouped by app label (for the rules registry page)."""
    grouped: dict[str, list[Rule]] = {}
    for rule in all_rules():
        grouped.setdefault(rule.module, []).append(rule)
    return grouped


def module_name(label: str) -> str:
    """The Chinese name of an app (its AppConfig.verbose_name), for pages listing rules by module."""
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


@contextmanager
def scratch_registry() -> Iterator[dict[tuple[str, str], Rule]]:
    """For tests: an empty registry while inside, the real one restored after."""
    saved = dict(_REGISTRY)
    _REGISTRY.clear()
    try:
        yield _REGISTRY
    finally:
        _REGISTRY.clear()
        _REGISTRY.update(saved)


# --- the platform's own rules: how statutory periods are counted (core.deadlines) ----------------------------

START_DAY_NOT_COUNTED = Rule(
    "start_day_not_counted",
    "按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算",
    deadlines.START_DAY_NOT_COUNTED,
)
MONTH_END = Rule(
    "month_end",
    "按照月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日",
    deadlines.MONTH_END,
)
LAST_DAY_ON_HOLIDAY = Rule(
    "last_day_on_holiday",
    "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日",
    deadlines.LAST_DAY_ON_HOLIDAY,
)
