"""Pages of 可信存证账本 at /ledger/ (public: transparency page, checkpoints, public keys, proof checker; staff:
manage/)."""

from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.transparency, name="transparency"),
    path("keys/", views.public_keys, name="keys"),
    path("verify/", views.verify, name="verify"),
    path("manage/", views.manage, name="manage"),
    path("manage/logs/<slug:log>/checkpoint", views.manage_checkpoint, name="manage-checkpoint"),
    path(
        "manage/logs/<slug:log>/entries/<int:index>/bundle", views.manage_entry_bundle, name="manage-bundle"
    ),
    path("manage/witnesses/", views.manage_witness_add, name="manage-witness-add"),
    path("manage/witnesses/<path:name>", views.manage_witness_change, name="manage-witness-change"),
    path("manage/key-rotations/", views.manage_rotate_key, name="manage-rotate-key"),
    path("<slug:log>/checkpoint", views.checkpoint_text, name="checkpoint"),
]
