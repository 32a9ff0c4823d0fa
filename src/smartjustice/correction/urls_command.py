"""Pages of 社区矫正 — part: command (helper G): 指挥中心, 统计分析, 风险评估, 脱管查找."""

from django.urls import path

from . import views_command

urlpatterns: list = [
    path("command/", views_command.dashboard, name="command-dashboard"),
    path("statistics/", views_command.statistics_page, name="statistics"),
    path("risk/", views_command.risk_list, name="risk-list"),
    path("risk/<int:pk>/", views_command.risk_detail, name="risk-detail"),
    path("risk/<int:pk>/assess/", views_command.risk_assess, name="risk-assess"),
    path("incidents/", views_command.incident_list, name="incident-list"),
    path("incidents/open/<int:subject_id>/", views_command.incident_open, name="incident-open"),
    path("incidents/<int:pk>/", views_command.incident_detail, name="incident-detail"),
    path("incidents/<int:pk>/act/<slug:name>/", views_command.incident_act, name="incident-act"),
    path("incidents/<int:pk>/notes/", views_command.incident_note, name="incident-note"),
]
