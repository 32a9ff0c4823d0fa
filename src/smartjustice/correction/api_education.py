"""API of 社区矫正 — education and identity checks: learning tasks, assignments, sessions (started and finished with
an identity check), a subject's learning record, identity checks (face matching or a random-digit challenge) and the
officer's review of pending challenges. Parse → queries → one service → schema."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from smartjustice.core import access
from smartjustice.core.auth import API_AUTH
from smartjustice.core.pagination import PageNumberPagination

from . import education, identity
from . import education_queries as queries
from .education_schemas import (
    IdentityChallengeIn,
    IdentityCheckFilter,
    IdentityCheckOut,
    IdentityReviewIn,
    IdentityVerifyIn,
    LearningAssignmentFilter,
    LearningAssignmentIn,
    LearningAssignmentOut,
    LearningRecordOut,
    LearningSessionFilter,
    LearningSessionFinishIn,
    LearningSessionOut,
    LearningSessionStartIn,
    LearningTaskFilter,
    LearningTaskIn,
    LearningTaskOut,
    LearningTaskPatch,
)
from .models import LearningAssignment, LearningTask

router = Router(tags=["社区矫正：教育帮扶与身份核验"])


# --- tasks -------------------------------------------------------------------------------------------------------


@router.get("/education/tasks", response=list[LearningTaskOut], auth=API_AUTH, summary="教育学习任务")
@paginate(PageNumberPagination)
def list_tasks(request, filters: Query[LearningTaskFilter]):
    return queries.filter_tasks(queries.list_tasks(request.auth), **filters.dict())


@router.post("/education/tasks", response={201: LearningTaskOut}, auth=API_AUTH, summary="发布教育学习任务")
def create_task(request, payload: LearningTaskIn):
    access.require(request.auth, "add", LearningTask)
    task = education.create_task(actor=request.auth, **payload.dict())
    return Status(201, queries.get_task_for(request.auth, task.pk))


@router.get("/education/tasks/{task_id}", response=LearningTaskOut, auth=API_AUTH, summary="教育学习任务详情")
def get_task(request, task_id: int):
    return queries.get_task_for(request.auth, task_id)


@router.patch(
    "/education/tasks/{task_id}", response=LearningTaskOut, auth=API_AUTH, summary="修改教育学习任务"
)
def update_task(request, task_id: int, payload: LearningTaskPatch):
    task = queries.get_task_for(request.auth, task_id, "change")
    education.update_task(task, actor=request.auth, **payload.dict(exclude_unset=True))
    return queries.get_task_for(request.auth, task_id)


# --- assignments -------------------------------------------------------------------------------------------------


@router.get(
    "/education/assignments", response=list[LearningAssignmentOut], auth=API_AUTH, summary="教育学习任务布置"
)
@paginate(PageNumberPagination)
def list_assignments(request, filters: Query[LearningAssignmentFilter]):
    return queries.filter_assignments(queries.list_assignments(request.auth), **filters.dict())


@router.post(
    "/education/assignments",
    response={201: LearningAssignmentOut},
    auth=API_AUTH,
    summary="为社区矫正对象布置教育学习任务",
)
def create_assignment(request, payload: LearningAssignmentIn):
    access.require(request.auth, "add", LearningAssignment)
    subject = queries.get_subject_for(request.auth, payload.subject_id, "change")
    task = queries.get_assignable_task_for(request.auth, subject, payload.task_id)
    assignment = education.assign_task(
        subject, actor=request.auth, task=task, due_on=payload.due_on, note=payload.note
    )
    return Status(201, queries.get_assignment_for(request.auth, assignment.pk))


@router.get(
    "/education/assignments/{assignment_id}",
    response=LearningAssignmentOut,
    auth=API_AUTH,
    summary="教育学习任务布置详情",
)
def get_assignment(request, assignment_id: int):
    return queries.get_assignment_for(request.auth, assignment_id)


# --- sessions ----------------------------------------------------------------------------------------------------


@router.get("/education/sessions", response=list[LearningSessionOut], auth=API_AUTH, summary="教育学习记录")
@paginate(PageNumberPagination)
def list_sessions(request, filters: Query[LearningSessionFilter]):
    return queries.filter_sessions(queries.list_sessions(request.auth), **filters.dict())


@router.post(
    "/education/sessions",
    response={201: LearningSessionOut},
    auth=API_AUTH,
    summary="开始教育学习（须先通过身份核验）",
)
def start_session(request, payload: LearningSessionStartIn):
    assignment = queries.get_assignment_for(request.auth, payload.assignment_id)
    check = queries.get_identity_check_for(request.auth, payload.identity_check_id)
    session = education.start_session(assignment, actor=request.auth, identity_check=check)
    return Status(201, queries.get_session_for(request.auth, session.pk))


@router.get(
    "/education/sessions/{session_id}", response=LearningSessionOut, auth=API_AUTH, summary="教育学习记录详情"
)
def get_session(request, session_id: int):
    return queries.get_session_for(request.auth, session_id)


@router.post(
    "/education/sessions/{session_id}/finish",
    response=LearningSessionOut,
    auth=API_AUTH,
    summary="结束教育学习（再次身份核验，通过后计入学时）",
)
def finish_session(request, session_id: int, payload: LearningSessionFinishIn):
    session = queries.get_session_for(request.auth, session_id)
    check = queries.get_identity_check_for(request.auth, payload.identity_check_id)
    education.finish_session(session, actor=request.auth, identity_check=check)
    return queries.get_session_for(request.auth, session_id)


@router.get(
    "/education/subjects/{subject_id}/record",
    response=LearningRecordOut,
    auth=API_AUTH,
    summary="社区矫正对象的教育学习情况（每月学时）",
)
def learning_record(request, subject_id: int):
    subject = queries.get_subject_for(request.auth, subject_id)
    record = queries.learning_record(request.auth, subject)
    return {
        "subject_id": subject.pk,
        "subject_name": subject.name,
        "identity_method": identity.identity_method(subject),
        "months": [
            {"month": m.month, "credited": m.credited, "required": m.required, "shortfall": m.shortfall}
            for m in record.months
        ],
        "assignments": record.assignments,
        "sessions": record.sessions,
    }


# --- identity checks ---------------------------------------------------------------------------------------------


@router.get("/identity-checks", response=list[IdentityCheckOut], auth=API_AUTH, summary="身份核验记录")
@paginate(PageNumberPagination)
def list_identity_checks(request, filters: Query[IdentityCheckFilter]):
    return queries.filter_identity_checks(queries.list_identity_checks(request.auth), **filters.dict())


@router.post(
    "/identity-checks/challenges",
    response={201: IdentityCheckOut},
    auth=API_AUTH,
    summary="获取随机核验数字（写在纸上，与本人一起拍照）",
)
def issue_challenge(request, payload: IdentityChallengeIn):
    subject = queries.get_subject_for(request.auth, payload.subject_id)
    check = identity.issue_challenge(subject, purpose=payload.purpose, actor=request.auth)
    return Status(201, queries.get_identity_check_for(request.auth, check.pk))


@router.post(
    "/identity-checks",
    response={201: IdentityCheckOut},
    auth=API_AUTH,
    summary="身份核验：人脸比对入矫照片，或提交随机数字现场照片待人工复核",
)
def verify_identity(request, payload: IdentityVerifyIn):
    subject = queries.get_subject_for(request.auth, payload.subject_id)
    check = identity.verify_identity(
        subject,
        image_bytes=payload.image_bytes(),
        purpose=payload.purpose,
        actor=request.auth,
        challenge_answer=payload.challenge_answer,
    )
    return Status(201, queries.get_identity_check_for(request.auth, check.pk))


@router.get("/identity-checks/{check_id}", response=IdentityCheckOut, auth=API_AUTH, summary="身份核验详情")
def get_identity_check(request, check_id: int):
    return queries.get_identity_check_for(request.auth, check_id)


@router.post(
    "/identity-checks/{check_id}/review",
    response=IdentityCheckOut,
    auth=API_AUTH,
    summary="人工复核随机数字现场照片（通过或不通过，须写明意见）",
)
def review_identity_check(request, check_id: int, payload: IdentityReviewIn):
    check = queries.get_identity_check_for(request.auth, check_id, "change")
    identity.review_identity_check(check, actor=request.auth, approve=payload.approve, reason=payload.reason)
    return queries.get_identity_check_for(request.auth, check_id)
