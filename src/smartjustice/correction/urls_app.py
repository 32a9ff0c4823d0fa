"""Pages of 社区矫正 — part: app. 粤矫通 at /correction/app/ (the subject's own PWA) and the 司法所 kiosk at
/correction/kiosk/ (see views_app.py)."""

from django.urls import path

from . import views_app as views

urlpatterns: list = [
    path("app/", views.home, name="app-home"),
    path("app/check-in/", views.check_in, name="app-check-in"),
    path("app/check-ins/<int:pk>/", views.check_in_done, name="app-check-in-done"),
    path("app/check-ins/<int:pk>/receipt/", views.check_in_receipt, name="app-check-in-receipt"),
    path("app/requests/", views.requests_list, name="app-requests"),
    path("app/requests/new/", views.request_new, name="app-request-new"),
    path("app/requests/<int:pk>/", views.request_detail, name="app-request"),
    path("app/requests/<int:pk>/withdraw/", views.request_withdraw, name="app-request-withdraw"),
    path("app/requests/<int:pk>/return/", views.request_return, name="app-request-return"),
    path("app/learning/", views.learning, name="app-learning"),
    path("app/learning/<int:pk>/", views.learning_task, name="app-learning-task"),
    path("app/learning/<int:pk>/challenge/", views.learning_challenge, name="app-learning-challenge"),
    path("app/learning/<int:pk>/verify/", views.learning_verify, name="app-learning-verify"),
    path("app/learning/<int:pk>/start/", views.learning_start, name="app-learning-start"),
    path("app/learning/<int:pk>/finish/", views.learning_finish, name="app-learning-finish"),
    path("app/messages/", views.inbox, name="app-messages"),
    path("app/manifest.webmanifest", views.manifest, name="app-manifest"),
    path("app/sw.js", views.service_worker, name="app-service-worker"),
    path("app/offline/", views.offline, name="app-offline"),
    path("kiosk/", views.kiosk_home, name="kiosk"),
    path("kiosk/verify/", views.kiosk_verify, name="kiosk-verify"),
    path("kiosk/challenge/", views.kiosk_challenge, name="kiosk-challenge"),
    path("kiosk/check-in/", views.kiosk_check_in, name="kiosk-check-in"),
]
