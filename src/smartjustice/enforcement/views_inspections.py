"""Pages of 双随机、一公开 at /enforcement/inspections/: plans with their seed commitment and a verify section, the
entity registry, the officer's phone-friendly result form, and the public page of each published plan."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from smartjustice.core import access
from smartjustice.core.choices import EnforcementDomain
from smartjustice.core.errors import DomainError, NotAuthenticated, NotFound
from smartjustice.core.forms import BLANK, FilterForm, StyledForm, submit
from smartjustice.core.pagination import page_of
from smartjustice.core.views.guards import staff_required

from . import inspection_queries as queries
from . import inspections, officers
from .choices import InspectionPlanStatus, InspectionResult, RiskLevel
from .eligibility import officer_of
from .models import ConflictOfInterest, InspectionPlan, RegulatedEntity

CODE = r"^\d{12}$"

# --- forms ----------------------------------------------------------------------------------------------------------


class PlanFilterForm(FilterForm):
    q = forms.CharField(
        label="计划名称", required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    status = forms.ChoiceField(label="状态", required=False, choices=BLANK + InspectionPlanStatus.choices)
    domain = forms.ChoiceField(label="执法领域", required=False, choices=BLANK + EnforcementDomain.choices)


class PlanForm(StyledForm):
    name = forms.CharField(label="计划名称", max_length=200)
    domain = forms.ChoiceField(label="执法领域", choices=EnforcementDomain.choices)
    jurisdiction = forms.RegexField(
        label="抽查区划代码",
        regex=CODE,
        required=False,
        help_text="12位区划代码，含下级区划；不填为本单位所在区划",
    )
    high = forms.DecimalField(
        label="高风险抽查比例", min_value=0, max_value=1, decimal_places=4, initial="0.5"
    )
    medium = forms.DecimalField(
        label="中风险抽查比例", min_value=0, max_value=1, decimal_places=4, initial="0.2"
    )
    low = forms.DecimalField(
        label="低风险抽查比例", min_value=0, max_value=1, decimal_places=4, initial="0.05"
    )
    officers_per_inspection = forms.IntegerField(label="每户执法人员数", min_value=2, max_value=5, initial=2)

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "domain": data["domain"],
            "jurisdiction": data["jurisdiction"] or None,
            "sampling_ratios": {level: str(data[level]) for level in ("high", "medium", "low")},
            "officers_per_inspection": data["officers_per_inspection"],
        }

    @staticmethod
    def initial_for(plan: InspectionPlan) -> dict:
        return {
            "name": plan.name,
            "domain": plan.domain,
            "jurisdiction": plan.jurisdiction_id,
            "officers_per_inspection": plan.officers_per_inspection,
            **{level: plan.sampling_ratios.get(level, 0) for level in ("high", "medium", "low")},
        }


class EntityFilterForm(FilterForm):
    q = forms.CharField(
        label="名称或信用代码",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    jurisdiction = forms.RegexField(label="区划代码", required=False, regex=CODE, max_length=12)
    domain = forms.ChoiceField(label="监管领域", required=False, choices=BLANK + EnforcementDomain.choices)
    risk_level = forms.ChoiceField(label="风险等级", required=False, choices=BLANK + RiskLevel.choices)
    active = forms.ChoiceField(label="存续", required=False, choices=BLANK + [("1", "存续"), ("0", "已注销")])


class EntityForm(StyledForm):
    uscc = forms.CharField(label="统一社会信用代码", max_length=30)
    name = forms.CharField(label="名称", max_length=200)
    jurisdiction = forms.RegexField(label="登记区划代码", regex=CODE)
    domains = forms.MultipleChoiceField(
        label="监管领域", choices=EnforcementDomain.choices, widget=forms.CheckboxSelectMultiple
    )
    risk_level = forms.ChoiceField(label="风险等级", choices=RiskLevel.choices, initial=RiskLevel.LOW)
    legal_representative = forms.CharField(label="法定代表人", max_length=100, required=False)
    business_address = forms.CharField(label="经营场所", max_length=300, required=False)


class ImportForm(StyledForm):
    file = forms.FileField(
        label="CSV 文件",
        help_text="列：统一社会信用代码,名称,登记区划,监管领域,风险等级,法定代表人,经营场所（UTF-8 或 GB18030）",
    )


class ConflictForm(StyledForm):
    officer = forms.TypedChoiceField(label="执法人员", coerce=int, choices=())
    uscc = forms.CharField(label="监管对象统一社会信用代码", max_length=30)
    reason = forms.CharField(label="回避事由", max_length=200)

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [
            (o.pk, f"{o.user.display_name}（{o.agency.name}）") for o in officers
        ]


class ResultForm(StyledForm):
    result = forms.ChoiceField(
        label="检查结果", choices=[c for c in InspectionResult.choices if c[0] != InspectionResult.PENDING]
    )
    findings = forms.CharField(
        label="检查情况", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    latitude = forms.DecimalField(label="纬度", required=False, min_value=-90, max_value=90, decimal_places=6)
    longitude = forms.DecimalField(
        label="经度", required=False, min_value=-180, max_value=180, decimal_places=6
    )
    present_officer_ids = forms.TypedMultipleChoiceField(
        label="在场执法人员", coerce=int, widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, inspection=None, **kwargs):
        super().__init__(*args, **kwargs)
        officers = list(inspection.officers.all()) if inspection else []
        self.fields["present_officer_ids"].choices = [(o.pk, o.user.display_name) for o in officers]
        self.fields["present_officer_ids"].initial = [o.pk for o in officers]
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs["data-gps"] = name


class PublicFilterForm(FilterForm):
    q = forms.CharField(
        label="计划或机关名称",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    domain = forms.ChoiceField(label="执法领域", required=False, choices=BLANK + EnforcementDomain.choices)


# --- plans ----------------------------------------------------------------------------------------------------------


@staff_required
def plan_list(request):
    """The plans the user may see, with search and filters."""
    access.require(request.user, "view", InspectionPlan)
    filters = PlanFilterForm(request.GET)
    page = page_of(queries.list_plans(request.user, **filters.values()), request)
    return render(
        request,
        "enforcement/inspections/plan_list.html",
        {"filters": filters, "page": page, "may_add": access.may_do(request.user, "add", InspectionPlan)},
    )


@staff_required
def plan_create(request):
    access.require(request.user, "add", InspectionPlan)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = submit(form, inspections.create_plan, actor=request.user, **form.values())
        if plan is not None:
            messages.success(request, "抽查计划已创建；核对参数后请将随机种子存证")
            return redirect("enforcement:plan-detail", pk=plan.pk)
    return render(request, "enforcement/inspections/plan_form.html", {"form": form, "plan": None})


@staff_required
def plan_edit(request, pk: int):
    plan = queries.get_plan_for(request.user, pk, action="change")
    form = PlanForm(request.POST or None, initial=PlanForm.initial_for(plan))
    if request.method == "POST" and form.is_valid():
        saved = submit(form, inspections.update_plan, plan, actor=request.user, **form.values())
        if saved is not None:
            messages.success(request, "已保存")
            return redirect("enforcement:plan-detail", pk=plan.pk)
    return render(request, "enforcement/inspections/plan_form.html", {"form": form, "plan": plan})


def _plan_context(request, plan) -> dict:
    return {
        "plan": plan,
        "inspections": queries.inspections_of(plan),
        "may_change": access.can(request.user, "change", plan),
        "seed_revealed": plan.status not in (InspectionPlanStatus.DRAFT, InspectionPlanStatus.COMMITTED),
        "candidate_count": len((plan.draw_inputs or {}).get("candidates", [])),
        "officer_count": len((plan.draw_inputs or {}).get("officers", [])),
        "draw_ledger_index": (plan.draw_inputs or {}).get("draw_ledger_index"),
        "excluded": (plan.draw_inputs or {}).get("excluded", []),
    }


@staff_required
def plan_detail(request, pk: int):
    """One plan: parameters, the commitment and its ledger index, the draw, the inspections and the verify section."""
    plan = queries.get_plan_for(request.user, pk)
    return render(request, "enforcement/inspections/plan_detail.html", _plan_context(request, plan))


_STEPS = {
    "commit": (inspections.commit_seed, "随机种子已生成并存证"),
    "draw": (inspections.perform_draw, "已公开随机种子并完成抽取"),
    "publish": (inspections.publish_results, "抽查结果已公示"),
}


@staff_required
@require_POST
def plan_act(request, pk: int, step: str):
    """The buttons of a plan: commit the seed, draw, publish."""
    if step not in _STEPS:
        raise NotFound("没有这个操作")
    plan = queries.get_plan_for(request.user, pk, action="change")
    service, done = _STEPS[step]
    try:
        service(plan, actor=request.user)
    except (NotFound, NotAuthenticated):
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("enforcement:plan-detail", pk=plan.pk)


@staff_required
def plan_verify(request, pk: int):
    """Redo the draw from the revealed seed and the ledger entries (htmx fills the verify section)."""
    return _verification_page(request, queries.get_plan_for(request.user, pk))


def _verification_page(request, plan, *, public: bool = False):
    """The checks of verify_draw: the section alone for htmx, a page otherwise."""
    report = inspections.verify_draw(plan)
    template = (
        "enforcement/inspections/_verification.html"
        if request.headers.get("HX-Request")
        else "enforcement/inspections/verify.html"
    )
    return render(request, template, {"plan": plan, "report": report, "public": public})


# --- registry -------------------------------------------------------------------------------------------------------


@staff_required
def entity_list(request):
    """The regulated entities of the user's jurisdiction: search, filters, pagination."""
    access.require(request.user, "view", RegulatedEntity)
    filters = EntityFilterForm(request.GET)
    page = page_of(queries.list_entities(request.user, **filters.values()), request)
    return render(
        request,
        "enforcement/inspections/entity_list.html",
        {"filters": filters, "page": page, "may_add": access.may_do(request.user, "add", RegulatedEntity)},
    )


