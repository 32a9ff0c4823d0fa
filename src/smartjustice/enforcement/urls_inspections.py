"""Pages of 双随机、一公开 under /enforcement/inspections/ (included by enforcement/urls.py, same namespace)."""

from django.urls import path

from . import views_inspections as views

urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("new/", views.plan_create, name="plan-create"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("<int:pk>/verify/", views.plan_verify, name="plan-verify"),
    path("<int:pk>/act/<slug:step>/", views.plan_act, name="plan-act"),
    path("entities/", views.entity_list, name="entities"),
    path("entities/new/", views.entity_create, name="entity-create"),
    path("entities/import/", views.entity_import, name="entity-import"),
    path("conflicts/", views.conflict_list, name="conflicts"),
    path("mine/", views.my_inspections, name="my-inspections"),
    path("checks/<int:pk>/", views.inspection_result, name="inspection-result"),
    path("checks/<int:pk>/case/", views.inspection_case, name="inspection-case"),
    path("public/", views.public_plans, name="public-plans"),
    path("public/<int:pk>/", views.public_plan, name="public-plan"),
    path("public/<int:pk>/verify/", views.public_verify, name="public-plan-verify"),
]
