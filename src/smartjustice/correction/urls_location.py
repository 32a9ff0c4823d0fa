"""Pages of 社区矫正 — part: location (alerts, tracks, fences, 电子定位装置)."""

from django.urls import path

from . import views_location as views

urlpatterns: list = [
    path("alerts/", views.alert_list, name="alert-list"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert-detail"),
    path("alerts/<int:pk>/act/<slug:name>/", views.alert_act, name="alert-act"),
    path("tracks/<int:subject_pk>/", views.track, name="track"),
    path("fences/", views.fence_list, name="fence-list"),
    path("fences/new/", views.fence_new, name="fence-new"),
    path("fences/<int:pk>/", views.fence_edit, name="fence-edit"),
    path("fences/<int:pk>/deactivate/", views.fence_deactivate, name="fence-deactivate"),
    path("monitoring/", views.monitoring_list, name="monitoring-list"),
    path("monitoring/new/", views.monitoring_new, name="monitoring-new"),
    path("monitoring/<int:pk>/", views.monitoring_detail, name="monitoring-detail"),
    path("monitoring/<int:pk>/act/<slug:name>/", views.monitoring_act, name="monitoring-act"),
]
