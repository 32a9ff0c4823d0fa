"""Pages of 可信存证账本 at /ledger/ (public: transparency page, checkpoints, public keys, proof checker)."""

from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.transparency, name="transparency"),
    path("keys/", views.public_keys, name="keys"),
    path("verify/", views.verify, name="verify"),
    path("<slug:log>/checkpoint", views.checkpoint_text, name="checkpoint"),
]
