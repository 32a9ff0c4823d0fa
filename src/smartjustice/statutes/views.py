"""Pages of the statute library at /laws/ (public: staff and citizens read the same law)."""

from __future__ import annotations

from django.shortcuts import render

from smartjustice.core.pagination import page_of

from . import citations, queries
from .forms import CitationCheckForm, LawFilterForm, SearchForm


def law_list(request):
    form = LawFilterForm(request.GET or None, facets=queries.facets())
    filters = form.values()
    page = page_of(queries.list_laws(**filters), request)
    return render(
        request, "statutes/law_list.html", {"form": form, "page": page, "search_form": SearchForm()}
    )


def law_detail(request, code: str):
    law = queries.get_law(code)
    articles = list(queries.articles_of(law))
    return render(
        request,
        "statutes/law_detail.html",
        {
            "law": law,
            "articles": articles,
            "toc": queries.table_of_contents(articles),
            "versions": queries.versions_of(law),
        },
    )


def article_detail(request, code: str, anchor: str):
    law = queries.get_law(code)
    article = queries.get_article(law, anchor)
    previous, following = queries.neighbours(article)
    return render(
        request,
        "statutes/article_detail.html",
        {
            "law": law,
            "article": article,
            "previous": previous,
            "following": following,
            "other_versions": queries.same_article_in_other_versions(article),
            "show_references": queries.may_see_references(request.user),
            "references": queries.references_to(request.user, article),
        },
    )


def law_versions(request, code: str):
    law = queries.get_law(code)
    return render(request, "statutes/law_versions.html", {"law": law, "versions": queries.versions_of(law)})


def search(request):
    form = SearchForm(request.GET or None)
    filters = form.values()
    results = queries.search_articles(
        filters["q"], status=filters["status"], law=request.GET.get("law", "")[:64]
    )
    page = page_of(results, request) if filters["q"] else None
    return render(request, "statutes/search.html", {"form": form, "page": page, "query": filters["q"]})


def citation_check(request):
    form = CitationCheckForm(request.POST or None)
    results = (
        citations.check(form.cleaned_data["text"]) if request.method == "POST" and form.is_valid() else None
    )
    return render(request, "statutes/citation_check.html", {"form": form, "results": results})
