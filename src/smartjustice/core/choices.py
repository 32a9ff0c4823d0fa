"""Enumerations shared by the core: stored values are English, labels are Chinese."""

from django.db import models


class JurisdictionLevel(models.IntegerChoices):
    PROVINCE = 1, "省级"
    CITY = 2, "地级市"
    COUNTY = 3, "县级"
    TOWN = 4, "乡镇（街道）"
    VILLAGE = 5, "村（社区）"


class OrganisationKind(models.TextChoices):
    JUSTICE_DEPARTMENT = "justice_department", "司法厅"
    JUSTICE_BUREAU = "justice_bureau", "司法局"
    JUSTICE_STATION = "justice_station", "司法所"
    LEGAL_SERVICE_CENTRE = "legal_service_centre", "公共法律服务中心"
    LEGAL_SERVICE_STATION = "legal_service_station", "公共法律服务工作站"
    LEGAL_SERVICE_ROOM = "legal_service_room", "公共法律服务工作室"
    NOTARY_OFFICE = "notary_office", "公证处"
    LAW_FIRM = "law_firm", "律师事务所"
    MEDIATION_COMMITTEE = "mediation_committee", "人民调解委员会"
    LEGAL_AID_CENTRE = "legal_aid_centre", "法律援助中心"
    ARBITRATION_COMMISSION = "arbitration_commission", "仲裁委员会"
    ENFORCEMENT_AGENCY = "enforcement_agency", "行政执法主体"
    CORRECTION_AGENCY = "correction_agency", "社区矫正机构"
    PRISON = "prison", "监狱"
    DRUG_REHABILITATION = "drug_rehabilitation", "戒毒所"


class EnforcementDomain(models.TextChoices):
    """The field a 行政执法主体 enforces in (blank for other organisations)."""

    MARKET_REGULATION = "market_regulation", "市场监管"
    ECOLOGY_ENVIRONMENT = "ecology_environment", "生态环境"
    URBAN_MANAGEMENT = "urban_management", "城市管理"
    TRANSPORT = "transport", "交通运输"
    EMERGENCY_MANAGEMENT = "emergency_management", "应急管理"
    AGRICULTURE = "agriculture", "农业农村"
    CULTURE_TOURISM = "culture_tourism", "文化市场"
    HUMAN_RESOURCES = "human_resources", "人力资源社会保障"
    HEALTH = "health", "卫生健康"
    NATURAL_RESOURCES = "natural_resources", "自然资源"
    JUSTICE = "justice", "司法行政"


# A domain an organisation works in (执法领域 or business line): the "domain" access scope compares a record's domain
# with its organisation's list. The enforcement domains are EnforcementDomain's, code for code, so they are taken
# from it (one list to extend) and the business lines of the justice system follow.
WorkDomain = models.TextChoices(
    "WorkDomain",
    [(member.name, (member.value, member.label)) for member in EnforcementDomain]
    + [
        ("LEGAL_AID", ("legal_aid", "法律援助")),
        ("MEDIATION", ("mediation", "人民调解")),
        ("NOTARISATION", ("notarisation", "公证")),
        ("COMMUNITY_CORRECTION", ("community_correction", "社区矫正")),
        ("LEGAL_PUBLICITY", ("legal_publicity", "普法宣传")),
        ("ARBITRATION", ("arbitration", "仲裁")),
        ("LAWYERS", ("lawyers", "律师管理")),
    ],
    module=__name__,
)
WorkDomain.__doc__ = "A domain an organisation works in: every EnforcementDomain and the business lines."


class AccountKind(models.TextChoices):
    STAFF = "staff", "工作人员"
    CITIZEN = "citizen", "个人用户"
    ENTERPRISE = "enterprise", "企业用户"


class AuditEventChoices(models.IntegerChoices):
    """The base of every audit event enumeration: core's AuditEvent and each app's own, in `<app>/choices.py`.

    An app declares `class XAuditEvent(AuditEventChoices)` with typed codes and Chinese labels, numbered in a block
    of its own (core 1–999; govinfo 1000–1099, hub 1100–1199, ledger 1200–1299, credentials 1300–1399, qa
    1400–1499, oauth 1500–1599; a new app takes the next free hundred). Numbers are stored, so never renumber;
    audit_event_choices() refuses two classes claiming the same number.
    """


