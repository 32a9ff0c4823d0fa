"""Pages of 共享协同平台 at /hub/."""

from django.urls import path

from . import views

app_name = "hub"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("deliveries/<int:pk>/replay/", views.replay, name="replay"),
    path("statistics/", views.statistics, name="statistics"),
    path("my-disclosures/", views.my_disclosures, name="my_disclosures"),
]
