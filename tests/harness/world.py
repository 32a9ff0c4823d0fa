"""The matrix's world: the places, the people in them (every role) and one record of every subject, built once."""

from __future__ import annotations

import os

from django.test import Client

from smartjustice.core import access
from smartjustice.core.choices import AccountKind, OrganisationKind
from smartjustice.core.models import Jurisdiction
from smartjustice.core.testing import CITY, COUNTY_A, COUNTY_B, PROVINCE, Place, make_staff, organisation_in

from .registry import SUBJECTS, Identity

# The user's place relative to the records (which all lie in 天河区, in the own organisation): the own
# organisation, another organisation of 天河区, 广州市 (above), 越秀区 (a peer), a town of 天河区 (below), the province.
POSITIONS = ("own", "other_org", "superior", "peer", "subordinate", "province")
FULL = os.environ.get("SMARTJUSTICE_MATRIX", "") == "full"


class World:
    """Places, identities and records; `get(key)` answers the record of a subject."""

    def __init__(self, *, full: bool = FULL):
        from smartjustice.core import notifications, services
        from tests.core.factories import UserFactory

        self.own = Place(COUNTY_A, organisation_in(COUNTY_A))
        self.other_org = Place(COUNTY_A, organisation_in(COUNTY_A, OrganisationKind.NOTARY_OFFICE))
        self.superior = Place(CITY, organisation_in(CITY))
        self.peer = Place(COUNTY_B, organisation_in(COUNTY_B))
        town = Jurisdiction.objects.filter(parent_id=COUNTY_A).order_by("code").first()
        self.subordinate = Place(town.code, organisation_in(town.code, OrganisationKind.JUSTICE_STATION))
        self.province = Place(PROVINCE, organisation_in(PROVINCE))
        self.citizen_owner = UserFactory(kind=AccountKind.CITIZEN, username="mx_citizen_owner")
        self.citizen_other = UserFactory(kind=AccountKind.CITIZEN, username="mx_citizen_other")
        self.token_of_owner, _ = services.issue_api_token(actor=self.citizen_owner, name="MXTOKEN 我的手机")
        self.notification_of_owner = notifications.notify(self.citizen_owner, title="MXNOTE 您的申请已受理")
        self.objects: dict[str, object] = {}
        for item in sorted(SUBJECTS.values(), key=lambda s: (s.order, s.key)):
            self.objects[item.key] = item.make(self)
        self.identities = self._identities(full)
        self._visible: dict[tuple[str, str], bool] = {}
        self._writable: dict[tuple[str, str], bool] = {}

    def get(self, key: str):
        if key not in self.objects:
            self.objects[key] = SUBJECTS[key].make(self)
        return self.objects[key]

    def staff(self, place: Place, *roles: str):
        return make_staff(place.code, *roles, organisation=place.organisation)

    def _identities(self, full: bool) -> list[Identity]:
        from smartjustice.core import services

        roles = sorted(access.role_definitions())
        people = [
            Identity("anonymous", "anonymous"),
            Identity("citizen_owner", "citizen", user=self.citizen_owner),
            Identity("citizen_other", "citizen", user=self.citizen_other),
            Identity("no_role@own", "own", user=self.staff(self.own)),
        ]
        positions = POSITIONS if full else ("own",)
        for position in positions:
            for role in roles:
                people.append(
                    Identity(
                        f"{role}@{position}", position, (role,), self.staff(getattr(self, position), role)
                    )
                )
        if not full:
            # Grants only add up, so whoever holds every role is the widest reach each place can have.
            for position in POSITIONS:
                people.append(
                    Identity(
                        f"all_roles@{position}",
                        position,
                        tuple(roles),
                        self.staff(getattr(self, position), *roles),
                    )
                )
        for person in people:
            client = Client()
            if person.user is not None:
                client.force_login(person.user)
                _, person.token = services.issue_api_token(actor=person.user, name="矩阵测试令牌")
            person.clients["session"] = client
        return people

    def visible(self, identity: Identity, key: str) -> bool:
        cached = self._visible.get((identity.name, key))
        if cached is None:
            item, obj = SUBJECTS[key], self.objects[key]
            check = item.visible or (lambda user, o: access.can(user, "view", o))
            cached = self._visible[(identity.name, key)] = bool(check(identity.user, obj))
        return cached

    def writable(self, identity: Identity, key: str) -> bool:
        cached = self._writable.get((identity.name, key))
        if cached is None:
            item, obj = SUBJECTS[key], self.objects[key]
            check = item.writable or (lambda user, o: access.can(user, "change", o))
            cached = self._writable[(identity.name, key)] = bool(check(identity.user, obj))
        return cached
