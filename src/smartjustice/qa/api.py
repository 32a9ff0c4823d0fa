"""API of 法宝宝 and the FAQ at /api/v1/qa/: asking and reading are public; authoring needs qa.change_faqentry."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from smartjustice.core import workflow_api
from smartjustice.core.auth import API_AUTH
from smartjustice.core.pagination import PageNumberPagination

from . import queries, services
from .models import FaqEntry
from .schemas import (
    TRANSITION_INPUTS,
    AnswerOut,
    AskIn,
    FaqEntryIn,
    FaqEntryOut,
    FaqEntryPatch,
    FaqFilter,
    FaqManageFilter,
    FeedbackIn,
    FeedbackOut,
)

router = Router(tags=["法律问答"])


def _session_key(request) -> str:
    """The caller's browser session (created on first need), which votes once like a signed-in user."""
    session = getattr(request, "session", None)
    if session is None:
        return ""
    if not session.session_key:
        session.save()
    return session.session_key or ""


@router.post(
    "/ask", response=AnswerOut, auth=None, summary="法宝宝：用日常语言提问，返回相关法条、常见问题和办理指引"
)
def ask(request, payload: AskIn):
    return services.answer(payload.question)


@router.get("/faq", response=list[FaqEntryOut], auth=None, summary="常见问题（已发布）")
@paginate(PageNumberPagination)
def list_faq(request, filters: Query[FaqFilter]):
    return queries.published_entries(**filters.dict())


@router.get("/faq/manage", response=list[FaqEntryOut], auth=API_AUTH, summary="常见问题维护列表（含草稿）")
@paginate(PageNumberPagination)
def list_faq_for_staff(request, filters: Query[FaqManageFilter]):
    return queries.list_entries_for(request.auth, **filters.dict())


@router.get("/faq/{entry_id}", response=FaqEntryOut, auth=None, summary="常见问题详情（计一次阅读）")
def get_faq(request, entry_id: int):
    entry = queries.get_published_entry(entry_id)
    services.record_read(entry)
    return queries.get_published_entry(entry_id)


@router.post(
    "/faq/{entry_id}/feedback", response={201: FeedbackOut}, auth=None, summary="评价常见问题是否有帮助"
)
def give_feedback(request, entry_id: int, payload: FeedbackIn):
    entry = queries.get_published_entry(entry_id)
    services.record_feedback(
        entry, helpful=payload.helpful, user=request.user, session_key=_session_key(request)
    )
    entry.refresh_from_db(fields=["helpful_count", "unhelpful_count"])
    return Status(
        201,
        {
            "entry_id": entry.pk,
            "helpful": payload.helpful,
            "helpful_count": entry.helpful_count,
            "unhelpful_count": entry.unhelpful_count,
        },
    )


@router.post("/faq", response={201: FaqEntryOut}, auth=API_AUTH, summary="新增常见问题（草稿）")
def create_faq(request, payload: FaqEntryIn):
    data = payload.dict()
    entry = services.create_entry(actor=request.auth, **data)
    return Status(201, queries.get_entry_for(request.auth, entry.pk))


@router.get(
    "/faq/{entry_id}/edit", response=FaqEntryOut, auth=API_AUTH, summary="常见问题（维护视图，含草稿）"
)
def get_faq_for_staff(request, entry_id: int):
    return queries.get_entry_for(request.auth, entry_id)


@router.patch("/faq/{entry_id}", response=FaqEntryOut, auth=API_AUTH, summary="修改常见问题")
def update_faq(request, entry_id: int, payload: FaqEntryPatch):
    entry = queries.get_entry_for(request.auth, entry_id, action="change")
    return services.update_entry(entry, actor=request.auth, **payload.dict(exclude_unset=True))


# The review (qa.models.WORKFLOW): GET /faq/{entry_id}/transitions and POST /faq/{entry_id}/transitions/<step> for
# submit 提交审核, publish 审核发布, return 退回修改 (with the reason), withdraw 撤回 (core.workflow_api).
workflow_api.transition_routes(
    router,
    path="/faq",
    model=FaqEntry,
    get_for=queries.get_entry_to_change,
    detail=lambda request, entry: entry,
    response=FaqEntryOut,
    services=services.TRANSITION_SERVICES,
    inputs=TRANSITION_INPUTS,
    id_param="entry_id",
)
