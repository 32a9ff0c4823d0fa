"""Pages of 可验证电子证照."""

from django.urls import path

from . import views

app_name = "credentials"
urlpatterns = [
    path("", views.credential_list, name="list"),
    path("issue/", views.credential_issue, name="issue"),
    path("mine/", views.my_credentials, name="mine"),
    path("<int:pk>/", views.credential_detail, name="detail"),
    path("<int:pk>/certificate/", views.certificate, name="certificate"),
    path("<int:pk>/certificate.pdf", views.certificate_pdf, name="certificate-pdf"),
    path("<int:pk>/bundle.json", views.bundle_download, name="bundle"),
    path("<int:pk>/links/", views.link_create, name="link-create"),
    path("<int:pk>/<slug:name>/", views.credential_transition, name="transition"),
    path("links/<int:pk>/withdraw/", views.link_withdraw, name="link-withdraw"),
    # public
    path("v/<str:token>/", views.verify, name="verify"),
    path(
        "status/<int:organisation_id>/<slug:purpose>/<int:sequence>/", views.status_list, name="status-list"
    ),
    path("issuers/<int:organisation_id>/", views.issuer, name="issuer"),
    path("trust.json", views.trust_file, name="trust"),
]
