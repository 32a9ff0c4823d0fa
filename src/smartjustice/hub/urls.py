"""Pages of 共享协同平台 at /hub/."""

from django.urls import path

from . import views

app_name = "hub"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("consumers/", views.consumer_list, name="consumers"),
    path("consumers/new/", views.consumer_create, name="consumer-create"),
    path("consumers/<int:pk>/", views.consumer_detail, name="consumer-detail"),
    path("consumers/<int:pk>/edit/", views.consumer_edit, name="consumer-edit"),
    path("consumers/<int:pk>/deactivate/", views.consumer_deactivate, name="consumer-deactivate"),
    path("consumers/<int:pk>/reactivate/", views.consumer_reactivate, name="consumer-reactivate"),
    path("consumers/<int:pk>/rotate/<slug:which>/", views.consumer_rotate, name="consumer-rotate"),
    path("consumers/<int:pk>/subscriptions/new/", views.subscription_create, name="subscription-create"),
    path("subscriptions/<int:pk>/edit/", views.subscription_edit, name="subscription-edit"),
    path("subscriptions/<int:pk>/deactivate/", views.subscription_deactivate, name="subscription-deactivate"),
    path("subscriptions/<int:pk>/reactivate/", views.subscription_reactivate, name="subscription-reactivate"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("deliveries/<int:pk>/replay/", views.replay, name="replay"),
    path("statistics/", views.statistics, name="statistics"),
    path("my-disclosures/", views.my_disclosures, name="my_disclosures"),
]
