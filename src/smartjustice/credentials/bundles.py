"""The offline verification file: the signed credential, the holder's chosen disclosures, the issuer's public key,
the ledger receipt and a snapshot of the status lists, verifiable by `smartjustice credentials verify FILE`."""

from __future__ import annotations

from . import services
from .disclosure import b64url
from .models import Credential, StatusList

FORMAT = "smartjustice.credential-bundle.v1"


def _key_entry(key, organisation) -> dict:
    return {
        "id": f"{services.issuer_id(organisation)}#{key.key_id}",
        "keyId": key.key_id,
        "algorithm": key.algorithm,
        "publicKeyMultibase": "u" + b64url(bytes(key.public_key)),
        "status": key.status,
    }


def issuer_document(organisation) -> dict:
    from smartjustice.ledger.models import SigningKey

    keys = SigningKey.objects.filter(organisation=organisation).order_by("created_at")
    return {
        "id": services.issuer_id(organisation),
        "name": organisation.name,
        "verificationMethod": [_key_entry(key, organisation) for key in keys],
    }


def status_snapshot(credential: Credential) -> dict[str, dict]:
    lists = StatusList.objects.filter(
        organisation_id=credential.issuer_id, sequence=credential.status_list_sequence
    )
    return {services.status_list_url(s.organisation_id, s.purpose, s.sequence): s.document for s in lists}


def build_bundle(credential: Credential, *, keys: list[str] | None = None, with_status: bool = True) -> dict:
    from smartjustice.ledger import keys as ledger_keys

    signing_key = ledger_keys.key_by_id(credential.key_id)
    bundle = {
        "format": FORMAT,
        "credential": credential.document,
        "disclosures": services.disclosures_of(credential, keys),
        "issuerKey": _key_entry(signing_key, credential.issuer),
        "ledger": ledger_receipt(credential),
    }
    if with_status:
        bundle["statusLists"] = status_snapshot(credential)
    return bundle


def ledger_receipt(credential: Credential) -> dict:
    return {"log": services.LEDGER_LOG, "entry": credential.ledger_entry_id, "proof": credential.ledger_proof}
