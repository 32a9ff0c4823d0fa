"""What a published decision shows (rules.PERSONAL_INFORMATION): a natural person's name, ID number, phone and
address are masked, also where they recur in the free text; an organisation's name and credit code stay."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from smartjustice.core.privacy import mask_address, mask_citizen_id, mask_name
from smartjustice.enforcement.choices import PartyKind

# 18-digit citizen ID numbers (last character may be X) and mainland mobile / landline numbers in free text.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")


def scrub(text: str, *, names: tuple[str, ...] = ()) -> str:
    """`text` with ID numbers and phone numbers masked and each of `names` (natural persons) replaced by its mask."""
    if not text:
        return ""
    text = _ID_NUMBER.sub(lambda m: mask_citizen_id(m.group()), text)
    text = _PHONE.sub("***********", text)
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    return text


@dataclass(frozen=True)
class PublishedDecision:
    """One decision as the public sees it."""

    pk: int
    decision_number: str
    decided_on: date | None
    agency: str
    jurisdiction: str
    party_kind: str
    party_name: str
    party_id_number: str
    legal_representative: str
    party_address: str
    cause: str
    facts: str
    location: str
    legal_basis: str
    fine_amount: object
    confiscated_amount: object
    other_sanctions: list
    procedure: str
    revoked_on: date | None
    revocation_reason: str


def present(case) -> PublishedDecision:
    """A case's decision with personal information masked (a withdrawn one keeps only what its notice needs)."""
    if case.revoked_on is not None:
        return withdrawal_notice(case)
    party = case.party
    person = party.kind == PartyKind.PERSON
    names = tuple(n for n in (party.name if person else "", party.legal_representative) if n)
    return PublishedDecision(
        pk=case.pk,
        decision_number=case.decision_number,
        decided_on=case.decided_on,
        agency=case.agency.name,
        jurisdiction=case.jurisdiction.name if case.jurisdiction_id else "",
        party_kind=party.get_kind_display(),
        party_name=mask_name(party.name) if person else party.name,
        party_id_number=mask_citizen_id(party.id_number) if person else party.id_number,
        legal_representative=mask_name(party.legal_representative),
        party_address=mask_address(party.address) if person else party.address,
        cause=scrub(case.cause, names=names),
        facts=scrub(case.facts, names=names),
        location=mask_address(case.location) if person else scrub(case.location, names=names),
        legal_basis=case.legal_basis,
        fine_amount=case.fine_amount,
        confiscated_amount=case.confiscated_amount,
        other_sanctions=list(case.other_sanctions or []),
        procedure=case.get_procedure_display(),
        revoked_on=case.revoked_on,
        revocation_reason=scrub(case.revocation_reason, names=names),
    )


def withdrawal_notice(case) -> PublishedDecision:
    """A revoked decision: number, agency, dates and the reason only (《行政处罚法》第四十八条第二款)."""
    person_names = (case.party.name,) if case.party.kind == PartyKind.PERSON else ()
    names = (*person_names, case.party.legal_representative)
    return PublishedDecision(
        pk=case.pk,
        decision_number=case.decision_number,
        decided_on=case.decided_on,
        agency=case.agency.name,
        jurisdiction=case.jurisdiction.name if case.jurisdiction_id else "",
        party_kind="",
        party_name="",
        party_id_number="",
        legal_representative="",
        party_address="",
        cause="",
        facts="",
        location="",
        legal_basis="",
        fine_amount=None,
        confiscated_amount=None,
        other_sanctions=[],
        procedure=case.get_procedure_display(),
        revoked_on=case.revoked_on,
        revocation_reason=scrub(case.revocation_reason, names=tuple(n for n in names if n)),
    )


class Presented:
    """A queryset of cases read as published decisions, page by page (for the API pagination and page_of)."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [present(case) for case in self.queryset[index]]
        return present(self.queryset[index])
