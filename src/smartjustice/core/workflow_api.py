"""One transition endpoint and one transition page helper for every workflow (core.workflow).

A module declares, per step, the service that takes it (`service(obj, *, actor, **input)`) and the ninja Schema of
its input, then:

* API — `transition_routes(router, path="/requests", model=GovInfoRequest, get_for=queries.get_request_for,
  detail=_detail, response=RequestDetailOut, services=services.TRANSITION_SERVICES, inputs=TRANSITION_INPUTS)`
  adds `GET {path}/{pk}/transitions` (the steps the caller may take now, with labels and input schema) and
  `POST {path}/{pk}/transitions/{name}` (the input validated against that step's schema — errors in Chinese as
  `{code, message, fields}` — then the service, then the detail). One route is generated per step so the OpenAPI
  document shows each step's input.
* Pages — `transition_view(get=..., services=..., inputs=..., redirect_to=...)` is the one POST view behind every
  button, and `transition_forms(obj, user, services=..., inputs=...)` with the partial
  `workflow/_transitions.html` draws the buttons (and their input fields, from the same schemas) from
  `available_transitions`.

No per-step endpoint, view or action map is written by hand.
"""

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from annotated_types import Ge, Le, MaxLen, MinLen
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from ninja import Field, Schema
from pydantic import ValidationError

from . import workflow
from .auth import API_AUTH
from .errors import DomainError, NotFound, pydantic_message


class NoInput(Schema):
    """A step that takes no input."""


class AvailableTransitionOut(Schema):
    name: str
    label: str
    style: str
    input_schema: dict = Field(..., description="该操作的输入（JSON Schema），提交到 transitions/{name}")


def _accepts_files(service) -> bool:
    try:
        return "files" in inspect.signature(service).parameters
    except (TypeError, ValueError):
        return False


def _check_declared(model, services: Mapping, inputs: Mapping) -> workflow.Workflow:
    declared = model.workflow
    names = {t.name for t in declared.all_transitions()}
    unknown = (set(services) | set(inputs)) - names
    if unknown:
        raise ValueError(f"{model.__name__}: no such workflow steps {sorted(unknown)}")
    return declared


# --- API --------------------------------------------------------------------------------------------------------


def transition_routes(
    router,
    *,
    path: str,
    model,
    get_for: Callable,
    detail: Callable,
    response,
    services: Mapping[str, Callable],
    inputs: Mapping[str, type[Schema]] | None = None,
    id_param: str = "pk",
    auth=API_AUTH,
) -> None:
    """Add the transitions list and one POST per step under `{path}/{pk}/` to `router` (see module docstring).

    `get_for(user, pk)` loads the record through access (NotFound for missing and forbidden alike); `detail(request,
    obj)` prepares what `response` renders; `id_param` names the path parameter (e.g. "request_id").
    """
    inputs = dict(inputs or {})
    declared = _check_declared(model, services, inputs)
    prefix = path.strip("/").replace("/", "_").replace("{", "").replace("}", "") or model._meta.model_name
    app = model._meta.app_label

    def list_transitions(request, **path):
        obj = get_for(request.auth, path[id_param])
        return [
            {
                "name": t.name,
                "label": t.label,
                "style": t.style,
                "input_schema": inputs.get(t.name, NoInput).model_json_schema(),
            }
            for t in workflow.available_transitions(obj, request.auth)
            if t.name in services
        ]

    list_transitions.__signature__ = _signature(id_param)
    router.get(
        f"{path}/{{{id_param}}}/transitions",
        response=list[AvailableTransitionOut],
        auth=auth,
        summary="当前用户可执行的操作",
        operation_id=f"{app}_{prefix}_transitions",
    )(list_transitions)

    for name, service in services.items():
        transition = declared.get(name)
        view = _transition_endpoint(service, inputs.get(name, NoInput), get_for, detail, id_param)
        router.post(
            f"{path}/{{{id_param}}}/transitions/{name}",
            response=response,
            auth=auth,
            summary=transition.label,
            operation_id=f"{app}_{prefix}_{name}",
        )(view)

    def unknown_transition(request, **params):
        raise NotFound(f"未知的操作：{params['name']}")

    unknown_transition.__signature__ = inspect.Signature(
        [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter(id_param, inspect.Parameter.KEYWORD_ONLY, annotation=int),
            inspect.Parameter("name", inspect.Parameter.KEYWORD_ONLY, annotation=str),
        ]
    )
    # After the steps' own routes, so only a step the workflow does not have reaches it: a JSON 404 in Chinese.
    router.post(
        f"{path}/{{{id_param}}}/transitions/{{name}}",
        auth=auth,
        include_in_schema=False,
        operation_id=f"{app}_{prefix}_unknown_transition",
    )(unknown_transition)


