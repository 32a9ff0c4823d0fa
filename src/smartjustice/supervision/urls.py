"""Pages of 执法监督 at /supervision/."""

from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("flags/", views.flag_list, name="flags"),
    path("flags/<int:pk>/", views.flag_detail, name="flag-detail"),
    path("flags/<int:pk>/order/", views.flag_order, name="flag-order"),
    path("flags/<int:pk>/dismiss/", views.flag_dismiss, name="flag-dismiss"),
    path("orders/", views.order_list, name="orders"),
    path("orders/<int:pk>/", views.order_detail, name="order-detail"),
    path("orders/<int:pk>/act/<slug:name>/", views.order_act, name="order-act"),
    path("orders/<int:pk>/files/", views.order_upload, name="order-upload"),
    path("orders/<int:pk>/attachments/<int:attachment_id>/", views.order_download, name="order-download"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
]