@staff_required
def entity_create(request):
    access.require(request.user, "add", RegulatedEntity)
    form = EntityForm(request.POST or None)
    import_form = ImportForm()
    if request.method == "POST" and form.is_valid():
        entity = submit(form, inspections.register_entity, actor=request.user, **form.cleaned_data)
        if entity is not None:
            messages.success(request, f"已登记{entity.name}")
            return redirect("enforcement:entities")
    return render(
        request, "enforcement/inspections/entity_form.html", {"form": form, "import_form": import_form}
    )


@staff_required
@require_POST
def entity_import(request):
    access.require(request.user, "add", RegulatedEntity)
    import_form = ImportForm(request.POST, request.FILES)
    if import_form.is_valid():
        report = submit(
            import_form, inspections.import_entities, import_form.cleaned_data["file"], actor=request.user
        )
        if report is not None:
            messages.success(request, f"导入{report.rows}行：新增{report.created}户，更新{report.updated}户")
            return redirect("enforcement:entities")
    return render(
        request,
        "enforcement/inspections/entity_form.html",
        {"form": EntityForm(), "import_form": import_form},
    )


@staff_required
def conflict_list(request):
    """Conflicts of interest (回避关系) the user may see, and the form to record one for an officer of the agency."""
    access.require(request.user, "view", ConflictOfInterest)
    agency_officers = officers.list_officers(request.user).filter(agency_id=request.user.organisation_id)
    form = ConflictForm(request.POST or None, officers=agency_officers)
    if request.method == "POST":
        access.require(request.user, "add", ConflictOfInterest)
        if form.is_valid():
            data = form.cleaned_data
            officer = officers.get_officer_for(request.user, data["officer"])
            entity = queries.list_entities(request.user).filter(uscc=data["uscc"].strip().upper()).first()
            if entity is None:
                form.add_error("uscc", "名录中没有该统一社会信用代码的监管对象")
            elif submit(
                form,
                inspections.register_conflict,
                actor=request.user,
                officer=officer,
                entity=entity,
                reason=data["reason"],
            ):
                messages.success(request, "回避关系已登记")
                return redirect("enforcement:conflicts")
    page = page_of(queries.list_conflicts(request.user), request)
    return render(
        request,
        "enforcement/inspections/conflict_list.html",
        {"page": page, "form": form, "may_add": access.may_do(request.user, "add", ConflictOfInterest)},
    )


