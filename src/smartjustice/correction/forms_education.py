"""Page forms of education and identity checks: they parse; correction/education.py and identity.py decide."""

from __future__ import annotations

from django import forms

from smartjustice.core.forms import BLANK, FilterForm, StyledForm

from .models import AssignmentStatus, IdentityMethod, IdentityStatus, LearningKind


class TaskForm(StyledForm):
    title = forms.CharField(label="名称", max_length=200)
    kind = forms.ChoiceField(label="类别", choices=LearningKind.choices)
    hours = forms.DecimalField(label="学时", min_value=0.1, max_value=200, decimal_places=1)
    content = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    is_active = forms.BooleanField(label="可布置", required=False, initial=True)


class TaskFilterForm(FilterForm):
    kind = forms.ChoiceField(label="类别", choices=BLANK + list(LearningKind.choices), required=False)
    q = forms.CharField(label="名称", max_length=50, required=False)


class AssignmentForm(StyledForm):
    subject_id = forms.TypedChoiceField(label="社区矫正对象", coerce=int, choices=())
    task_id = forms.TypedChoiceField(label="学习任务", coerce=int, choices=())
    due_on = forms.DateField(label="完成期限", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, subjects=(), tasks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_id"].choices = [("", "请选择")] + [
            (s.pk, f"{s.name}（{s.number}）") for s in subjects
        ]
        self.fields["task_id"].choices = [("", "请选择")] + [(t.pk, str(t)) for t in tasks]


class AssignmentFilterForm(FilterForm):
    status = forms.ChoiceField(label="状态", choices=BLANK + list(AssignmentStatus.choices), required=False)
    overdue = forms.BooleanField(label="只看已超期", required=False)


class IdentityCheckFilterForm(FilterForm):
    status = forms.ChoiceField(
        label="状态", choices=[("", "全部")] + list(IdentityStatus.choices), required=False
    )
    method = forms.ChoiceField(label="核验方式", choices=BLANK + list(IdentityMethod.choices), required=False)


class ReviewForm(StyledForm):
    decision = forms.ChoiceField(
        label="复核结论",
        choices=[("approve", "核验通过：照片中是本人，手写数字一致"), ("refuse", "核验不通过")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="复核意见", max_length=250, widget=forms.Textarea(attrs={"rows": 2}))
