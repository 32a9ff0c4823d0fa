"""Pages of the statute library at /laws/; an article's URL is permanent: /laws/<law code>/articles/<number>/."""

from django.urls import path

from . import views

app_name = "statutes"
urlpatterns = [
    path("", views.law_list, name="list"),
    path("search/", views.search, name="search"),
    path("citations/check/", views.citation_check, name="citation-check"),
    path("<slug:code>/", views.law_detail, name="law"),
    path("<slug:code>/versions/", views.law_versions, name="versions"),
    path("<slug:code>/articles/<str:anchor>/", views.article_detail, name="article"),
]
