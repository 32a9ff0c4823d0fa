"""The offline verification file: the signed credential, the holder's chosen disclosures, the issuer's public key,
the ledger receipt and a current snapshot of the status lists, verifiable by `smartjustice credentials verify FILE
--trust trust.json`; and the trust file itself (``trust_document``: the keys a verifier pins, ADR 0009)."""

from __future__ import annotations

import base64

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
        "fingerprint": key.key_id,  # ledger.keys.fingerprint: what /ledger/keys/ shows
        "status": key.status,
    }


def issuer_document(organisation) -> dict:
    from smartjustice.ledger.models import SigningKey

    keys = SigningKey.objects.filter(organisation=organisation).order_by("created_at")
    return {
        "id": services.issuer_id(organisation),
        "name": organisation.name,
        "verificationMethod": [_key_entry(key, organisation) for key in keys if _signs_as_issuer(key)],
    }


def _signs_as_issuer(key) -> bool:
    """An organisation's own key, not the checkpoint key of a log it operates (ADR 0010): only the former may sign
    credentials in its name."""
    return getattr(key, "log_id", None) is None


def status_snapshot(credential: Credential) -> dict[str, dict]:
    """The credential's status lists as they stand now, re-signed first when their signature is getting old."""
    lists = StatusList.objects.filter(
        organisation_id=credential.issuer_id, sequence=credential.status_list_sequence
    ).select_related("organisation")
    lists = [services.refresh_status_list(s) for s in lists]
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


def trust_document() -> dict:
    """The trust file (format ``credentials.trust.FORMAT``): every issuer's published keys (retired ones too, so
    older certificates still verify) and the keys of the log that records credentials, with fingerprints."""
    from django.utils import timezone

    from smartjustice.core.models import Organisation
    from smartjustice.ledger import notes
    from smartjustice.ledger import queries as ledger
    from smartjustice.ledger.keys import fingerprint
    from smartjustice.ledger.models import Log, SigningKey

    from .trust import FORMAT

    issuers = {}
    signing = SigningKey.objects.exclude(organisation=None).order_by("organisation_id", "created_at", "id")
    organisations = Organisation.objects.in_bulk({k.organisation_id for k in signing})
    for key in filter(_signs_as_issuer, signing):
        organisation = organisations[key.organisation_id]
        entry = issuers.setdefault(services.issuer_id(organisation), {"name": organisation.name, "keys": []})
        entry["keys"].append(_key_entry(key, organisation))
    logs = {}
    for log in Log.objects.filter(name=services.LEDGER_LOG):
        logs[log.origin] = {
            "name": log.name,
            "keys": [
                {
                    "algorithm": log.signature_algorithm,
                    "publicKey": base64.b64encode(key).decode(),
                    "fingerprint": fingerprint(log.signature_algorithm, key),
                    "verifierKey": notes.verifier_key(
                        log.origin, notes.SIGNATURE_TYPES[log.signature_algorithm], key
                    ),
                }
                for key in ledger.log_public_keys(log.name)
            ],
        }
    return {
        "format": FORMAT,
        "platform": services.public_url("/"),
        "generatedAt": services._timestamp(timezone.now()),
        "issuers": issuers,
        "logs": logs,
        "note": "离线核验时用 smartjustice credentials verify 文件 --trust 本文件；请与 /ledger/keys/ 公示的指纹核对。",
    }