# --- the officer's inspections ---------------------------------------------------------------------------------------


@staff_required
def my_inspections(request):
    """The inspections the user was drawn for (phone-friendly list)."""
    page = page_of(queries.my_inspections(request.user), request)
    return render(request, "enforcement/inspections/mine.html", {"page": page})


def _inspection_page(request, inspection, form):
    me = officer_of(request.user)
    return render(
        request,
        "enforcement/inspections/result_form.html",
        {
            "inspection": inspection,
            "form": form,
            "assigned": me is not None and any(o.pk == me.pk for o in inspection.officers.all()),
            "may_change": access.can(request.user, "change", inspection),
            "open": inspection.plan.status in (InspectionPlanStatus.DRAWN, InspectionPlanStatus.COMPLETED),
        },
    )


@staff_required
def inspection_result(request, pk: int):
    """One inspection and, for an officer drawn for it, the result form (GPS filled in by the phone)."""
    if request.method == "POST":
        inspection = queries.get_inspection_for(request.user, pk, action="change")
        form = ResultForm(request.POST, inspection=inspection)
        if form.is_valid():
            saved = submit(
                form, inspections.record_result, inspection, actor=request.user, **form.cleaned_data
            )
            if saved is not None:
                messages.success(request, "检查结果已登记")
                return redirect("enforcement:inspection-result", pk=inspection.pk)
        return _inspection_page(request, inspection, form)
    inspection = queries.get_inspection_for(request.user, pk)
    initial = {"result": inspection.result, "findings": inspection.findings}
    return _inspection_page(request, inspection, ResultForm(initial=initial, inspection=inspection))


@staff_required
@require_POST
def inspection_case(request, pk: int):
    """A failed inspection becomes a case lead."""
    inspection = queries.get_inspection_for(request.user, pk, action="change")
    try:
        inspections.open_case_from_inspection(inspection, actor=request.user)
    except (NotFound, NotAuthenticated):
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已转为案件线索")
    return redirect("enforcement:inspection-result", pk=inspection.pk)


# --- 一公开 ---------------------------------------------------------------------------------------------------------


def public_plans(request):
    """Published plans (anyone)."""
    filters = PublicFilterForm(request.GET)
    page = page_of(queries.published_plans(**filters.values()), request)
    return render(request, "enforcement/inspections/public_list.html", {"filters": filters, "page": page})


def public_plan(request, pk: int):
    """One published plan: the seed, its commitment in the ledger, every entity drawn and its result."""
    plan = queries.get_published_plan(pk)
    return render(
        request,
        "enforcement/inspections/public_detail.html",
        {
            "plan": plan,
            "inspections": queries.published_inspections(plan),
            "draw_ledger_index": (plan.draw_inputs or {}).get("draw_ledger_index"),
        },
    )


def public_verify(request, pk: int):
    """Anyone may have the platform redo a published draw from its revealed seed and the ledger entries."""
    return _verification_page(request, queries.get_published_plan(pk), public=True)
