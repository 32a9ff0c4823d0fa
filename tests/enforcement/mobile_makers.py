"""Factories of mobile enforcement: certified officers (行政执法证 issued through the credential service) and
on-the-spot penalties made through enforcement.simplified (test_simplified, test_mobile, the matrix and e2e share
them). Identities are generated (valid check digits, never real people)."""

from __future__ import annotations

import base64
import io
import itertools
import random
import struct
import zlib
from datetime import date, timedelta

from smartjustice.core import identity
from smartjustice.core.choices import OrganisationKind
from smartjustice.core.testing import make_staff, organisation_in
from smartjustice.enforcement import officers, simplified
from smartjustice.enforcement.choices import PartyKind
from smartjustice.enforcement.models import EnforcementOfficer

MARKET = "market_regulation"
_rng = random.Random(20261207)
_serial = itertools.count(1)


def agency_in(code: str, domain: str = MARKET, *, name: str | None = None):
    """A 行政执法主体 in `code` enforcing `domain` (the first one there, or one named `name`; created when missing)."""
    agency = organisation_in(code, OrganisationKind.ENFORCEMENT_AGENCY, name=name)
    if agency.enforcement_domain != domain:
        agency.enforcement_domain = domain
        agency.save(update_fields=["enforcement_domain"])
    return agency


def issuer(code: str):
    """A 证照管理员 of the 司法局 of `code` (issues 行政执法证)."""
    return make_staff(code, "credential_officer", real_name="发证专员")


def certified_officer(
    code: str, *, agency=None, name: str | None = None, domain: str = MARKET, username: str | None = None
) -> EnforcementOfficer:
    """An officer of `agency` (default: the market agency of `code`) holding a valid 行政执法证 for `domain`."""
    agency = agency or agency_in(code, domain)
    user = make_staff(
        code,
        "enforcement_officer",
        organisation=agency,
        real_name=name or f"执法员{next(_serial):03d}",
        username=username,
    )
    officer = EnforcementOfficer.objects.create(
        user=user, agency=agency, domains=[domain], jurisdiction_id=agency.jurisdiction_id
    )
    return officers.issue_certificate(officer, actor=issuer(agency.jurisdiction_id))


def person(**fields) -> dict:
    """The fields of a 公民 party (register_party's keywords)."""
    n = next(_serial)
    return {
        "kind": PartyKind.PERSON,
        "name": fields.pop("name", f"李当事{n:03d}"),
        "id_number": identity.generate_citizen_id(
            # A birth date per party: with one date the 500 female sequence numbers collide within a few dozen
            # parties, and a repeated ID number makes two on-the-spot fines "the same conduct" (第二十九条).
            _rng,
            region_code="440106",
            birth_date=date(1970, 1, 1) + timedelta(days=n),
            sex="女",
        ),
        "phone": "13912345678",
        "address": "广州市天河区天河路385号",
        **fields,
    }


def organisation(**fields) -> dict:
    """The fields of a 法人 party."""
    n = next(_serial)
    return {
        "kind": PartyKind.ORGANISATION,
        "name": fields.pop("name", f"广州测试商贸有限公司{n:03d}"),
        "id_number": identity.generate_uscc(_rng, region_code="440106"),
        "legal_representative": "王法人",
        "phone": "13812345678",
        "address": "广州市天河区体育西路100号",
        **fields,
    }


def png(width: int = 4, height: int = 2) -> bytes:
    """A small valid PNG (a drawn signature stands in for this in the browser)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\x00\x00\x00\xff" * width for _ in range(height))
    out = io.BytesIO()
    out.write(b"\x89PNG\r\n\x1a\n")
    out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)))
    out.write(chunk(b"IDAT", zlib.compress(raw)))
    out.write(chunk(b"IEND", b""))
    return out.getvalue()


def png_data_url() -> str:
    return "data:image/png;base64," + base64.b64encode(png()).decode()


def hub_catalogue() -> None:
    """The shared-data catalogue (the decision is published to `enforcement.case`)."""
    from smartjustice.hub import services as hub
    from smartjustice.hub.models import Dataset

    if not Dataset.objects.filter(code="enforcement.case").exists():
        hub.load_catalogue()


def on_the_spot(officer: EnforcementOfficer, colleague: EnforcementOfficer | None = None, **overrides):
    """An on-the-spot fine of 100 yuan on a person, signed, decided through the service."""
    values = {
        "officer": officer,
        "party": person(),
        "cause": "占道经营",
        "facts": "当事人在天河路人行道上摆摊销售水果，占用人行道约4平方米。",
        "location": "广州市天河区天河路385号前人行道",
        "legal_basis": "《城市市容和环境卫生管理条例》第三十六条",
        "fine_amount": "100",
        "signature_png": png(),
        "latitude": "23.132456",
        "longitude": "113.327654",
        "co_officers": [colleague] if colleague is not None else [],
        "actor": officer.user,
    }
    values.update(overrides)
    hub_catalogue()
    if colleague is None and "co_officers" not in overrides:
        values["co_officers"] = [certified_officer(officer.agency.jurisdiction_id, agency=officer.agency)]
    return simplified.issue_on_the_spot_penalty(**values)
