"""Pages of 政府信息公开申请 at /govinfo/ (the side navigation links staff/ and my/)."""

from django.urls import path

from . import views

app_name = "govinfo"
urlpatterns = [
    path("", views.index, name="index"),
    path("staff/", views.request_list, name="list"),
    path("my/", views.my_requests, name="mine"),
    path("apply/", views.apply, name="apply"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<slug:name>/", views.act, name="act"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.download, name="download"),
]
