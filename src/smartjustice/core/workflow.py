"""The one workflow mechanism: declared states and transitions, checked permissions and guards, stored history.

A model declares `workflow = Workflow(...)` and a `status` field whose choices come from `workflow.choices`.
Services call `workflow.transition(obj, "accept", actor=..., payload=...)` inside their transaction; pages and the
API call `workflow.available_transitions(obj, user)` to draw the buttons (core.workflow_api does both generically).
A state may carry a statutory clock (core.clocks), started, paused, resumed and stopped in the same UPDATE as the
state; guards see the step's input (`payload`) as well as the record and the actor; core.assignments adds guards
about who is assigned to the record. A transition is applied with a conditional
UPDATE … WHERE status = <the state it was checked against> (after SELECT … FOR UPDATE where the database has it),
so two people pressing the same button at once change the record once and the second gets a clear conflict.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.db import connections, transaction
from django.utils import timezone

from . import access, audit, clocks
from .choices import AuditEvent
from .errors import NotAuthenticated, PermissionDenied, TransitionNotAllowed
from .models.workflow import TransitionRecord

# A guard looks at the record, who acts and what they submit (`payload`: the step's input as a dict, None while
# only the buttons are being drawn) and answers an error message, or None when the step may go ahead. Guards
# written with two arguments (obj, actor) keep working.
Guard = Callable[[object, object, Mapping | None], str | None]


def _accepts_payload(guard) -> bool:
    try:
        parameters = inspect.signature(guard).parameters.values()
    except (TypeError, ValueError):
        return True
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 3 or any(p.kind == p.VAR_POSITIONAL for p in parameters)


def _with_payload(guard) -> Guard:
    if _accepts_payload(guard):
        return guard

    def guard_with_payload(obj, actor, payload):
        return guard(obj, actor)

    guard_with_payload.__wrapped__ = guard
    return guard_with_payload


@dataclass(frozen=True)
class State:
    """A state; `clock` starts (or keeps running) a statutory period on entry, `pauses` stops one's count."""

    code: str
    label: str
    final: bool = False
    clock: clocks.Clock | None = None
    pauses: clocks.Clock | None = None


@dataclass(frozen=True)
class Transition:
    """A named step from any of `sources` to `target`.

    `permission` is checked with core.access.has_permission and the record must lie in the actor's jurisdiction;
    `owner_may` lets the record's owner (its model's owner_field, e.g. the applicant) take the step instead.
    """

    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    permission: str | None = None
    owner_may: bool = False
    guards: tuple[Guard, ...] = ()
    style: str = "primary"  # a hint for buttons: primary / secondary / danger …

    def __post_init__(self):
        if isinstance(self.sources, str):
            object.__setattr__(self, "sources", (self.sources,))
        object.__setattr__(self, "guards", tuple(_with_payload(g) for g in self.guards))


