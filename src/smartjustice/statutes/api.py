"""Statute library API at /api/v1/statutes/: laws, articles, full-text search, citation check (public reads)."""

from ninja import Query, Router
from ninja.pagination import paginate

from smartjustice.core.auth import API_AUTH
from smartjustice.core.pagination import PageNumberPagination

from . import citations, queries
from .schemas import (
    ArticleDetailOut,
    ArticleOut,
    CitationCheckIn,
    CitationCheckOut,
    LawDetailOut,
    LawFilter,
    LawOut,
    ReferenceFilter,
    ReferenceOut,
    SearchFilter,
    SearchHitOut,
)

router = Router(tags=["法律法规库"])


@router.get("/laws", response=list[LawOut], auth=None, summary="法律法规列表（可按部门、时效性、类型筛选）")
@paginate(PageNumberPagination)
def list_laws(request, filters: Query[LawFilter]):
    return queries.list_laws(**filters.dict())


@router.get("/laws/{code}", response=LawDetailOut, auth=None, summary="法律法规详情（目录与历史版本）")
def get_law(request, code: str):
    law = queries.get_law(code)
    law.toc = queries.table_of_contents(
        queries.articles_of(law, structured=False).only("anchor", "chapter", "section")
    )
    law.versions = queries.versions_of(law)
    return law


@router.get("/laws/{code}/articles", response=list[ArticleOut], auth=None, summary="某部法律的条文")
@paginate(PageNumberPagination)
def list_articles(request, code: str):
    law = queries.get_law(code)
    return queries.articles_of(law, structured=False).select_related("law")


@router.get(
    "/laws/{code}/articles/{anchor}", response=ArticleDetailOut, auth=None, summary="条文（含款、项）"
)
def get_article(request, code: str, anchor: str):
    article = queries.get_article(queries.get_law(code), anchor)
    article.cited_by_list = list(queries.references_to(request.user, article))
    return article


@router.get("/search", response=list[SearchHitOut], auth=None, summary="法条全文检索（命中词高亮）")
@paginate(PageNumberPagination)
def search(request, filters: Query[SearchFilter]):
    results = queries.search_articles(
        filters.q, status=filters.status, department=filters.department, law=filters.law
    )
    return _SearchHits(results)


class _SearchHits:
    """Search results in the shape SearchHitOut reads, sliced lazily by the paginator."""

    def __init__(self, results):
        self.results = results

    def count(self):
        return self.results.count()

    def __getitem__(self, index):
        return [
            {
                "article": hit.article,
                "law_code": hit.article.law.code,
                "law_title": hit.article.law.title,
                "law_status": hit.article.law.status,
                "law_status_label": hit.article.law.get_status_display(),
                "snippet_html": str(hit.snippet),
            }
            for hit in self.results[index]
        ]


@router.post(
    "/citations/check",
    response=list[CitationCheckOut],
    auth=None,
    summary="引用核验：找出文本中的法条引用并逐条核验",
)
def check_citations(request, payload: CitationCheckIn):
    return [
        {
            "text": result.found.text,
            "start": result.found.start,
            "end": result.found.end,
            "law": result.found.citation.law,
            "article": result.found.citation.article,
            "sub_number": result.found.sub_number,
            "paragraph": result.found.citation.paragraph,
            "status": result.status.value,
            "status_label": result.status.label,
            "message": result.message,
            "notes": result.notes,
            "resolved": result.article,
            "resolved_law": result.law,
        }
        for result in citations.check(payload.text)
    ]


@router.get(
    "/references", response=list[ReferenceOut], auth=API_AUTH, summary="平台中的法条引用（可只看已失效的）"
)
@paginate(PageNumberPagination)
def list_references(request, filters: Query[ReferenceFilter]):
    return queries.list_references(request.auth, **filters.dict())
