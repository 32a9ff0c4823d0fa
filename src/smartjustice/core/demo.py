"""The demo: a coherent Guangdong justice system — organisations, staff in every role, portal users.

What to create is data (core/data/demo/*.json, docs/demo-accounts.md); this module turns it into records.
Everything runs in one transaction under `context.acting(channel="command")`, so every row gets its audit entry:

* 广东省司法厅 and `gd_admin` are bootstrapped through the model managers (there is no actor yet; the trail says 系统).
* Every other organisation goes through `services.create_organisation` acting as `gd_admin`, the province's
  system administrator, so the same checks apply (parent in an enclosing jurisdiction, enforcement domain …).
* Accounts are bulk-created through `User.objects` with one password hash computed once: hashing the shared demo
  password per account (PBKDF2, 1M iterations, ~0.3 s each) would take half a minute. Each account is validated like the services
  do (`full_clean`, password validators), its creation is audited by `bulk_create`, its roles by ROLES_CHANGED.

Names, ID numbers (GB 11643), USCCs (GB 32100), mobiles, landlines and addresses are generated from a seeded
`random.Random` per record (seed + record key), so they are reproducible, independent of which records a run
creates, and never a real person's. Loading is idempotent: organisations are keyed by (jurisdiction, name),
accounts by username; a second run creates nothing.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from . import audit, context, identity, modules, services, verification
from .choices import AccountKind, AuditEvent, JurisdictionLevel, OrganisationKind
from .errors import DomainError, from_django_validation_error
from .models import Jurisdiction, Organisation, Role, User
from .models.jurisdictions import CODE_LENGTH, SIGNIFICANT_DIGITS

DATA_DIR = Path(__file__).parent / "data" / "demo"
PROVINCIAL_SEAT = "440104"  # 广州市越秀区: where province-level bodies have their offices


class JurisdictionsNotLoaded(DomainError):
    status_code = 409
    code = "jurisdictions_not_loaded"
    default_message = "行政区划尚未导入：请先运行 smartjustice load_jurisdictions"


class DemoDataInvalid(DomainError):
    code = "demo_data_invalid"
    default_message = "演示数据文件有误"


@dataclass
class Step:
    """The outcome of one loading step: how many records it created and how many were already there."""

    label: str
    created: int = 0
    existing: int = 0
    # What was created, counted by organisation type or by role.
    detail: dict[str, int] = field(default_factory=dict)


@dataclass
class DemoReport:
    steps: list[Step] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(step.created for step in self.steps)

    @property
    def existing(self) -> int:
        return sum(step.existing for step in self.steps)


# --- the data files -------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def spec() -> dict:
    """The demo description (core/data/demo/demo.json)."""
    return json.loads((DATA_DIR / "demo.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _vocabulary() -> dict:
    names = json.loads((DATA_DIR / "names.json").read_text(encoding="utf-8"))
    words = json.loads((DATA_DIR / "words.json").read_text(encoding="utf-8"))
    return {**names, **words}


def password() -> str:
    """The one password every demo account shares (documented in docs/demo-accounts.md)."""
    return spec()["password"]


def accounts() -> list[dict]:
    """Every demo account as described in the data file: staff first, then portal users."""
    data = spec()
    staff = [{**entry, "kind": AccountKind.STAFF} for entry in data["staff"]]
    return staff + [dict(entry) for entry in data["portal"]]


def full_code(prefix: str) -> str:
    return prefix.ljust(CODE_LENGTH, "0")


# --- generated identities ---------------------------------------------------------------------------------------


def _rng(key: str) -> random.Random:
    # A string seed is hashed with SHA-512 by random.Random, so this is stable across runs and Python processes.
    return random.Random(f"{spec()['seed']}:{key}")


def person_name(rng: random.Random, sex: str) -> str:
    """A plausible Chinese name: a surname weighted by frequency rank, one or two given-name characters."""
    words = _vocabulary()
    surnames = words["surnames"]
    surname = rng.choices(surnames, weights=[1 / (rank + 4) for rank in range(len(surnames))])[0]
    given = words["given"]
    leaning = given["male"] if sex == "男" else given["female"]
    last = rng.choice(leaning + given["neutral"])
    if rng.random() < 0.25:
        return surname + last
    first = rng.choice(given["first"] + leaning)
    while first == last:
        first = rng.choice(given["first"])
    return surname + first + last


def birth_date(rng: random.Random, *, min_age: int, max_age: int) -> date:
    today = date.fromisoformat(spec()["reference_date"])
    oldest = today.replace(year=today.year - max_age)
    youngest = today.replace(year=today.year - min_age)
    return oldest + timedelta(days=rng.randrange((youngest - oldest).days))


def registration_code(j: Jurisdiction) -> str:
    """The 6-digit code of the authority a body registers with: its county, else its city or province."""
    digits = SIGNIFICANT_DIGITS[min(j.level, JurisdictionLevel.COUNTY)]
    return j.code[:digits].ljust(6, "0")


def _uscc(rng: random.Random, region_code: str, code: str) -> str:
    """A USCC for a body registered in `region_code`; `code` is authority + category (11 机关, 91 企业 …)."""
    return identity.generate_uscc(rng, region_code=region_code, department=code[0], category=code[1])


def landline(rng: random.Random, area_code: str) -> str:
    """An office number: area code and eight digits (every Guangdong city dials eight)."""
    return f"{area_code}-{rng.randint(2, 8)}{rng.randrange(10**7):07d}"


# --- the loader ---------------------------------------------------------------------------------------------------


def load_domains() -> Iterable[Step]:
    """Each module's demo records, one step per module, in the order the modules declare (core.modules): later
    loaders use what earlier ones made (credentials are recorded in the ledger, the hub shares what was published)."""
    for _label, load_module in modules.demo_loaders():
        yield load_module()


def load(*, quick: bool = False, progress: Callable[[Step], None] | None = None) -> DemoReport:
    """Create whatever part of the demo is missing; `quick` limits counties to those the accounts use."""
    report = DemoReport()

    def done(step: Step) -> None:
        report.steps.append(step)
        if progress:
            progress(step)

    with (
        transaction.atomic(),
        context.acting(actor=None, channel="command", request_id=context.new_request_id()),
    ):
        loader = _Loader(quick=quick)
        loader.check_jurisdictions()
        done(loader.bootstrap())
        for step in loader.organisations():
            done(step)
        done(loader.staff())
        done(loader.portal())
    return report


class _Loader:
    def __init__(self, *, quick: bool):
        self.data = spec()
        self.quick = quick
        self.province_code = full_code(self.data["province"]["code"])
        self.cities = self.data["cities"]
        self.organisations_by_key: dict[tuple[str, str], Organisation] = {}
        self.organisations_by_name: dict[str, Organisation] = {}
        self.organisations_by_jurisdiction: dict[str, list[Organisation]] = {}
        for org in Organisation.objects.select_related("jurisdiction"):
            self._remember(org)
        self.existing_usernames = set(User.objects.values_list("username", flat=True))
        self.created_usernames: set[str] = set()
        self.password_hash = ""
        self.admin: User | None = None

    # -- jurisdictions --

    def check_jurisdictions(self) -> None:
        """Load the divisions the demo needs, or say plainly what to run first."""
        province = self.data["province"]["code"]
        rows = Jurisdiction.objects.filter(code__startswith=province, level__lte=JurisdictionLevel.COUNTY)
        self.divisions: dict[str, Jurisdiction] = {j.code: j for j in rows}
        missing_cities = [full_code(code) for code in self.cities if full_code(code) not in self.divisions]
        if self.province_code not in self.divisions or missing_cities:
            raise JurisdictionsNotLoaded(
                "行政区划尚未导入（缺少省级或地级市区划）：请先运行 smartjustice load_jurisdictions"
            )
        stations = self.data["station_counties"]
        in_stations = Q()
        for county in stations:
            in_stations |= Q(code__startswith=county)
        towns = Jurisdiction.objects.filter(in_stations, level=JurisdictionLevel.TOWN)
        self.towns: dict[str, list[Jurisdiction]] = {}
        for town in towns.order_by("code"):
            self.towns.setdefault(town.code[:6], []).append(town)
        for county in stations:
            if not self.towns.get(county) or full_code(county) not in self.divisions:
                raise JurisdictionsNotLoaded(
                    f"缺少乡镇（街道）级区划（{county}）：请运行 smartjustice load_jurisdictions（--max-level 至少为 4）"
                )
        self.counties_of: dict[str, list[Jurisdiction]] = {}
        for j in self.divisions.values():
            if j.level == JurisdictionLevel.COUNTY:
                self.counties_of.setdefault(j.parent_id, []).append(j)
        for children in self.counties_of.values():
            children.sort(key=lambda j: j.code)

    def jurisdiction(self, prefix: str, town: str | None = None) -> Jurisdiction:
        """A division by code prefix (44 / 4401 / 440106), or a town by name within its county."""
        j = self.divisions.get(full_code(prefix))
        if j is None:
            raise JurisdictionsNotLoaded(f"区划 {prefix} 不存在：请先运行 smartjustice load_jurisdictions")
        if town is None:
            return j
        match = Jurisdiction.objects.filter(parent=j, name=town).first()
        if match is None:
            raise JurisdictionsNotLoaded(
                f"{j} 下没有 {town}：请运行 smartjustice load_jurisdictions（--max-level 至少为 4）"
            )
        return match

    def city_of(self, j: Jurisdiction) -> Jurisdiction | None:
        if j.level < JurisdictionLevel.CITY:
            return None
        return self.divisions.get(full_code(j.code[:4]))

    def county_of(self, j: Jurisdiction) -> Jurisdiction | None:
        if j.level < JurisdictionLevel.COUNTY:
            return None
        return self.divisions.get(full_code(j.code[:6]))

    def id_region_code(self, j: Jurisdiction, rng: random.Random) -> str:
        """The address code in a person's ID number: their county (a random one for province and city staff)."""
        if j.level >= JurisdictionLevel.COUNTY:
            return j.code[:6]
        pool = self.counties_of.get(j.code) if j.level == JurisdictionLevel.CITY else None
        if j.level == JurisdictionLevel.CITY and not pool:
            return j.code[:4] + "00"  # 东莞 441900, 中山 442000: no county level
        if pool is None:
            pool = [c for cs in self.counties_of.values() for c in cs]
        return rng.choice(pool).code[:6]

    def area_code(self, j: Jurisdiction) -> str:
        city = j.code[:4]
        return self.cities[city]["area_code"] if city in self.cities else self.data["province"]["area_code"]

    def address(self, j: Jurisdiction, rng: random.Random) -> str:
        seat = j
        if j.level == JurisdictionLevel.PROVINCE:
            seat = self.divisions[full_code(PROVINCIAL_SEAT)]
        elif j.level == JurisdictionLevel.CITY and self.counties_of.get(j.code):
            seat = rng.choice(self.counties_of[j.code])
        road = rng.choice(_vocabulary()["roads"])
        return f"{seat.full_name or seat.name}{road}{rng.randint(1, 388)}号"

    # -- organisations --

    def bootstrap(self) -> Step:
        """广东省司法厅 and its system administrator, who then acts for the rest of the demo."""
        step = Step("省司法厅及省级系统管理员")
        province = self.divisions[self.province_code]
        name = self.data["province"]["name"]
        if (province.code, name) in self.organisations_by_key:
            step.existing += 1
        else:
            org = self._build_organisation(province, name, OrganisationKind.JUSTICE_DEPARTMENT)
            _clean(org, exclude=["jurisdiction", "parent"])
            org.save()
            self._remember(org)
            step.created += 1
        admin_entry = self.data["staff"][0]
        if admin_entry["organisation"] != name or "system_admin" not in admin_entry["roles"]:
            raise DemoDataInvalid("演示数据的第一个工作人员须是省司法厅的系统管理员（system_admin）")
        created = self._create_staff([admin_entry])
        step.created += created["accounts"]
        step.existing += 1 - created["accounts"]
        self.admin = User.objects.get(username=admin_entry["username"])
        return step

    def organisations(self) -> Iterable[Step]:
        rules = Step("组织机构（按区划生成）")
        for rule in self.data["per_division"]:
            for j in self._divisions_for(rule["levels"]):
                name = self._render(rule, j)
                parent = self._rule_parent(rule.get("parent"), j)
                self._ensure_organisation(rules, j, name, rule["kind"], parent=parent)
        yield rules
        listed = Step("组织机构（逐一列出）")
        for entry in self.data["organisations"]:
            j = self.jurisdiction(entry["jurisdiction"])
            parent = self._organisation_named(entry["parent"]) if entry.get("parent") else None
            self._ensure_organisation(
                listed,
                j,
                entry["name"],
                entry["kind"],
                parent=parent,
                enforcement_domain=entry.get("domain", ""),
            )
        yield listed

    def _divisions_for(self, levels: list[str]) -> list[Jurisdiction]:
        stations = self.data["station_counties"]
        chosen: list[Jurisdiction] = []
        if "city" in levels:
            chosen += sorted((self.divisions[full_code(c)] for c in self.cities), key=lambda j: j.code)
        if "county" in levels:
            wanted = self._quick_counties() if self.quick else None
            chosen += sorted(
                (
                    j
                    for j in self.divisions.values()
                    if j.level == JurisdictionLevel.COUNTY and (wanted is None or j.code[:6] in wanted)
                ),
                key=lambda j: j.code,
            )
        elif "station_county" in levels:
            chosen += [self.divisions[full_code(c)] for c in stations]
        if "town" in levels:
            chosen += [town for county in stations for town in self.towns[county]]
        return chosen

    def _quick_counties(self) -> set[str]:
        """Counties the listed organisations and accounts live in (the quick demo keeps every account)."""
        wanted = set(self.data["station_counties"])
        for entry in self.data["organisations"] + self.data["portal"]:
            if len(entry["jurisdiction"]) >= 6:
                wanted.add(entry["jurisdiction"][:6])
        return wanted

    def _render(self, rule: dict, j: Jurisdiction) -> str:
        city = self.city_of(j)
        county = self.county_of(j)
        if j.level == JurisdictionLevel.CITY:
            display = j.name
        elif j.level == JurisdictionLevel.COUNTY:
            # Districts carry their city's name (广州市天河区司法局); counties and county-level cities do not.
            display = f"{city.name}{j.name}" if j.name.endswith("区") and city else j.name
        elif j.level == JurisdictionLevel.TOWN:
            display = f"{county.name}{j.name}" if county else j.name
        else:
            display = j.name
        template = rule["name"]
        if j.level == JurisdictionLevel.COUNTY and not j.name.endswith("区"):
            template = rule.get("name_for_county", template)
        short = self.cities[j.code[:4]]["short"] if j.code[:4] in self.cities else ""
        return template.format(display=display, short=short, name=j.name)

    def _justice_office(self, j: Jurisdiction) -> Organisation:
        """The 司法厅/司法局/司法所 of a division."""
        kind = {
            JurisdictionLevel.PROVINCE: OrganisationKind.JUSTICE_DEPARTMENT,
            JurisdictionLevel.TOWN: OrganisationKind.JUSTICE_STATION,
        }.get(j.level, OrganisationKind.JUSTICE_BUREAU)
        for org in self.organisations_by_jurisdiction.get(j.code, ()):
            if org.kind == kind:
                return org
        raise DemoDataInvalid(f"{j} 还没有司法行政机关，无法作为上级单位（检查 per_division 的顺序）")

    def _rule_parent(self, spec_parent: str | None, j: Jurisdiction) -> Organisation | None:
        if not spec_parent:
            return None
        if spec_parent == "upper_bureau":
            # The division above: a town's county (or city, where there is no county level), a county's city …
            return self._justice_office(self.divisions[j.parent_id])
        if spec_parent in ("bureau", "station"):
            return self._justice_office(j)
        raise DemoDataInvalid(f"未知的上级单位规则：{spec_parent}")

    def _organisation_named(self, name: str) -> Organisation:
        try:
            return self.organisations_by_name[name]
        except KeyError:
            raise DemoDataInvalid(f"上级单位 {name} 不存在（须在演示数据中先于下级列出）") from None

    def _remember(self, org: Organisation) -> None:
        self.organisations_by_key[(org.jurisdiction_id, org.name)] = org
        self.organisations_by_name.setdefault(org.name, org)
        self.organisations_by_jurisdiction.setdefault(org.jurisdiction_id, []).append(org)

    def _build_organisation(self, j: Jurisdiction, name: str, kind: str, **fields) -> Organisation:
        rng = _rng(f"org:{j.code}:{name}")
        category = self.data["uscc_category"].get(kind, "")
        uscc = _uscc(rng, registration_code(j), category) if category else ""
        return Organisation(
            jurisdiction=j,
            name=name,
            kind=kind,
            uscc=uscc,
            address=self.address(j, rng),
            phone=landline(rng, self.area_code(j)),
            **fields,
        )

    def _ensure_organisation(
        self, step: Step, j: Jurisdiction, name: str, kind: str, *, parent=None, enforcement_domain=""
    ) -> None:
        if (j.code, name) in self.organisations_by_key:
            step.existing += 1
            return
        draft = self._build_organisation(j, name, kind)
        org = services.create_organisation(
            actor=self.admin,
            jurisdiction=j,
            name=name,
            kind=kind,
            parent=parent,
            enforcement_domain=enforcement_domain,
            uscc=draft.uscc,
            address=draft.address,
            phone=draft.phone,
        )
        self._remember(org)
        step.created += 1
        label = OrganisationKind(kind).label
        step.detail[label] = step.detail.get(label, 0) + 1

    # -- accounts --

    def _hash(self) -> str:
        if not self.password_hash:
            self.password_hash = make_password(password())
        return self.password_hash

    def _new_accounts(self, entries: list[dict]) -> list[dict]:
        return [
            e
            for e in entries
            if e["username"] not in self.existing_usernames and e["username"] not in self.created_usernames
        ]

    def staff(self) -> Step:
        step = Step("工作人员账号")
        entries = self.data["staff"][1:]  # the first, the province's administrator, came with the bootstrap
        step.existing = sum(1 for e in entries if e["username"] in self.existing_usernames)
        created = self._create_staff(entries)
        step.created = created["accounts"]
        step.detail = created["roles"]
        return step

    def _create_staff(self, entries: list[dict]) -> dict:
        entries = self._new_accounts(entries)
        users = []
        for entry in entries:
            org = self._organisation_named(entry["organisation"])
            rng = _rng(entry["username"])
            sex = rng.choice(["男", "女"])
            user = User(
                username=entry["username"],
                kind=AccountKind.STAFF,
                real_name=person_name(rng, sex),
                organisation=org,
                jurisdiction_id=org.jurisdiction_id,
                title=entry.get("title", ""),
                id_number=identity.generate_citizen_id(
                    rng,
                    region_code=self.id_region_code(org.jurisdiction, rng),
                    birth_date=birth_date(rng, min_age=24, max_age=58),
                    sex=sex,
                ),
                phone=identity.generate_mobile(rng),
            )
            users.append(user)
        self._save_accounts(users)
        roles = dict(Role.objects.values_list("code", "pk"))
        links = []
        per_role: Counter[str] = Counter()
        for user, entry in zip(users, entries, strict=True):
            unknown = set(entry["roles"]) - set(roles)
            if unknown:
                raise DemoDataInvalid(
                    f"{user.username} 的角色不存在：{'、'.join(sorted(unknown))}（先运行 migrate）"
                )
            for code in entry["roles"]:
                links.append(User.roles.through(user_id=user.pk, role_id=roles[code]))
                per_role[code] += 1
        User.roles.through.objects.bulk_create(links)
        names = dict(Role.objects.values_list("code", "name"))
        for user, entry in zip(users, entries, strict=True):
            user._role_codes = None
            audit.record(
                AuditEvent.ROLES_CHANGED,
                obj=user,
                before={"roles": []},
                after={"roles": sorted(entry["roles"])},
                changed=["roles"],
                detail="演示数据",
            )
        return {"accounts": len(users), "roles": {names[code]: n for code, n in per_role.items()}}

    def portal(self) -> Step:
        step = Step("门户账号（个人、企业）")
        entries = self.data["portal"]
        step.existing = sum(1 for e in entries if e["username"] in self.existing_usernames)
        users = []
        words = _vocabulary()
        for entry in self._new_accounts(entries):
            j = self.jurisdiction(entry["jurisdiction"], entry.get("town"))
            rng = _rng(entry["username"])
            sex = rng.choice(["男", "女"])
            user = User(
                username=entry["username"],
                kind=entry["kind"],
                jurisdiction=j,
                real_name=person_name(rng, sex),
                phone=identity.generate_mobile(rng),
            )
            if entry["kind"] == AccountKind.CITIZEN:
                user.id_number = identity.generate_citizen_id(
                    rng,
                    region_code=self.id_region_code(j, rng),
                    birth_date=birth_date(rng, min_age=18, max_age=80),
                    sex=sex,
                )
            else:
                city = self.cities[j.code[:4]]["short"]
                user.enterprise_name = (
                    f"{city}市{rng.choice(words['enterprise_trade_names'])}"
                    f"{rng.choice(words['enterprise_industries'])}有限公司"
                )
                user.uscc = _uscc(rng, registration_code(j), "91")  # 市场监管登记的企业
            users.append(user)
        self._save_accounts(users)
        self._verify_identities(entries)
        step.created = len(users)
        step.detail = dict(Counter(AccountKind(u.kind).label for u in users))
        return step

    def _verify_identities(self, entries: list[dict]) -> None:
        """Demo citizens marked identity_verified were verified at a service window (so 我的数据共享记录 shows)."""
        for entry in (e for e in entries if e.get("identity_verified")):
            user = User.objects.filter(username=entry["username"]).first()
            if user is not None and not verification.verified_id_number(user):
                verification.record_verification(
                    user, method="in_person", actor=None, id_number=user.id_number, note="演示数据"
                )

    def _save_accounts(self, users: list[User]) -> None:
        for user in users:
            try:
                password_validation.validate_password(password(), user)
            except ValidationError as exc:
                raise from_django_validation_error(exc) from None
            user.password = self._hash()
            _clean(user, exclude=["password", "organisation", "jurisdiction"])
        User.objects.bulk_create(users)  # audited row by row (RestrictedQuerySet.bulk_create)
        self.created_usernames.update(u.username for u in users)


def _clean(obj, *, exclude: list[str]) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise from_django_validation_error(exc) from None


# --- documentation ----------------------------------------------------------------------------------------------


def accounts_table() -> str:
    """The Markdown table of demo accounts, from the data file and the loaded database (docs/demo-accounts.md)."""
    role_names = dict(Role.objects.values_list("code", "name"))
    users = {u.username: u for u in User.objects.select_related("organisation", "jurisdiction")}
    lines = [
        "| 用户名 | 密码 | 角色 | 单位 | 辖区 | 可以试试 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for entry in accounts():
        user = users.get(entry["username"])
        if entry["kind"] == AccountKind.STAFF:
            role = "、".join(f"{role_names.get(code, code)} `{code}`" for code in entry["roles"])
            unit = entry["organisation"]
        else:
            role = f"{AccountKind(entry['kind']).label} `{entry['kind']}`"
            unit = (user.enterprise_name or user.real_name) if user else ""
        where = str(user.jurisdiction) if user and user.jurisdiction else ""
        lines.append(
            f"| `{entry['username']}` | `{password()}` | {role} | {unit} | {where} | {entry['try']} |"
        )
    return "\n".join(lines) + "\n"
