"""Demo 社区矫正对象 (helper A): the subjects of correction/data/demo_subjects.json — 天河区 (五山街道 entrusted to
天河区五山街道司法所, and the county's own), 越秀区 (北京街道司法所) and 乐昌市 — in every category and level, a minor,
women with their 矫正小组, released and terminated terms, one transfer waiting for 越秀区 and one accepted into
五山街道, and the 粤矫通 accounts subject1…subject8.

Everything goes through correction.subjects as the demo accounts; ID numbers are generated from a seeded random
(valid check digits, never a real person). Idempotent: a subject is keyed by its number, an account by its username,
so a second run creates nothing and writes no audit entry.
"""

from __future__ import annotations

import datetime
import json
import random
from functools import lru_cache
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from smartjustice.core import demo as core_demo
from smartjustice.core import identity
from smartjustice.core.choices import AccountKind
from smartjustice.core.models import Organisation, User

from . import subjects
from .choices import Gender, GroupRole, SubjectStatus
from .models import CorrectionSubject

DATA_FILE = Path(__file__).parent / "data" / "demo_subjects.json"
STATIONS = {"天河区五山街道司法所": "ws_correction", "越秀区北京街道司法所": "bj_correction"}


@lru_cache(maxsize=1)
def spec() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _users() -> dict[str, User]:
    data = spec()
    wanted = set(STATIONS.values())
    for agency in data["agencies"].values():
        wanted |= {agency["officer"], agency["head"]}
    return {u.username: u for u in User.objects.filter(username__in=wanted).select_related("organisation")}


def _organisation(name: str) -> Organisation | None:
    return Organisation.objects.filter(name=name).select_related("jurisdiction").first()


def _id_number(entry: dict, region: str, today: datetime.date) -> str:
    rng = random.Random(f"{core_demo.spec()['seed']}:correction:{entry['number']}")
    born = datetime.date(today.year - entry["age"], 1 + rng.randrange(12), 1 + rng.randrange(28))
    if entry["age"] < 18 and born > today.replace(year=today.year - entry["age"]):
        born = born.replace(year=born.year - 1)
    return identity.generate_citizen_id(rng, region_code=region, birth_date=born, sex=entry["sex"])


def _account(username: str, subject: CorrectionSubject, password_hash: str) -> tuple[User, bool]:
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = User(
        username=username,
        kind=AccountKind.CITIZEN,
        real_name=subject.name,
        id_number=subject.id_number,
        phone=subject.phone,
        jurisdiction_id=subject.jurisdiction_id,
        password=password_hash,
    )
    user.save()
    return user, True


def _intake(entry: dict, users: dict, today: datetime.date) -> CorrectionSubject:
    county = spec()["agencies"][entry["county"]]
    effective = today - datetime.timedelta(days=entry["effective_days_ago"])
    agency = _organisation(county["agency"])
    station = _organisation(entry["station"]) if entry.get("station") else None
    rng = random.Random(f"correction-phone:{entry['number']}")
    return subjects.intake_subject(
        actor=users[entry["by"]],
        number=entry["number"],
        name=entry["name"],
        id_number=_id_number(entry, county["region"], today),
        phone=identity.generate_mobile(rng),
        address=entry.get("address", ""),
        category=entry["category"],
        offence=entry["offence"],
        offence_type=entry.get("offence_type", "other"),
        sentence=entry.get("sentence", ""),
        prohibitions=entry.get("prohibitions", ""),
        judgment_number=f"（{effective.year}）粤{county['region'][2:]}刑初{100 + int(entry['number'][-4:])}号",
        deciding_authority=f"{agency.jurisdiction.name if agency else entry['county']}人民法院",
        judgment_effective_on=effective,
        starts_on=effective,
        ends_on=today + datetime.timedelta(days=entry["ends_in_days"]),
        intake_on=today - datetime.timedelta(days=entry["intake_days_ago"]),
        agency=agency.pk if agency else None,
        station=station.pk if station else None,
        level=entry.get("level", "ordinary"),
        employment=entry.get("employment", "employed"),
        family_situation=entry.get("family_situation", "stable"),
    )


