"""Pages of the statute library at /laws/; an article's URL is permanent: /laws/<law code>/articles/<number>/."""

from django.urls import path

from . import views

app_name = "statutes"
urlpatterns = [
    path("", views.law_list, name="list"),
    path("search/", views.search, name="search"),
    path("citations/check/", views.citation_check, name="citation-check"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/alerts/", views.alert_list, name="alerts"),
    path("rules/alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert-acknowledge"),
    path("<slug:code>/", views.law_detail, name="law"),
    path("<slug:code>/versions/", views.law_versions, name="versions"),
    path("<slug:code>/chapters/<int:number>/", views.law_chapter, name="chapter"),
    path("<slug:code>/articles/<str:anchor>/", views.article_detail, name="article"),
]