def _signature(id_param: str, schema=None) -> inspect.Signature:
    # ninja reads the view's signature: the id's name and the step's schema differ per module and step, so the
    # signature is built here rather than annotated.
    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter(id_param, keyword, annotation=int),
    ]
    if schema is not None:
        parameters.append(inspect.Parameter("payload", keyword, annotation=schema))
    return inspect.Signature(parameters)


def _transition_endpoint(service, schema, get_for, detail, id_param):
    def take_transition(request, **params):
        obj = get_for(request.auth, params[id_param])
        service(obj, actor=request.auth, **params["payload"].dict())
        return detail(request, get_for(request.auth, obj.pk))

    take_transition.__signature__ = _signature(id_param, schema)
    return take_transition


# --- pages ------------------------------------------------------------------------------------------------------


@dataclass
class FormField:
    """One input of a step, as the partial draws it (from the step's Schema)."""

    name: str
    label: str
    widget: str  # text / textarea / number / select
    required: bool
    initial: object = ""
    choices: list = field(default_factory=list)
    min: int | None = None
    max: int | None = None
    max_length: int | None = None


@dataclass
class TransitionForm:
    name: str
    label: str
    style: str
    fields: list[FormField]
    files: bool


def _form_fields(schema: type[Schema]) -> list[FormField]:
    found = []
    for name, info in schema.model_fields.items():
        limits = {type(m): m for m in info.metadata}
        annotation = info.annotation
        required = info.is_required()
        initial = "" if required or info.default is None else info.default
        label = info.description or info.title or name
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            choices = getattr(annotation, "choices", [(m.value, m.value) for m in annotation])
            found.append(FormField(name, label, "select", required, initial, choices=list(choices)))
        elif annotation is int:
            found.append(
                FormField(
                    name,
                    label,
                    "number",
                    required,
                    initial,
                    min=getattr(limits.get(Ge), "ge", None),
                    max=getattr(limits.get(Le), "le", None),
                )
            )
        else:
            max_length = getattr(limits.get(MaxLen), "max_length", None)
            widget = "textarea" if max_length is None or max_length > 500 else "text"
            minimum = getattr(limits.get(MinLen), "min_length", None)
            found.append(
                FormField(name, label, widget, required or bool(minimum), initial, max_length=max_length)
            )
    return found


def transition_forms(
    obj, user, *, services: Mapping[str, Callable], inputs: Mapping[str, type[Schema]] | None = None
) -> list[TransitionForm]:
    """The buttons `user` may press on `obj` now, each with the input fields its step takes."""
    inputs = inputs or {}
    return [
        TransitionForm(
            t.name,
            t.label,
            t.style,
            _form_fields(inputs.get(t.name, NoInput)),
            _accepts_files(services[t.name]),
        )
        for t in workflow.available_transitions(obj, user)
        if t.name in services
    ]


def _refusal(schema: type[Schema], exc: ValidationError) -> str:
    labels = {name: info.description or name for name, info in schema.model_fields.items()}
    parts = []
    for error in exc.errors():
        name = str(error.get("loc", [""])[0])
        parts.append(f"{labels.get(name, name)}：{pydantic_message(error)}")
    return "提交的内容有误：" + "；".join(parts)


def take_transition(request, obj, name: str, *, services, inputs=None) -> bool:
    """Parse the posted input of step `name`, call its service, and leave a message; True when it was taken."""
    service = services.get(name)
    if service is None:
        raise NotFound("未知的操作")
    schema = (inputs or {}).get(name, NoInput)
    data = {}
    for field_name, info in schema.model_fields.items():
        value = request.POST.get(field_name)
        if value is None or (value == "" and (info.annotation is not str or info.is_required())):
            continue  # left empty: the schema's default applies, or a required field says it is required
        data[field_name] = value
    try:
        payload = schema.model_validate(data)
    except ValidationError as exc:
        messages.error(request, _refusal(schema, exc))
        return False
    extra = {"files": request.FILES.getlist("files")} if _accepts_files(service) else {}
    try:
        service(obj, actor=request.user, **payload.dict(), **extra)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, f"已{workflow.workflow_of(obj).get(name).label}")
    return True


def transition_view(
    *, get: Callable, services: Mapping[str, Callable], inputs=None, redirect_to: Callable[[object], str]
):
    """The one POST view behind every transition button of a module: `<pk>/act/<name>/` → service → redirect."""

    @login_required
    @require_POST
    def act(request, pk: int, name: str):
        obj = get(request.user, pk)
        take_transition(request, obj, name, services=services, inputs=inputs)
        return redirect(redirect_to(obj))

    act.__doc__ = "One workflow step from a button (core.workflow_api.transition_view)."
    return act
