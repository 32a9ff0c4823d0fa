"""Pages of the statute library at /laws/ (public: staff and citizens read the same law)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from smartjustice.core.errors import DomainError
from smartjustice.core.pagination import page_of
from smartjustice.core.views.guards import staff_required

from . import citations, queries, services
from .forms import AcknowledgeAlertForm, CitationCheckForm, LawFilterForm, SearchForm


def law_list(request):
    form = LawFilterForm(request.GET or None, facets=queries.facets())
    filters = form.values()
    page = page_of(queries.list_laws(**filters), request)
    return render(
        request, "statutes/law_list.html", {"form": form, "page": page, "search_form": SearchForm()}
    )


def law_detail(request, code: str):
    law = queries.get_law(code)
    chapters = queries.chapters_of(law)
    if not queries.reads_by_chapter(chapters):
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
    # A long law: the table of contents and the chapter the URL names (?article= or ?chapter=), the first by default;
    # the other chapters load on demand (static/js/law-reader.js), or by following their link without JS.
    if request.GET.get("article"):
        current = queries.chapter_containing(law, chapters, request.GET["article"][:32])
    else:
        current = queries.chapter_numbered(chapters, _chapter_number(request.GET.get("chapter")))
    return render(
        request,
        "statutes/law_detail.html",
        {
            "law": law,
            "chapters": chapters,
            "current": current,
            "articles": list(queries.articles_in(law, current)),
            "toc": chapters,
            "versions": queries.versions_of(law),
        },
    )


def law_chapter(request, code: str, number: int):
    """One chapter of a long law, as the fragment the reading page swaps in; a plain visit gets the whole page."""
    law = queries.get_law(code)
    chapters = queries.chapters_of(law)
    chapter = queries.chapter_numbered(chapters, number)
    if not request.headers.get("HX-Request"):
        return redirect(f"{law.get_absolute_url()}?chapter={chapter.number}#chapter-{chapter.number}")
    return render(
        request,
        "statutes/_chapter.html",
        {"law": law, "chapter": chapter, "articles": list(queries.articles_in(law, chapter)), "loaded": True},
    )


def _chapter_number(value) -> int:
    try:
        return int(value or 1)
    except ValueError:
        return 1


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
            "citing_rules": queries.rules_citing(article),
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


def rule_list(request):
    """The rules registry: every statutory rule of the platform with the article it cites (law as code)."""
    registered = queries.rule_registry()
    return render(
        request,
        "statutes/rule_list.html",
        {"registered": registered, "show_alerts": queries.may_manage_alerts(request.user)},
    )


@staff_required
def alert_list(request):
    """Rules whose cited article was amended or repealed, for province-level administrators."""
    show = "all" if request.GET.get("show") == "all" else "open"
    page = page_of(queries.alerts_for(request.user, show=show), request)
    return render(
        request, "statutes/alert_list.html", {"page": page, "show": show, "form": AcknowledgeAlertForm()}
    )


@staff_required
@require_POST
def alert_acknowledge(request, pk: int):
    alert = queries.get_alert_for(request.user, pk)
    try:
        services.acknowledge_alert(alert, actor=request.user, note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已确认：{alert.rule_key} → {alert.citation_text}")
    return redirect("statutes:alerts")
