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


class AccountKind(models.TextChoices):
    STAFF = "staff", "工作人员"
    CITIZEN = "citizen", "个人用户"
    ENTERPRISE = "enterprise", "企业用户"


class AuditEvent(models.IntegerChoices):
    """Every kind of audit entry, numbered once and never renumbered."""

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
    TOKEN_CREATED = 30, "创建访问令牌"
    TOKEN_REVOKED = 31, "吊销访问令牌"
    ROLES_CHANGED = 40, "变更角色"
    WORKFLOW_TRANSITION = 50, "流程流转"
    DATA_IMPORTED = 60, "导入数据"
    DOCUMENT_GENERATED = 70, "生成文书"
    ATTACHMENT_DOWNLOADED = 71, "下载附件"