def _event_classes() -> list[type[AuditEventChoices]]:
    found, pending = [], list(AuditEventChoices.__subclasses__())
    while pending:
        cls = pending.pop(0)
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


_discovered = False


def _discover() -> None:
    """Import every installed app's choices.py once, so apps' event classes are known without core naming them."""
    global _discovered
    from django.apps import apps

    if _discovered or not apps.ready:
        return
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("choices")
    _discovered = True


def audit_event_classes() -> list[type[AuditEventChoices]]:
    """Every audit event enumeration (core's and the apps'), checked for clashing numbers."""
    _discover()
    classes = _event_classes()
    seen: dict[int, type] = {}
    for cls in classes:
        for member in cls:
            other = seen.setdefault(int(member), cls)
            if other is not cls:
                raise ValueError(
                    f"audit event {int(member)} declared by both {other.__name__} and {cls.__name__}"
                )
    return classes


def _group_label(cls) -> str:
    from django.apps import apps

    config = apps.get_containing_app_config(cls.__module__) if apps.ready else None
    return str(config.verbose_name) if config else cls.__name__


def audit_event_choices(*, grouped: bool = False) -> list:
    """(value, Chinese label) of every audit event, for the model field and filters; grouped by app if asked."""
    classes = audit_event_classes()
    if grouped:
        return [(_group_label(cls), list(cls.choices)) for cls in classes if len(cls)]
    return [choice for cls in classes for choice in cls.choices]


def audit_event_label(value) -> str:
    """The Chinese label of a stored event number (the number itself if no app declares it any more)."""
    return dict(audit_event_choices()).get(value, str(value))


class AuditEvent(AuditEventChoices):
    """Core's audit events: the generic ones every app may use, and core's own operations. Never renumbered."""

    OBJECT_CREATED = 1, "新增记录"
    OBJECT_UPDATED = 2, "修改记录"
    OBJECT_DELETED = 3, "删除记录"
    PII_VIEWED = 10, "查看个人信息"
    DATA_EXPORTED = 11, "导出数据"
    LOGIN_SUCCEEDED = 20, "登录成功"
    LOGIN_FAILED = 21, "登录失败"
    LOGGED_OUT = 22, "退出登录"
    ACCOUNT_LOCKED = 23, "账号锁定"
    PASSWORD_CHANGED = 24, "修改密码"
    ACCOUNT_UNLOCKED = 25, "解除账号锁定"
    TOKEN_CREATED = 30, "创建访问令牌"
    TOKEN_REVOKED = 31, "吊销访问令牌"
    ROLES_CHANGED = 40, "变更角色"
    WORKFLOW_TRANSITION = 50, "流程流转"
    DATA_IMPORTED = 60, "导入数据"
    DOCUMENT_GENERATED = 70, "生成文书"
    ATTACHMENT_DOWNLOADED = 71, "下载附件"
    ATTACHMENT_STORED = 72, "上传附件"
    # Core's own operations (organisations, accounts, roles).
    ORGANISATION_CREATED = 100, "新增组织机构"
    ORGANISATION_UPDATED = 101, "修改组织机构"
    ORGANISATION_DISABLED = 102, "停用组织机构"
    ORGANISATION_ENABLED = 103, "启用组织机构"
    USER_CREATED = 110, "新增账号"
    USER_UPDATED = 111, "修改账号"
    USER_DISABLED = 112, "停用账号"
    USER_ENABLED = 113, "启用账号"
    USER_REGISTERED = 114, "注册账号"
    IDENTITY_VERIFIED = 115, "实名核验"
    IDENTITY_VERIFICATION_REVOKED = 116, "撤销实名核验"
    ASSIGNED = 120, "指派办理人员"
    UNASSIGNED = 121, "结束指派"