@dataclass
class Workflow:
    """States and transitions of one kind of record; `field` is the model field holding the state code."""

    name: str
    states: Iterable[State]
    transitions: Iterable[Transition]
    initial: str
    field: str = "status"
    _states: dict[str, State] = dataclass_field(init=False, repr=False)
    _transitions: dict[str, Transition] = dataclass_field(init=False, repr=False)
    _clocks: dict[str, clocks.Clock] = dataclass_field(init=False, repr=False)

    def __post_init__(self):
        self._states = {s.code: s for s in self.states}
        self._transitions = {t.name: t for t in self.transitions}
        unknown = {self.initial} - set(self._states)
        for t in self._transitions.values():
            unknown |= (set(t.sources) | {t.target}) - set(self._states)
        if unknown:
            raise ValueError(f"workflow {self.name}: unknown states {sorted(unknown)}")
        self._clocks = {}
        for state in self._states.values():
            for clock in (state.clock, state.pauses):
                if clock is not None and self._clocks.setdefault(clock.code, clock) is not clock:
                    raise ValueError(f"workflow {self.name}: two clocks named {clock.code}")

    # --- declarations ------------------------------------------------------------------------------------------

    @property
    def choices(self) -> list[tuple[str, str]]:
        """For the model field: `status = CharField(choices=WORKFLOW.choices, default=WORKFLOW.initial)`."""
        return [(s.code, s.label) for s in self._states.values()]

    def state_label(self, code: str) -> str:
        state = self._states.get(code)
        return state.label if state else code

    def state(self, code: str) -> State | None:
        return self._states.get(code)

    def clock(self, code: str) -> clocks.Clock | None:
        """A clock declared on one of the states, by its code."""
        return self._clocks.get(code)

    def get(self, name: str) -> Transition:
        try:
            return self._transitions[name]
        except KeyError:
            raise TransitionNotAllowed(f"未知的操作：{name}") from None

    def all_transitions(self) -> list[Transition]:
        return list(self._transitions.values())

    # --- checks ------------------------------------------------------------------------------------------------

    def check(self, obj, name: str, actor, payload: Mapping | None = None) -> Transition:
        """Raise TransitionNotAllowed / PermissionDenied when `actor` may not take step `name` now (with `payload`)."""
        transition = self.get(name)
        current = getattr(obj, self.field)
        if current not in transition.sources:
            raise TransitionNotAllowed(
                f"当前状态为“{self.state_label(current)}”，不能执行“{transition.label}”"
            )
        if actor is None or not getattr(actor, "is_authenticated", False):
            raise NotAuthenticated()
        if not _may_act(transition, obj, actor):
            raise PermissionDenied(f"您没有执行“{transition.label}”的权限")
        for guard in transition.guards:
            message = guard(obj, actor, payload)
            if message:
                raise TransitionNotAllowed(message)
        return transition

    def allowed(self, obj, name: str, actor, payload: Mapping | None = None) -> bool:
        try:
            self.check(obj, name, actor, payload)
        except (TransitionNotAllowed, PermissionDenied, NotAuthenticated):
            return False
        return True

    def available_transitions(self, obj, user) -> list[Transition]:
        """The steps `user` may take on `obj` now (guards included), in declaration order, for buttons."""
        return [t for t in self._transitions.values() if self.allowed(obj, t.name, user)]

    # --- applying ----------------------------------------------------------------------------------------------

    def transition(
        self, obj, name: str, *, actor, payload: Mapping | None = None, comment: str = ""
    ) -> TransitionRecord:
        """Check and apply one step: state (and clock) saved, history row and audit entry written, in one
        transaction; `payload` is the step's input, which guards see."""
        model = type(obj)
        db = obj._state.db or "default"
        with transaction.atomic(using=db):
            rows = model._base_manager.using(db).filter(pk=obj.pk)
            if connections[db].features.has_select_for_update:
                rows = rows.select_for_update()
            clocked = any(f.name == "clock_code" for f in model._meta.concrete_fields)
            read = (self.field, *clocks.CLOCK_FIELDS) if clocked else (self.field,)
            now = rows.values(*read).first()
            if now is None:
                raise TransitionNotAllowed("记录不存在或已被删除")
            current = now[self.field]
            for attname, value in now.items():
                setattr(obj, attname, value)  # check against the record as it is now, not as it was read
            transition = self.check(obj, name, actor, payload)
            changes = {self.field: transition.target}
            clock_changes = {}
            if clocked:
                clock_changes = clocks.on_enter(
                    obj, self._states.get(current), self._states[transition.target]
                )
                changes.update(clock_changes)
            before = {self.field: current, **{k: _plain(getattr(obj, k)) for k in clock_changes}}
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                changes["updated_at"] = timezone.now()
            # The WHERE on the old state is what makes a concurrent second attempt change nothing.
            applied = (
                model._base_manager.using(db).filter(pk=obj.pk, **{self.field: current}).update(**changes)
            )
            if applied != 1:
                raise TransitionNotAllowed("该事项已被他人办理，请刷新后重试")
            for attname, value in changes.items():
                setattr(obj, attname, value)
                loaded = getattr(obj, "_audit_loaded", None)
                if loaded is not None:
                    loaded[attname] = value  # so the service's next save() does not report the state twice
            record = TransitionRecord.objects.using(db).create(
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                transition=transition.name,
                transition_label=transition.label,
                from_state=current,
                to_state=transition.target,
                actor=actor,
                actor_name=(getattr(actor, "display_name", "") or actor.get_username())[:100],
                comment=comment or "",
                jurisdiction_code=audit.jurisdiction_code_of(obj),
            )
            audit.record(
                AuditEvent.WORKFLOW_TRANSITION,
                obj=obj,
                actor=actor,
                before=before,
                after={self.field: transition.target, **{k: _plain(v) for k, v in clock_changes.items()}},
                changed=[self.field, *clock_changes],
                detail=f"{transition.label}：{self.state_label(current)} → {self.state_label(transition.target)}"
                + (f"（{comment}）" if comment else ""),
            )
        return record

    def history(self, obj):
        """The stored steps of one record, oldest first (the caller has already loaded `obj` through access)."""
        return TransitionRecord.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk)
        ).select_related("actor")


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _owner_id(obj):
    owner_field = getattr(type(obj), "owner_field", None)
    if not owner_field:
        return None
    if owner_field == "pk":
        return obj.pk
    value = obj
    *parents, last = owner_field.split("__")
    for part in parents:
        value = getattr(value, part, None)
        if value is None:
            return None
    return getattr(value, f"{last}_id", None)


def _may_act(transition: Transition, obj, actor) -> bool:
    if transition.owner_may and _owner_id(obj) == actor.pk:
        return True
    if transition.permission is None:
        return not transition.owner_may and actor.is_active
    if not access.has_permission(actor, transition.permission):
        return False
    if getattr(type(obj), "jurisdiction_field", None) is None:
        return True
    return access.may_act_in(actor, audit.jurisdiction_code_of(obj))


def workflow_of(obj) -> Workflow:
    workflow = getattr(type(obj), "workflow", None)
    if not isinstance(workflow, Workflow):
        raise TypeError(f"{type(obj).__name__} declares no workflow")
    return workflow


def transition(
    obj, name: str, *, actor, payload: Mapping | None = None, comment: str = ""
) -> TransitionRecord:
    """Apply step `name` to `obj` (its model's `workflow`) with input `payload`; see Workflow.transition."""
    return workflow_of(obj).transition(obj, name, actor=actor, payload=payload, comment=comment)


def available_transitions(obj, user) -> list[Transition]:
    """The steps `user` may take on `obj` now, for rendering buttons."""
    return workflow_of(obj).available_transitions(obj, user)


def history(obj):
    """The stored transitions of `obj`, oldest first."""
    return workflow_of(obj).history(obj)
