"""社区矫正 in the module registry: pages, API, navigation, workbench tiles, roles and demo. Each part adds its
navigation items and tiles inside its own block."""

from smartjustice.core.modules import (  # noqa: F401  (parts use these)
    CASES,
    EVERYONE,
    PORTAL,
    STAFF,
    TOP,
    WORK,
    Card,
    Module,
    NavItem,
    Tile,
    TileContent,
    TodoItem,
)

NAVIGATION: list = []
TILES: list = []
CARDS: list = []

NAVIGATION.append(
    NavItem(
        "社区矫正对象",
        "person-badge",
        "correction:subject-list",
        section=WORK,
        audience=(STAFF,),
        permission="correction.view_correctionsubject",
        match="/correction/subjects/",
        order=60,
    )
)
TILES.append(
    Tile(
        "correction.subjects",
        "待接收 / 期满将至",
        "person-badge",
        collect="smartjustice.correction.subject_queries.subject_tile",
        permission="correction.change_correctionsubject",
    )
)
NAVIGATION += [
    NavItem(
        "日常报到",
        "calendar-check",
        "correction:check-in-list",
        section=WORK,
        permission="correction.view_checkin",
        match="/correction/check-ins/",
        order=71,
    ),
    NavItem(
        "走访谈话",
        "house-door",
        "correction:visit-list",
        section=WORK,
        permission="correction.view_supervisionrecord",
        match="/correction/visits/",
        order=72,
    ),
]
TILES += [
    Tile(
        "correction.missed_reports",
        "未按时报告",
        "calendar-x",
        collect="smartjustice.correction.reporting_queries.overdue_tile",
        permission="correction.view_checkin",
        order=71,
    ),
]
NAVIGATION += [
    NavItem(
        "定位预警",
        "geo-alt",
        "correction:alert-list",
        section=WORK,
        permission="correction.view_correctionalert",
        match="/correction/alerts/",
        order=70,
    ),
    NavItem(
        "电子围栏",
        "bounding-box",
        "correction:fence-list",
        section=WORK,
        permission="correction.view_geofence",
        match="/correction/fences/",
        order=70,
    ),
    NavItem(
        "电子定位装置",
        "smartwatch",
        "correction:monitoring-list",
        section=WORK,
        permission="correction.view_electronicmonitoring",
        match="/correction/monitoring/",
        order=70,
    ),
]
TILES.append(
    Tile(
        "correction.alerts",
        "待处置预警",
        "geo-alt",
        collect="smartjustice.correction.location_queries.alert_tile",
        permission="correction.change_correctionalert",
        order=70,
    )
)
NAVIGATION += [
    NavItem(
        "考核奖惩",
        "award",
        "correction:sanction-list",
        section=WORK,
        permission="correction.view_sanction",
        match="/correction/sanctions/",
        order=73,
    ),
    NavItem(
        "月度季度考核",
        "clipboard-check",
        "correction:assessment-list",
        section=WORK,
        permission="correction.view_assessment",
        match="/correction/assessments/",
        order=73,
    ),
    NavItem(
        "审批事项",
        "envelope-check",
        "correction:approval-list",
        section=WORK,
        permission="correction.view_approvalrequest",
        match="/correction/approvals/",
        order=73,
    ),
]
TILES += [
    Tile(
        "correction.approvals_pending",
        "待审批",
        "envelope-check",
        collect="smartjustice.correction.conduct_queries.pending_tile",
        permission="correction.change_approvalrequest",
        order=72,
    ),
]


def identity_reviews(user) -> TileContent:
    """Live-challenge identity checks waiting for the user's review (oldest first)."""
    from .education_queries import identity_review_tile

    return identity_review_tile(user)


NAVIGATION.append(
    NavItem(
        "教育帮扶",
        "book",
        "correction:education-assignment-list",
        section=WORK,
        permission="correction.view_learningassignment",
        match="/correction/education/",
        order=74,
    )
)
NAVIGATION.append(
    NavItem(
        "身份核验复核",
        "person-check",
        "correction:identity-check-list",
        section=WORK,
        permission="correction.change_identitycheck",
        match="/correction/identity-checks/",
        order=75,
    )
)
TILES.append(
    Tile(
        "correction.identity_reviews",
        "待复核的身份核验",
        "person-check",
        collect=identity_reviews,
        permission="correction.change_identitycheck",
    )
)


def open_incidents(user) -> TileContent:
    """脱管查找 in progress in the user's jurisdiction, the nearest deadline first."""
    from .command_queries import incident_tile

    return incident_tile(user)


NAVIGATION += [
    NavItem(
        "指挥中心",
        "broadcast",
        "correction:command-dashboard",
        section=WORK,
        permission="correction.view_correctionalert",
        match="/correction/command/",
        order=76,
    ),
    NavItem(
        "统计分析",
        "bar-chart",
        "correction:statistics",
        section=WORK,
        permission="correction.view_correctionsubject",
        match="/correction/statistics/",
        order=77,
    ),
    NavItem(
        "风险评估",
        "speedometer2",
        "correction:risk-list",
        section=WORK,
        permission="correction.view_riskscore",
        match="/correction/risk/",
        order=78,
    ),
    NavItem(
        "脱管查找",
        "person-exclamation",
        "correction:incident-list",
        section=WORK,
        permission="correction.view_abscondingincident",
        match="/correction/incidents/",
        order=79,
    ),
]
TILES.append(
    Tile(
        "correction.incidents",
        "在办脱管查找",
        "person-exclamation",
        collect=open_incidents,
        permission="correction.view_abscondingincident",
    )
)
from smartjustice.core.modules import SERVICES  # noqa: E402

# 粤矫通 (the subject app) only for portal accounts linked to a subject; the kiosk for correction staff.
NAVIGATION += [
    NavItem(
        "粤矫通",
        "shield-check",
        "correction:app-home",
        section=SERVICES,
        audience=(PORTAL,),
        visible="smartjustice.correction.app_queries.is_subject",
        match="/correction/app/",
        order=15,
    ),
    NavItem(
        "自助报到终端",
        "person-badge",
        "correction:kiosk",
        section=WORK,
        audience=(STAFF,),
        permission="correction.change_correctionsubject",
        match="/correction/kiosk/",
        order=90,
    ),
]
CARDS += [
    Card(
        "粤矫通",
        "shield-check",
        "correction:app-home",
        "社区矫正对象签到报告、外出申请、学习教育和消息通知。",
        audience=(PORTAL,),
        visible="smartjustice.correction.app_queries.is_subject",
        order=5,
    ),
]

MODULE = Module(
    label="correction",
    name="社区矫正",
    url_prefix="correction/",
    urls="smartjustice.correction.urls",
    api_prefix="/correction",
    api_router="smartjustice.correction.api.router",
    roles="data/roles.json",
    navigation=tuple(NAVIGATION),
    tiles=tuple(TILES),
    cards=tuple(CARDS),
    demo="smartjustice.correction.demo.load",
    demo_order=70,
)
