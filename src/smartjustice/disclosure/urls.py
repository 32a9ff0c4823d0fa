"""Pages of 执法公示 at /disclosure/: public information, published data, and the staff's annual reports."""

from django.urls import path

from . import views

app_name = "disclosure"
urlpatterns = [
    path("", views.index, name="index"),
    path("agencies/", views.agencies, name="agencies"),
    path("officers/", views.officers, name="officers"),
    path("procedures/", views.procedures, name="procedures"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("data/", views.data, name="data"),
    path("data/<int:year>.csv", views.data_csv, name="data-csv"),
    path("data/<int:year>.json", views.data_json, name="data-json"),
    path("reports/", views.reports, name="reports"),
    path("reports/new/", views.report_open, name="report-open"),
    path("reports/progress/", views.progress, name="progress"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/compute/", views.report_compute, name="report-compute"),
    path("reports/<int:pk>/figures/<slug:metric>/", views.report_figure, name="report-figure"),
    path("reports/<int:pk>/figures/<slug:metric>/cases/", views.figure_cases, name="figure-cases"),
    path("reports/<int:pk>/act/<slug:name>/", views.act, name="act"),
]