def _then(step: str, subject: CorrectionSubject, entry: dict, users: dict) -> int:
    """One follow-up of a new demo subject; the number of records it created."""
    county = spec()["agencies"][entry["county"]]
    officer = users[entry["by"]]
    head = users[county["head"]]
    if step == "female_group":
        subjects.save_group_member(
            subject, actor=officer, role=GroupRole.STATION, name="司法所专干", gender=Gender.MALE
        )
        subjects.save_group_member(
            subject, actor=officer, role=GroupRole.SOCIAL_WORKER, name="苏慧敏（社工）", gender=Gender.FEMALE
        )
        subjects.save_group_member(
            subject, actor=officer, role=GroupRole.COMMITTEE, name="居委会陈主任", gender=Gender.FEMALE
        )
        return 3
    if step == "minor_group":
        subjects.save_group_member(
            subject, actor=officer, role=GroupRole.STATION, name="司法所专干", gender=Gender.MALE
        )
        subjects.save_group_member(
            subject,
            actor=officer,
            role=GroupRole.EMPLOYER,
            name="班主任林老师",
            gender=Gender.FEMALE,
            knows_minors=True,
        )
        return 2
    if step == "plan":
        subjects.update_plan(
            subject,
            actor=officer,
            plan="一、每周通过粤矫通报告一次，每月到司法所当面报告；\n二、每月参加不少于八小时的教育学习和公益活动；\n"
            "三、矫正小组每月走访一次，了解家庭和就业（就学）情况；\n四、季度考核后根据表现调整管理等级。",
        )
        return 0
    if step == "contacts":
        subjects.save_contact(subject, actor=officer, relation="spouse", name="赵建国", phone="13926001234")
        subjects.save_contact(subject, actor=officer, relation="child", name="赵晓雯", phone="13926005678")
        return 2
    if step == "guardian":
        subjects.save_contact(
            subject,
            actor=officer,
            relation="guardian",
            name="黄建华（父亲）",
            phone="13711002233",
            is_guardian=True,
        )
        return 1
    if step == "release":
        subjects.release_subject(subject, actor=head, reason="expired")
        return 2  # the certificate and its archive item
    if step == "terminate_probation":
        subjects.terminate_subject(
            subject, actor=head, reason="probation_revoked", note="考验期内再犯新罪，法院裁定撤销缓刑"
        )
        return 0
    if step == "terminate_deceased":
        subjects.terminate_subject(subject, actor=head, reason="deceased", note="因病死亡（医院死亡证明）")
        return 0
    if step == "transfer_to_yuexiu":
        subjects.request_transfer(
            subject,
            actor=officer,
            to_agency=_organisation("广州市越秀区社区矫正管理局").pk,
            reason="购房迁居至越秀区",
            new_address="广州市越秀区北京街道文德路8号",
        )
        return 1
    if step == "transfer_to_wushan":
        transfer = subjects.request_transfer(
            subject,
            actor=officer,
            to_agency=_organisation("广州市天河区社区矫正管理局").pk,
            reason="到广州工作，随家人迁居天河区",
            new_address="广州市天河区五山街道五山路300号",
        )
        subjects.accept_transfer(
            transfer,
            actor=users["th_correction_head"],
            station_id=_organisation("天河区五山街道司法所").pk,
            note="新居住地已核实，委托五山街道司法所日常监管",
        )
        return 1
    raise ValueError(f"unknown demo step {step}")


def load_demo() -> int:
    """Create the demo subjects that are missing, with their accounts; the number of records created."""
    users = _users()
    needed = set(STATIONS.values()) | {a[k] for a in spec()["agencies"].values() for k in ("officer", "head")}
    if set(users) != needed:
        return 0  # a partial demo without the correction accounts: nothing to act as
    today = timezone.localdate()
    created = 0
    password_hash = None
    with transaction.atomic():
        for entry in spec()["subjects"]:
            subject = CorrectionSubject.objects.filter(number=entry["number"]).first()
            if subject is None:
                subject = _intake(entry, users, today)
                created += 1
                for step in entry.get("then", ()):
                    created += _then(step, subject, entry, users)
                    subject.refresh_from_db()
            username = entry.get("account")
            if username and subject.account_id is None and subject.status == SubjectStatus.ACTIVE:
                password_hash = password_hash or make_password(core_demo.password())
                user, new = _account(username, subject, password_hash)
                created += int(new)
                subjects.link_account(subject, actor=users[entry["by"]], user=user)
    return created
